// Presence by tick (protocol/SPEC.md PRES-4..6) through the real server: many
// clients moving cursors, a slow reader, changes flowing meanwhile, and presence
// filtered per view. Every wait is on messages with a deadline; nothing sleeps.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "server.hpp"
#include "support/ops.hpp"
#include "support/temp_dir.hpp"
#include "support/test_client.hpp"

namespace tandem {
namespace {

using namespace std::chrono_literals;
using namespace tandem::testing;

class PresenceTickTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cfg.port = 0;
    cfg.data_dir = dir.path();
    cfg.threads = 2;
    cfg.durability = storage::Durability::kWal;
    server = std::make_unique<Server>(cfg);
    ASSERT_TRUE(server->start().ok());
    port = server->port();
  }
  void TearDown() override {
    if (server) server->shutdown();
  }
  std::string token(const std::string& board) {
    auto t = server->create_board(board, board_meta(v1::BOARD_KIND_DISCOVERY, v1::BOARD_TEMPLATE_UNSPECIFIED, "B"),
                                  "owner");
    EXPECT_TRUE(t.has_value());
    return t.value_or("");
  }

  TempDir dir;
  ServerConfig cfg;
  std::unique_ptr<Server> server;
  std::uint16_t port = 0;
};

std::string cid(int i) { return "client-" + std::to_string(i); }

v1::ClientMessage cursor(double x, double y, int selection = 0) {
  v1::ClientMessage m;
  m.mutable_presence()->mutable_cursor()->set_x(x);
  m.mutable_presence()->mutable_cursor()->set_y(y);
  for (int k = 0; k < selection; ++k) {
    std::string id = "note-" + std::to_string(k) + "-";
    id.resize(60, 'x');
    m.mutable_presence()->add_selection(id);
  }
  return m;
}

// What one client learnt of the others' cursors: the newest y per client id, and
// how many presence messages came from each.
struct Cursors {
  std::map<std::string, double> y;
  std::map<std::string, int> count;
  bool went_back = false;  // an older cursor after a newer one: a backlog
  bool echoed = false;     // its own presence came back

  void take(const v1::ServerMessage& m, const std::string& me) {
    if (!m.has_presence() || !m.presence().has_presence()) return;
    const std::string& from = m.presence().member().client_id();
    if (from == me) echoed = true;
    const double y = m.presence().presence().cursor().y();
    auto it = this->y.find(from);
    if (it != this->y.end() && y < it->second) went_back = true;
    this->y[from] = y;
    ++count[from];
  }
  bool all_at(const std::vector<std::string>& who, double y) const {
    for (const auto& w : who) {
      auto it = this->y.find(w);
      if (it == this->y.end() || it->second != y) return false;
    }
    return true;
  }
};

TEST_F(PresenceTickTest, EachMemberGetsOneEntryPerTickWithTheNewestCursorsOfAllOthers) {  // PRES-4
  const std::string tok = token("many");
  constexpr int kClients = 12;
  constexpr int kRounds = 8;
  std::vector<std::unique_ptr<TestClient>> c;
  for (int i = 0; i < kClients; ++i) {
    c.push_back(std::make_unique<TestClient>(port));
    c.back()->join("many", cid(i), 0, tok);
  }
  const std::uint64_t ticks_before = metric(port, "presence_ticks_total");
  const std::uint64_t handoffs_before = metric(port, "presence_handoffs_total");
  std::vector<Cursors> seen(kClients);
  for (int r = 1; r <= kRounds; ++r) {
    for (int i = 0; i < kClients; ++i) c[i]->send(cursor(i, r));
    // Every client sees every other at round r: a round takes at least one tick, so
    // no update is within the endpoint's 15 ms of the one before.
    for (int j = 0; j < kClients; ++j) {
      std::vector<std::string> others;
      for (int i = 0; i < kClients; ++i)
        if (i != j) others.push_back(cid(i));
      auto got = c[j]->wait_for(
          [&](const v1::ServerMessage& m) {
            seen[j].take(m, cid(j));
            return seen[j].all_at(others, r);
          },
          10s, "round " + std::to_string(r) + " at " + cid(j));
      ASSERT_TRUE(got);
    }
  }
  for (int j = 0; j < kClients; ++j) {
    for (const auto& m : c[j]->drain()) seen[j].take(m, cid(j));
    EXPECT_FALSE(seen[j].echoed) << cid(j) << " got its own presence back";
    EXPECT_FALSE(seen[j].went_back) << cid(j) << " got an older cursor after a newer one";
  }
  // One hand-off per member per tick at most, however many updates the tick holds:
  // the per-update relay would have made updates x (members - 1) of them.
  const std::uint64_t ticks = metric(port, "presence_ticks_total") - ticks_before;
  const std::uint64_t handoffs = metric(port, "presence_handoffs_total") - handoffs_before;
  const std::uint64_t updates = kClients * kRounds;
  EXPECT_GE(ticks, static_cast<std::uint64_t>(kRounds));
  EXPECT_LE(handoffs, ticks * kClients);
  EXPECT_LT(ticks, updates / 2) << "updates were not gathered into ticks";
  EXPECT_LT(handoffs, updates * (kClients - 1) / 2);
}

