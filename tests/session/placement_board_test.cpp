// The Board's side of placement (protocol/SPEC.md CLUSTER-2..6): claims, fencing, the
// hand-over's source side and promotes across nodes, with a test double of the
// Placement (the cluster's Redis placement is tested in tests/cluster/), real Boards
// and Endpoints over a real RocksDB in a temp folder.
#include <gtest/gtest.h>

#include <boost/asio/strand.hpp>

#include <deque>
#include <mutex>
#include <optional>

#include "board/placement.hpp"
#include "session/fake_sink.hpp"
#include "session/test_context.hpp"
#include "storage/keys.hpp"
#include "support/ops.hpp"
#include "tandem/v1/cluster.pb.h"

namespace tandem {
namespace {

using testing::Client;
using testing::Kind;
using testing::TestContext;

// A clustered placement whose answers the test chooses; records what the boards asked.
class TestPlacement final : public Placement {
 public:
  struct Release {
    std::string board;
    std::uint64_t epoch;
    bool exists;
  };

  bool clustered() const override { return true; }
  void claim(const std::string& board_id, bool pull, ClaimDone done) override {
    {
      std::lock_guard<std::mutex> lock(mu);
      claims.emplace_back(board_id, pull);
    }
    done(Claim{outcome, epoch, "test placement"});
  }
  // `holds_left` >= 0: that many more true answers, then false; < 0: always the epoch.
  bool holds(const std::string&, std::uint64_t e) const override {
    std::lock_guard<std::mutex> lock(mu);
    if (holds_left == 0) return false;
    if (holds_left > 0) --holds_left;
    return e == epoch;
  }
  void release(const std::string& board_id, std::uint64_t e, bool exists) override {
    std::lock_guard<std::mutex> lock(mu);
    releases.push_back({board_id, e, exists});
  }
  void forward_promote(const std::string& backlog, const PromoteRequest& req, PromoteDone done) override {
    PromoteOutcome answer = PromoteOutcome::kCreated;
    {
      std::lock_guard<std::mutex> lock(mu);
      forwards.emplace_back(backlog, req);
      if (!promote_answers.empty()) answer = promote_answers.front(), promote_answers.pop_front();
    }
    done(answer, "");
  }

  ClaimOutcome outcome = ClaimOutcome::kOwned;
  std::uint64_t epoch = 7;
  mutable std::mutex mu;
  mutable int holds_left = -1;
  std::vector<std::pair<std::string, bool>> claims;  // board, pull
  std::vector<Release> releases;
  std::vector<std::pair<std::string, PromoteRequest>> forwards;
  std::deque<PromoteOutcome> promote_answers;
};

v1::ClientMessage join_msg(const TestContext& ctx, const std::string& board, const std::string& client) {
  v1::ClientMessage m;
  m.mutable_join()->set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
  m.mutable_join()->set_board_id(board);
  m.mutable_join()->set_client_id(client);
  m.mutable_join()->set_token(ctx.member_token(board, "member-" + client));
  return m;
}

v1::ClientMessage notes(std::uint64_t first, int n) {
  v1::ClientMessage m;
  for (int i = 0; i < n; ++i) {
    v1::Change* c = m.mutable_submit()->add_changes();
    c->set_client_seq(first + i);
    *c->add_ops() = testing::create_note("n" + std::to_string(first + i), "x");
  }
  return m;
}

const v1::ServerMessage* find(const testing::FakeSink& s, Kind k) {
  for (const auto& m : s.sent)
    if (m.kind_case() == k) return &m;
  return nullptr;
}

class PlacementBoardTest : public ::testing::Test {
 protected:
  std::unique_ptr<Client> connect(TestContext& ctx) {
    auto c = std::make_unique<Client>();
    auto& strand = ctx.ioc.get() == t.ioc.get() ? this->strand : other_strand;
    c->ep = Endpoint::create(*ctx.ctx, strand, c->sink, ctx.ctx->next_conn_id.fetch_add(1));
    return c;
  }
  std::unique_ptr<Client> joined(const std::string& board, const std::string& client) {
    auto c = connect(t);
    c->send(join_msg(t, board, client));
    EXPECT_TRUE(t.pump_until([&] { return c->sink->count(Kind::kWelcome) == 1; }));
    return c;
  }
  std::unique_ptr<Client> refused(const std::string& board, const std::string& client) {
    auto c = connect(t);
    c->send(join_msg(t, board, client));
    EXPECT_TRUE(t.pump_until([&] { return c->sink->close_code.has_value(); }));
    return c;
  }

