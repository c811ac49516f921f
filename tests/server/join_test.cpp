// Cheap joins (issue "A room of 200", DECISIONS "Cheap joins"): the Welcome of a big
// board comes from an encoded snapshot cached per view and reused, followed by the
// changes after it (JOIN-3); its objects follow in SnapshotPart frames (JOIN-8) that
// get through whatever the board's size (JOIN-7), through the real server. Timing is measured by bench/run.sh (join10k), not here.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "server.hpp"
#include "support/ops.hpp"
#include "support/server_fixture.hpp"
#include "support/test_client.hpp"

namespace tandem {
namespace {

using namespace std::chrono_literals;
using namespace tandem::testing;

class JoinTest : public BoardFixture {
 protected:
  void SetUp() override {
    cfg.outgoing_queue_bytes = 2 << 20;  // a 40,000-note Welcome is well over it
    BoardFixture::SetUp();
  }
  // Creates `n` short notes through `c` (50 per change, 8 changes per submit); the last seq.
  std::uint64_t fill(TestClient& c, int n, std::uint64_t* client_seq) {
    std::uint64_t seq = 0;
    int made = 0;
    while (made < n) {
      v1::ClientMessage m;
      for (int k = 0; k < 8 && made < n; ++k) {
        v1::Change* ch = m.mutable_submit()->add_changes();
        ch->set_client_seq(++*client_seq);
        for (int i = 0; i < 50 && made < n; ++i, ++made)
          *ch->add_ops() = create_note("n" + std::to_string(made), "note number " + std::to_string(made));
      }
      c.send(m);
      const std::uint64_t want = *client_seq;
      auto ack = c.wait_for([&](const v1::ServerMessage& x) { return x.has_ack() && x.ack().client_seq() == want; }, 30s);
      EXPECT_TRUE(ack) << "no ack for " << want;
      if (!ack) return 0;
      seq = ack->ack().seq();
    }
    return seq;
  }
  std::uint64_t commit(TestClient& c, std::uint64_t client_seq, v1::Op op) {
    c.send(submit({change(client_seq, {op})}));
    auto ack = c.wait_for([&](const v1::ServerMessage& m) { return m.has_ack() && m.ack().client_seq() == client_seq; });
    return ack ? ack->ack().seq() : 0;
  }
};

TEST_F(JoinTest, ASnapshotOverTheQueueCapGetsThroughInPartsAndTheJoinerConverges) {  // JOIN-3, JOIN-7, JOIN-8
  TestClient w(port);
  w.join(board, "writer", 0, owner);
  std::uint64_t cs = 0;
  const std::uint64_t head = fill(w, 40000, &cs);
  ASSERT_GT(head, 0u);

  TestClient j(port);
  const std::uint64_t frames0 = j.frames_received();
  j.send(join_msg(board, "joiner", 0, alice));
  std::uint32_t parts = 0;
  const v1::Welcome welcome = j.wait_welcome(60s, &parts);
  EXPECT_GT(welcome.ByteSizeLong(), cfg.outgoing_queue_bytes) << "the test means a snapshot over the cap";
  EXPECT_EQ(welcome.head_seq(), head);
  EXPECT_EQ(welcome.snapshot().objects_size(), 40000);
  // Parts of about welcome_part_bytes, each a frame of its own.
  EXPECT_GE(parts, welcome.ByteSizeLong() / cfg.board.welcome_part_bytes);
  EXPECT_GE(j.frames_received() - frames0, parts + 1);
  EXPECT_EQ(metric(port, "slow_consumer_closes_total"), 0u);
  // And it goes on with the board.
  const std::uint64_t next = commit(w, ++cs, update_text("n7", "after the join"));
  ASSERT_EQ(next, head + 1);
  auto ch = j.wait_kind(v1::ServerMessage::kChange);
  ASSERT_TRUE(ch);
  EXPECT_EQ(ch->change().seq(), next);
}

TEST_F(JoinTest, ConcurrentJoinersShareOneEncodedSnapshot) {  // JOIN-3
  TestClient w(port);
  w.join(board, "writer", 0, owner);
  std::uint64_t cs = 0;
  const std::uint64_t head = fill(w, 5000, &cs);  // over 64 KiB encoded: reused when stale
  const std::uint64_t built0 = metric(port, "welcome_snapshots_built_total");

  std::vector<std::unique_ptr<TestClient>> joiners;
  for (int i = 0; i < 4; ++i) {
    joiners.push_back(std::make_unique<TestClient>(port));
    joiners.back()->send(join_msg(board, "joiner-" + std::to_string(i), 0, i % 2 ? alice : bob));
  }
  std::vector<std::string> snapshots;
  for (auto& c : joiners) {
    const v1::Welcome w = c->wait_welcome(30s);
    EXPECT_EQ(w.head_seq(), head);
    EXPECT_EQ(w.snapshot().objects_size(), 5000);
    snapshots.push_back(w.snapshot().SerializeAsString());
  }
  for (const std::string& s : snapshots) EXPECT_EQ(s, snapshots[0]);
  EXPECT_EQ(metric(port, "welcome_snapshots_built_total"), built0 + 1);

  // After a change, a new joiner gets the cached snapshot and the change after it.
  const std::uint64_t next = commit(w, ++cs, update_text("n3", "changed"));
  TestClient late(port);
  v1::Welcome lw = late.join(board, "late", 0, bob);
  EXPECT_EQ(lw.head_seq(), next);
  EXPECT_EQ(lw.snapshot().seq(), head);
  ASSERT_EQ(lw.changes_size(), 1);
  EXPECT_EQ(lw.changes(0).seq(), next);
  EXPECT_EQ(metric(port, "welcome_snapshots_built_total"), built0 + 1);
  EXPECT_GE(metric(port, "welcome_snapshots_reused_total"), 1u);
}

TEST_F(JoinTest, PrivateNotesStayFilteredWithTheCache) {  // VIS-1
  const std::string secret = "SECRET-NOTE-TEXT-31";
  TestClient o(port), a(port);
  o.join(board, "client-o", 0, owner);
  a.join(board, "client-a", 0, alice);
  std::uint64_t ocs = 0;
  fill(o, 200, &ocs);
  commit(o, ++ocs, private_writing(true));
  ASSERT_GT(commit(a, 1, create_note("secret-id", secret)), 0u);
  for (int i = 0; i < 2; ++i) {  // built, then from the cache
    TestClient b(port);
    v1::Welcome w = b.join(board, "client-b" + std::to_string(i), 0, bob);
    EXPECT_EQ(w.SerializeAsString().find(secret), std::string::npos) << "join " << i;
    TestClient a2(port);
    v1::Welcome aw = a2.join(board, "client-a2-" + std::to_string(i), 0, alice);
    EXPECT_NE(aw.SerializeAsString().find(secret), std::string::npos) << "join " << i;
  }
}

TEST_F(JoinTest, AnotherMembersChangesFlowWhileABigBoardIsJoined) {
  TestClient w(port);
  w.join(board, "writer", 0, owner);
  std::uint64_t cs = 0;
  fill(w, 10000, &cs);
  TestClient other(port);
  other.join(board, "other", 0, alice);
  std::uint64_t ocs = 0;
  for (int i = 0; i < 20; ++i) {
    other.send(submit({change(++ocs, {create_note("o" + std::to_string(i), "edit " + std::to_string(i))})}));
    TestClient j(port);
    j.send(join_msg(board, "j" + std::to_string(i), 0, bob));
    auto ack = other.wait_for([&](const v1::ServerMessage& m) { return m.has_ack() && m.ack().client_seq() == ocs; },
                              30s, "ack");
    ASSERT_TRUE(ack) << "change " << ocs;
    EXPECT_GE(j.wait_welcome(30s).snapshot().objects_size(), 10000);
  }
}

// A joiner that reads nothing while its parts are written holds no copy of them: the
// parts are the board's shared snapshot, so its queue stays under a cap far smaller
// than the snapshot, and what the others change meanwhile follows the parts (JOIN-8).
TEST_F(JoinTest, ChangesMadeDuringTheStreamFollowTheParts) {
  TestClient w(port);
  w.join(board, "writer", 0, owner);
  std::uint64_t cs = 0;
  const std::uint64_t head = fill(w, 8000, &cs);
  TestClient j(port);
  j.send(join_msg(board, "joiner", 0, bob));
  const std::uint64_t next = commit(w, ++cs, update_text("n1", "while joining"));
  ASSERT_EQ(next, head + 1);
  std::uint32_t parts = 0;
  const v1::Welcome welcome = j.wait_welcome(30s, &parts);
  EXPECT_GT(parts, 1u);
  EXPECT_EQ(welcome.snapshot().objects_size(), 8000);
  // The change is in the welcome (joined after it) or the first thing after the parts.
  if (welcome.head_seq() < next) {
    auto ch = j.wait_kind(v1::ServerMessage::kChange);
    ASSERT_TRUE(ch);
    EXPECT_EQ(ch->change().seq(), next);
  }
  for (const v1::ServerMessage& m : j.drain()) EXPECT_FALSE(m.has_snapshot_part()) << "a part after the stream";
}

}  // namespace
}  // namespace tandem