TEST_F(PresenceTickTest, ASlowReaderGetsTheNewestStateNotABacklogAndEveryChange) {  // PRES-5, FLOW-1
  const std::string tok = token("slow");
  // 10 movers x 200 selected ids of 60 bytes: about 125 KB a tick, 12 MB in all, more
  // than the kernel's socket buffers (4 MB at most) hold for a client that does not read.
  constexpr int kMovers = 10;
  constexpr int kRounds = 100;
  TestClient fast(port);
  fast.join("slow", "fast", 0, tok);
  TestClient slow(port, TestClient::Options{.read = false, .receive_buffer_bytes = 4096});
  slow.send(join_msg("slow", "slow", 0, tok));
  // The slow client's welcome is out once the others see it arrive.
  ASSERT_TRUE(fast.wait_for([](const v1::ServerMessage& m) {
    return m.has_presence() && !m.presence().has_presence() && m.presence().member().client_id() == "slow";
  }));
  std::vector<std::unique_ptr<TestClient>> movers;
  std::vector<std::string> who;
  for (int i = 0; i < kMovers; ++i) {
    movers.push_back(std::make_unique<TestClient>(port));
    movers.back()->join("slow", cid(i), 0, tok);
    who.push_back(cid(i));
  }
  Cursors at_fast;
  for (int r = 1; r <= kRounds; ++r) {
    for (int i = 0; i < kMovers; ++i) movers[i]->send(cursor(i, r, 200));
    fast.send(submit({change(r, {create_note("n" + std::to_string(r), "note " + std::to_string(r))})}));
    ASSERT_TRUE(fast.wait_for([&](const v1::ServerMessage& m) {
      at_fast.take(m, "fast");
      return m.has_ack() && m.ack().client_seq() == static_cast<std::uint64_t>(r);
    }));
    ASSERT_TRUE(fast.wait_for([&](const v1::ServerMessage& m) {
      at_fast.take(m, "fast");
      return at_fast.all_at(who, r);
    }, 10s, "round " + std::to_string(r)));
  }
  // Now the slow reader reads: every change, in order, and the newest cursors.
  slow.start_reading();
  Cursors at_slow;
  std::uint64_t next_seq = 1;
  bool welcomed = false;
  auto done = slow.wait_for([&](const v1::ServerMessage& m) {
    welcomed |= m.has_welcome();
    if (m.has_change()) {
      EXPECT_EQ(m.change().seq(), next_seq) << "a change was lost or reordered";
      next_seq = m.change().seq() + 1;
    }
    at_slow.take(m, "slow");
    return next_seq > static_cast<std::uint64_t>(kRounds) && at_slow.all_at(who, kRounds);
  }, 20s, "every change and the newest cursors at the slow reader");
  ASSERT_TRUE(done);
  EXPECT_TRUE(welcomed);
  EXPECT_FALSE(slow.closed());
  EXPECT_FALSE(at_slow.went_back);
  // What the kernel buffered reached it; past that, one whole tick: never every tick.
  for (const auto& w : who)
    EXPECT_LT(at_slow.count[w], kRounds / 2) << "a backlog of " << w << "'s cursors reached the slow reader";
  std::printf("slow reader: %d of %d ticks of client-0 reached it\n", at_slow.count["client-0"], kRounds);
}

v1::Op private_writing(bool on) {
  v1::Op op;
  op.mutable_set_private_writing()->set_on(on);
  return op;
}