  TestPlacement placement;
  TestContext t{ServerConfig{}, &placement};
  TestContext other;  // a second node's store (single node)
  boost::asio::any_io_executor strand = boost::asio::make_strand(*t.ioc);
  boost::asio::any_io_executor other_strand = boost::asio::make_strand(*other.ioc);
};

TEST_F(PlacementBoardTest, ABoardServedElsewhereRefusesAJoinWith4008AndNoData) {  // CLUSTER-2
  t.create_board("b");
  placement.outcome = ClaimOutcome::kMoved;
  auto c = refused("b", "a");
  EXPECT_EQ(c->sink->errors(), std::vector<v1::ErrorCode>{v1::ERROR_CODE_BOARD_MOVED});
  EXPECT_EQ(c->sink->close_code, wire::kCloseMoved);
  EXPECT_EQ(c->sink->count(Kind::kWelcome) + c->sink->count(Kind::kChange), 0u);
  // Retired without releasing (it held no lease); the next request claims again.
  ASSERT_TRUE(t.pump_until([&] { return t.boards->open_boards() == 0; }));
  EXPECT_TRUE(placement.releases.empty());
  placement.outcome = ClaimOutcome::kOwned;
  auto d = joined("b", "d");
  EXPECT_EQ(placement.claims.size(), 2u);
  EXPECT_TRUE(placement.claims[1].second);  // a join may pull the board here
}

TEST_F(PlacementBoardTest, ABoardWhoseNodeIsAwayRefusesAJoinWith4009) {  // CLUSTER-5
  t.create_board("b");
  placement.outcome = ClaimOutcome::kUnavailable;
  auto c = refused("b", "a");
  EXPECT_EQ(c->sink->errors(), std::vector<v1::ErrorCode>{v1::ERROR_CODE_BOARD_UNAVAILABLE});
  EXPECT_EQ(c->sink->close_code, wire::kCloseUnavailable);
  EXPECT_EQ(c->sink->close_reason.find("node"), std::string::npos);  // names no node
}

TEST_F(PlacementBoardTest, EveryBatchCarriesTheFenceAndTheWelcomeTheLeaseEpoch) {  // CLUSTER-3
  t.create_board("b");
  auto c = joined("b", "a");
  EXPECT_EQ(find(*c->sink, Kind::kWelcome)->welcome().lease_epoch(), 7u);
  c->send(notes(1, 3));
  ASSERT_TRUE(t.pump_until([&] { return c->sink->count(Kind::kAck) == 3; }));
  std::uint64_t fence = 0;
  ASSERT_TRUE(t.store->read_fence("b", &fence).ok());
  EXPECT_EQ(fence, 7u);
  placement.epoch = 9;  // a new lease (after a reload): its batches carry it
  c.reset();
  ASSERT_TRUE(t.pump_until([&] { return t.boards->open_boards() == 0; }));
  ASSERT_EQ(placement.releases.size(), 1u);  // the idle board gave its lease back
  EXPECT_EQ(placement.releases[0].epoch, 7u);
  EXPECT_TRUE(placement.releases[0].exists);
  auto d = joined("b", "d");
  EXPECT_EQ(find(*d->sink, Kind::kWelcome)->welcome().lease_epoch(), 9u);
  d->send(notes(4, 1));
  ASSERT_TRUE(t.pump_until([&] { return d->sink->count(Kind::kAck) == 1; }));
  ASSERT_TRUE(t.store->read_fence("b", &fence).ok());
  EXPECT_EQ(fence, 9u);
}

TEST_F(PlacementBoardTest, AnUnknownBoardReleasesItsPlacementRecord) {  // CLUSTER-2
  auto c = refused("nothing-here", "a");
  EXPECT_EQ(c->sink->close_code, wire::kCloseUnauthorized);
  ASSERT_TRUE(t.pump_until([&] { return placement.releases.size() == 1; }));
  EXPECT_FALSE(placement.releases[0].exists);
}

TEST_F(PlacementBoardTest, ASingleNodeWritesNoFence) {  // CLUSTER-3: one node is unfenced
  other.create_board("b");
  auto c = connect(other);
  c->send(join_msg(other, "b", "a"));
  ASSERT_TRUE(other.pump_until([&] { return c->sink->count(Kind::kWelcome) == 1; }));
  EXPECT_EQ(find(*c->sink, Kind::kWelcome)->welcome().lease_epoch(), 0u);
  c->send(notes(1, 2));
  ASSERT_TRUE(other.pump_until([&] { return c->sink->count(Kind::kAck) == 2; }));
  std::uint64_t fence = 1;
  ASSERT_TRUE(other.store->read_fence("b", &fence).ok());
  EXPECT_EQ(fence, 0u);
}

TEST_F(PlacementBoardTest, ALeaseLostBeforeTheWriteWritesNothing) {  // CLUSTER-3
  t.create_board("b");
  auto c = joined("b", "a");
  placement.holds_left = 0;
  c->send(notes(1, 1));
  ASSERT_TRUE(t.pump_until([&] { return c->sink->close_code.has_value(); }));
  EXPECT_EQ(c->sink->close_code, wire::kCloseMoved);
  ASSERT_NE(find(*c->sink, Kind::kReject), nullptr);
  EXPECT_EQ(find(*c->sink, Kind::kReject)->reject().code(), v1::REJECT_CODE_STORAGE_UNAVAILABLE);
  EXPECT_EQ(c->sink->count(Kind::kAck), 0u);
  EXPECT_EQ(t.store->count_keys(storage::Cf::kOps), 0u);
}

TEST_F(PlacementBoardTest, ALeaseLostBeforeDurableAcksNothingAndClosesWith4008) {  // CLUSTER-3
  t.create_board("b");
  auto c = joined("b", "a");
  auto other_member = joined("b", "b");
  placement.holds_left = 1;  // the write may go; by the time it is durable the lease is gone
  c->send(notes(1, 1));
  ASSERT_TRUE(t.pump_until([&] { return c->sink->close_code && other_member->sink->close_code; }));
  EXPECT_EQ(c->sink->close_code, wire::kCloseMoved);
  EXPECT_EQ(other_member->sink->close_code, wire::kCloseMoved);
  ASSERT_NE(find(*c->sink, Kind::kReject), nullptr);
  EXPECT_EQ(find(*c->sink, Kind::kReject)->reject().code(), v1::REJECT_CODE_STORAGE_UNAVAILABLE);
  EXPECT_EQ(c->sink->count(Kind::kAck), 0u);
  EXPECT_EQ(other_member->sink->count(Kind::kChange), 0u);  // nobody saw it
  // Written (fenced with the old epoch) but never acked: the client resends it and the
  // board, reloaded under a lease, answers it from the client's record (IDEM-*).
  std::uint64_t fence = 0;
  ASSERT_TRUE(t.store->read_fence("b", &fence).ok());
  EXPECT_EQ(fence, 7u);
  placement.holds_left = -1;
  auto again = connect(t);
  again->send(join_msg(t, "b", "a"));
  ASSERT_TRUE(t.pump_until([&] { return again->sink->count(Kind::kWelcome) == 1; }));
  EXPECT_EQ(find(*again->sink, Kind::kWelcome)->welcome().head_seq(), 1u);
  EXPECT_EQ(find(*again->sink, Kind::kWelcome)->welcome().last_client_seq(), 1u);
}

TEST_F(PlacementBoardTest, AHandOverShipsABoardThatLoadsTheSameElsewhere) {  // CLUSTER-4
  t.create_board("b");
  auto a = joined("b", "a");
  auto b = joined("b", "b");
  a->send(notes(1, 3));
  ASSERT_TRUE(t.pump_until([&] { return a->sink->count(Kind::kAck) == 3 && b->sink->count(Kind::kChange) == 3; }));
  auto board = t.boards->find("b");
  ASSERT_TRUE(board);
  std::optional<int> status;
  std::string body;
  board->hand_over("node-2", [&](int s, std::string bytes) { status = s, body = std::move(bytes); });
  ASSERT_TRUE(t.pump_until([&] { return status.has_value(); }));
  ASSERT_EQ(*status, 200) << body;
  EXPECT_EQ(a->sink->close_code, wire::kCloseMoved);
  EXPECT_EQ(b->sink->close_code, wire::kCloseMoved);
  v1::BoardShipment shipment;
  ASSERT_TRUE(shipment.ParseFromString(body));
  EXPECT_EQ(shipment.board_id(), "b");
  EXPECT_EQ(shipment.epoch(), 7u);
  EXPECT_EQ(shipment.head_seq(), 3u);

  // While it moves, a join is sent on to the new owner.
  auto late = refused("b", "c");
  EXPECT_EQ(late->sink->errors(), std::vector<v1::ErrorCode>{v1::ERROR_CODE_BOARD_MOVED});
  EXPECT_EQ(late->sink->close_code, wire::kCloseMoved);

  // The keys, written into another node's store, are the same board there.
  std::vector<storage::Write> writes;
  for (const auto& k : shipment.keys())
    writes.push_back({static_cast<storage::Cf>(k.cf()), k.key(), k.value()});
  std::vector<const storage::Write*> ptrs;
  for (const auto& w : writes) ptrs.push_back(&w);
  ASSERT_TRUE(other.store->write(ptrs, storage::Durability::kSync).ok());
  auto moved = connect(other);
  moved->send(join_msg(other, "b", "a"));
  ASSERT_TRUE(other.pump_until([&] { return moved->sink->count(Kind::kWelcome) == 1; }));
  const v1::Welcome& w = find(*moved->sink, Kind::kWelcome)->welcome();
  EXPECT_EQ(w.head_seq(), 3u);
  EXPECT_EQ(w.last_client_seq(), 3u);  // the client records came too: resends are duplicates
  EXPECT_EQ(w.snapshot().objects_size() + w.changes_size(), 3);

  // Done: the old node wipes its copy and closes the board, keeping no lease to release.
  std::optional<int> done_status;
  board->handover_done(8, [&](int s, std::string) { done_status = s; });
  ASSERT_TRUE(t.pump_until([&] { return done_status.has_value(); }));
  EXPECT_EQ(*done_status, 200);
  std::vector<storage::Write> left;
  ASSERT_TRUE(t.store->read_board_keys("b", &left).ok());
  EXPECT_TRUE(left.empty());
  EXPECT_EQ(t.boards->find("b"), nullptr);
  EXPECT_TRUE(placement.releases.empty());
}

TEST_F(PlacementBoardTest, AHandOverLoadsWithoutPullingAndRefusesWhatIsNotHere) {  // CLUSTER-4
  t.create_board("b");
  std::optional<int> status;
  t.boards->find_or_open("b")->hand_over("node-2", [&](int s, std::string) { status = s; });
  ASSERT_TRUE(t.pump_until([&] { return status.has_value(); }));
  EXPECT_EQ(*status, 200);
  ASSERT_EQ(placement.claims.size(), 1u);
  EXPECT_FALSE(placement.claims[0].second);  // loaded only to be handed over: no pull

  status.reset();
  t.boards->find_or_open("missing")->hand_over("node-2", [&](int s, std::string) { status = s; });
  ASSERT_TRUE(t.pump_until([&] { return status.has_value(); }));
  EXPECT_EQ(*status, 404);

  t.create_board("c");
  placement.outcome = ClaimOutcome::kMoved;
  status.reset();
  t.boards->find_or_open("c")->hand_over("node-2", [&](int s, std::string) { status = s; });
  ASSERT_TRUE(t.pump_until([&] { return status.has_value(); }));
  EXPECT_EQ(*status, 409);

  placement.outcome = ClaimOutcome::kOwned;
  t.create_board("d");
  status.reset();
  t.boards->find_or_open("d")->handover_done(8, [&](int s, std::string) { status = s; });
  ASSERT_TRUE(t.pump_until([&] { return status.has_value(); }));
  EXPECT_EQ(*status, 409);  // no hand-over in progress: nothing wiped
  std::vector<storage::Write> keys;
  ASSERT_TRUE(t.store->read_board_keys("d", &keys).ok());
  EXPECT_FALSE(keys.empty());
}

TEST_F(PlacementBoardTest, AHandOverNotCompletedGivesTheBoardBack) {  // CLUSTER-4
  t.create_board("b");
  auto a = joined("b", "a");
  a->send(notes(1, 2));
  ASSERT_TRUE(t.pump_until([&] { return a->sink->count(Kind::kAck) == 2; }));
  std::optional<int> status;
  t.boards->find("b")->hand_over("node-2", [&](int s, std::string) { status = s; });
  ASSERT_TRUE(t.pump_until([&] { return status.has_value(); }));
  ASSERT_EQ(*status, 200);
  // No handover_done (the new node died): after its timer the board gives its lease
  // back and closes; its data stays here and the next join loads it.
  ASSERT_TRUE(t.pump_until([&] { return t.boards->open_boards() == 0; }, std::chrono::seconds(30)));
  ASSERT_EQ(placement.releases.size(), 1u);
  EXPECT_EQ(placement.releases[0].epoch, 7u);
  EXPECT_TRUE(placement.releases[0].exists);
  auto again = connect(t);
  again->send(join_msg(t, "b", "a"));
  ASSERT_TRUE(t.pump_until([&] { return again->sink->count(Kind::kWelcome) == 1; }));
  EXPECT_EQ(find(*again->sink, Kind::kWelcome)->welcome().head_seq(), 2u);
  again->send(notes(3, 1));
  ASSERT_TRUE(t.pump_until([&] { return again->sink->count(Kind::kAck) == 1; }));
}

TEST_F(PlacementBoardTest, APromoteIsForwardedAndResentByTheTimerAfterRetry) {  // CLUSTER-6, PROMOTE-6
  t.create_board("d");
  placement.promote_answers = {PromoteOutcome::kRetry, PromoteOutcome::kCreated};
  auto c = joined("d", "a");
  v1::ClientMessage m = notes(1, 1);
  v1::Change* p = m.mutable_submit()->add_changes();
  p->set_client_seq(2);
  *p->add_ops() = testing::promote("n1", "backlog", "item-n1", t.member_token("backlog", "member-a"));
  c->send(m);
  ASSERT_TRUE(t.pump_until([&] { return c->sink->count(Kind::kAck) == 2; }));
  // Answered kRetry first; the timer sends it again, no new change needed.
  auto promote_done = [&] {
    for (const auto& s : c->sink->sent)
      if (s.has_change())
        for (const auto& op : s.change().ops())
          if (op.has_promote_done()) return &op.promote_done();
    return static_cast<const v1::PromoteDone*>(nullptr);
  };
  ASSERT_TRUE(t.pump_until([&] { return promote_done() != nullptr; }));
  EXPECT_TRUE(promote_done()->ok());
  ASSERT_EQ(placement.forwards.size(), 2u);
  EXPECT_EQ(placement.forwards[0].first, "backlog");
  EXPECT_EQ(placement.forwards[0].second.source_board, "d");
  EXPECT_EQ(placement.forwards[1].second.promote_seq, placement.forwards[0].second.promote_seq);
  EXPECT_EQ(placement.forwards[1].second.item_id, "item-n1");
  // The outbox is empty: nothing more is sent, and the idle board closes.
  c.reset();
  ASSERT_TRUE(t.pump_until([&] { return t.boards->open_boards() == 0; }));
  EXPECT_EQ(placement.forwards.size(), 2u);
}

}  // namespace
}  // namespace tandem