TEST_F(PresenceTickTest, PresenceAndDragsNamingAPrivateNoteAreStrippedPerView) {  // VIS-1, PRES-6
  NewBoard b = create_board_http(port, "discovery", "Olivia");
  const std::string alice = server->member_token(b.id, v1::ROLE_EDITOR, "Alice", "m-alice");
  const std::string bob = server->member_token(b.id, v1::ROLE_EDITOR, "Bob", "m-bob");
  TestClient o(port), a(port), bb(port);
  o.join(b.id, "client-o", 0, b.member_token);
  a.join(b.id, "client-a", 0, alice);
  bb.join(b.id, "client-b", 0, bob);
  auto applied = [](TestClient& c, std::uint64_t cs, v1::Op op) {
    c.send(submit({change(cs, {op})}));
    auto m = c.wait_for([&](const v1::ServerMessage& m) {
      return (m.has_ack() || m.has_reject()) && (m.ack().client_seq() == cs || m.reject().client_seq() == cs);
    });
    EXPECT_TRUE(m && m->has_ack());
    return m && m->has_ack() ? m->ack().seq() : 0;
  };
  applied(o, 1, create_note("open-note", "visible"));
  applied(o, 2, private_writing(true));
  const std::uint64_t s = applied(a, 1, create_note("secret-note-1", "hidden"));
  ASSERT_TRUE(bb.wait_for([&](const v1::ServerMessage& m) { return m.has_change() && m.change().seq() >= s; }));

  // Alice drags her private note with it selected: Bob gets her cursor, not the note.
  v1::ClientMessage p = cursor(7, 1);
  p.mutable_presence()->add_selection("secret-note-1");
  p.mutable_presence()->add_selection("open-note");
  p.mutable_presence()->mutable_drag()->set_object_id("secret-note-1");
  p.mutable_presence()->mutable_drag()->set_x(40);
  p.mutable_presence()->mutable_drag()->set_y(50);
  a.send(p);
  std::string bob_bytes;
  auto from_alice = [&](double y) {
    return [&bob_bytes, y](const v1::ServerMessage& m) {
      bob_bytes += m.SerializeAsString();
      return m.has_presence() && m.presence().member().client_id() == "client-a" &&
             m.presence().presence().cursor().y() == y;
    };
  };
  auto mb = bb.wait_for(from_alice(1), 10s, "alice's presence at bob");
  ASSERT_TRUE(mb);
  EXPECT_EQ(mb->presence().presence().selection_size(), 1);
  EXPECT_FALSE(mb->presence().presence().has_drag());
  EXPECT_EQ(bob_bytes.find("secret-note-1"), std::string::npos);
  // The owner (a facilitator) sees the drag whole.
  auto mo = o.wait_for([](const v1::ServerMessage& m) {
    return m.has_presence() && m.presence().member().client_id() == "client-a" && m.presence().presence().has_drag();
  }, 10s, "alice's drag at the owner");
  ASSERT_TRUE(mo);
  EXPECT_EQ(mo->presence().presence().drag().object_id(), "secret-note-1");
  EXPECT_EQ(mo->presence().presence().drag().x(), 40);

  // A drag of an open note reaches Bob, live (PRES-6).
  v1::ClientMessage q = cursor(8, 2);
  q.mutable_presence()->mutable_drag()->set_object_id("open-note");
  q.mutable_presence()->mutable_drag()->set_x(120);
  q.mutable_presence()->mutable_drag()->set_y(-30);
  a.send(q);
  mb = bb.wait_for(from_alice(2), 10s, "alice's drag at bob");
  ASSERT_TRUE(mb);
  EXPECT_EQ(mb->presence().presence().drag().object_id(), "open-note");
  EXPECT_EQ(mb->presence().presence().drag().y(), -30);
  EXPECT_EQ(bob_bytes.find("secret-note-1"), std::string::npos);
}

TEST_F(PresenceTickTest, ADragPastItsLimitsIsRefused) {  // PRES-3, PRES-6
  const std::string tok = token("drag");
  TestClient a(port);
  a.join("drag", "client-a", 0, tok);
  v1::ClientMessage p = cursor(1, 1);
  p.mutable_presence()->mutable_drag()->set_object_id("n1");
  p.mutable_presence()->mutable_drag()->set_order_key("not an order key!");
  a.send(p);
  auto e = a.wait_kind(v1::ServerMessage::kError);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->error().code(), v1::ERROR_CODE_BAD_PRESENCE);
}

}  // namespace
}  // namespace tandem
