// ClusterPlacement (SPEC CLUSTER-2, -3, -5, -7; docs/CLUSTER.md) against a real
// redis-server and real RocksDB stores: leases, epochs, fencing, draining. Moving a
// board, promotes and drains through HTTP: placement_move_test.cpp.
#include <set>

#include "cluster/placement_fixture.hpp"

namespace tandem::placement_testing {
namespace {

TEST_F(PlacementTest, OneNodeHoldsALeaseAtATime) {
  auto a = node("A"), b = node("B");
  Claim ca = claim(*a, "b1");
  ASSERT_EQ(ca.outcome, ClaimOutcome::kOwned) << ca.why;
  EXPECT_GT(ca.epoch, 0u);
  EXPECT_EQ(get("tandem:lease:b1"), "A:" + std::to_string(ca.epoch));
  EXPECT_EQ(get("tandem:home:b1"), "A");
  EXPECT_TRUE(a->placement->holds("b1", ca.epoch));

  // B may not take it: without pulling it is told the board moved; pulling, A's HTTP
  // does not answer, so the board is unavailable (retry later), never owned twice.
  Claim moved = claim(*b, "b1", false);
  EXPECT_EQ(moved.outcome, ClaimOutcome::kMoved);
  Claim pulled = claim(*b, "b1", true);
  EXPECT_EQ(pulled.outcome, ClaimOutcome::kUnavailable);
  EXPECT_FALSE(b->placement->holds("b1", ca.epoch));
  EXPECT_EQ(get("tandem:lease:b1"), "A:" + std::to_string(ca.epoch));
  EXPECT_TRUE(a->placement->holds("b1", ca.epoch));
}

TEST_F(PlacementTest, EpochsGrowAcrossReleaseAndClaim) {
  auto a = node("A"), b = node("B");
  std::uint64_t last = 0;
  for (int i = 0; i < 3; ++i) {
    Claim c = claim(*a, "b2");
    ASSERT_EQ(c.outcome, ClaimOutcome::kOwned) << c.why;
    EXPECT_GT(c.epoch, last);
    last = c.epoch;
    a->placement->release("b2", c.epoch, true);
    EXPECT_FALSE(a->placement->holds("b2", c.epoch));
    ASSERT_TRUE(eventually([&] { return get("tandem:lease:b2") == "<nil>"; }, 5s));
  }
  // Released but existing: its data is still A's, so B is sent to A.
  EXPECT_EQ(get("tandem:home:b2"), "A");
  EXPECT_EQ(claim(*b, "b2", false).outcome, ClaimOutcome::kMoved);
}

TEST_F(PlacementTest, FenceRecordWinsOverARedisThatLostItsData) {
  auto a = node("A");
  Claim c = claim(*a, "b3");
  ASSERT_EQ(c.outcome, ClaimOutcome::kOwned);
  write(*a, "b3", {meta("b3"), storage::fence_write("b3", 1000)});  // a log batch under epoch 1000
  a->placement->release("b3", c.epoch, true);
  ASSERT_TRUE(eventually([&] { return get("tandem:lease:b3") == "<nil>"; }, 5s));
  redis({"FLUSHALL"});
  Claim again = claim(*a, "b3");
  ASSERT_EQ(again.outcome, ClaimOutcome::kOwned) << again.why;
  EXPECT_GT(again.epoch, 1000u);
  EXPECT_EQ(get("tandem:epoch:b3"), std::to_string(again.epoch));
}

TEST_F(PlacementTest, HoldsWhileRenewedAndNotAfterTheLeaseIsGone) {
  auto a = node("A");
  Claim c = claim(*a, "b4");
  ASSERT_EQ(c.outcome, ClaimOutcome::kOwned);
  // Over several TTLs the renew thread keeps it: holds() never turns false.
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(4 * kTtlMs);
  while (std::chrono::steady_clock::now() < end) ASSERT_TRUE(a->placement->holds("b4", c.epoch));
  EXPECT_FALSE(a->placement->holds("b4", c.epoch + 1));
  // Deleted behind its back (another node's view): the next renew drops it.
  redis({"DEL", "tandem:lease:b4"});
  EXPECT_TRUE(eventually([&] { return !a->placement->holds("b4", c.epoch); }, std::chrono::milliseconds(3 * kTtlMs)));
}

TEST_F(PlacementTest, LeasesRunOutWhenRedisIsGone) {
  auto a = node("A");
  Claim c = claim(*a, "b5");
  ASSERT_EQ(c.outcome, ClaimOutcome::kOwned);
  redis_server_->kill_now();
  EXPECT_TRUE(eventually([&] { return !a->placement->holds("b5", c.epoch); }, std::chrono::milliseconds(3 * kTtlMs)));
  Claim none = claim(*a, "b6");
  EXPECT_EQ(none.outcome, ClaimOutcome::kUnavailable);
}

TEST_F(PlacementTest, ReleaseOfAnUnknownBoardForgetsItsHome) {
  auto a = node("A"), b = node("B");
  Claim c = claim(*a, "nope");
  ASSERT_EQ(c.outcome, ClaimOutcome::kOwned);
  a->placement->release("nope", c.epoch, false);
  ASSERT_TRUE(eventually([&] { return get("tandem:home:nope") == "<nil>"; }, 5s));
  EXPECT_EQ(get("tandem:lease:nope"), "<nil>");
  Claim cb = claim(*b, "nope");  // whichever node creates it later owns it
  ASSERT_EQ(cb.outcome, ClaimOutcome::kOwned) << cb.why;
  EXPECT_GT(cb.epoch, c.epoch);
  EXPECT_EQ(get("tandem:home:nope"), "B");
}

TEST_F(PlacementTest, ADrainingNodeClaimsNothing) {
  auto a = node("A");
  a->placement->set_draining(true);
  EXPECT_TRUE(a->placement->draining());
  EXPECT_EQ(get("tandem:draining:A"), "1");
  Claim c = claim(*a, "b7");
  EXPECT_EQ(c.outcome, ClaimOutcome::kMoved);
  EXPECT_EQ(get("tandem:lease:b7"), "<nil>");
  // Loading its own board to hand it over (pull false) still works.
  EXPECT_EQ(claim(*a, "b7", false).outcome, ClaimOutcome::kOwned);
  a->placement->set_draining(false);
  EXPECT_EQ(get("tandem:draining:A"), "<nil>");
  EXPECT_EQ(claim(*a, "b8").outcome, ClaimOutcome::kOwned);
}

TEST_F(PlacementTest, ClaimsOfOneBoardAtOnceShareOneLease) {
  auto a = node("A");
  std::vector<std::promise<Claim>> ps(6);
  for (auto& p : ps) a->placement->claim("b9", true, [&p](Claim c) { p.set_value(std::move(c)); });
  std::set<std::uint64_t> epochs;
  for (auto& p : ps) {
    auto f = p.get_future();
    ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
    Claim c = f.get();
    EXPECT_EQ(c.outcome, ClaimOutcome::kOwned);
    epochs.insert(c.epoch);
  }
  // Each claim taken on its own would have bumped the epoch; at least the ones queued
  // while the first ran shared its result, and the held one is the newest.
  const std::uint64_t newest = *epochs.rbegin();
  EXPECT_LT(epochs.size(), ps.size());
  EXPECT_TRUE(a->placement->holds("b9", newest));
}

TEST_F(PlacementTest, ARestartedRedisIsReconnectedAndItsScriptsLoadedAgain) {
  auto a = node("A");
  Claim c = claim(*a, "r1");
  ASSERT_EQ(c.outcome, ClaimOutcome::kOwned);
  redis({"SCRIPT", "FLUSH"});  // EVALSHA answers NOSCRIPT: the script is sent again
  Claim c2 = claim(*a, "r2");
  ASSERT_EQ(c2.outcome, ClaimOutcome::kOwned) << c2.why;
  // Redis restarts empty on the same port: each connection breaks once and is opened
  // again; the lost lease of r1 is noticed, new claims work.
  const std::uint16_t port = redis_server_->port();
  redis_server_->kill_now();
  redis_server_ = std::make_unique<RedisServer>(port);
  ASSERT_EQ(redis_server_->port(), port);
  redis_ = std::make_unique<Redis>(redis_server_->address(), 1s, 1s);
  EXPECT_TRUE(eventually([&] { return !a->placement->holds("r1", c.epoch); }, std::chrono::milliseconds(3 * kTtlMs)));
  Claim c3 = claim(*a, "r3");
  ASSERT_EQ(c3.outcome, ClaimOutcome::kOwned) << c3.why;
  EXPECT_EQ(get("tandem:lease:r3"), "A:" + std::to_string(c3.epoch));
  EXPECT_TRUE(eventually([&] { return get("tandem:node:A") == kNobody; }, 5s));  // registered again by the renew tick
}

TEST_F(PlacementTest, StartFailsClearlyWithoutRedis) {
  const std::string address = redis_server_->address();
  redis_server_->kill_now();
  auto a = node("A", kNobody, kNobody, false);
  Status s = a->placement->start();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("cannot reach Redis at " + address), std::string::npos) << s.to_string();
  Claim c = claim(*a, "b10");  // not started: answered at once
  EXPECT_EQ(c.outcome, ClaimOutcome::kUnavailable);
}

TEST_F(PlacementTest, StartRefusesAConfigWithoutTheURLsItNeeds) {
  auto a = node("A", "", kNobody, false);
  Status s = a->placement->start();
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("--advertise"), std::string::npos) << s.to_string();
  auto b = node("B", kNobody, "127.0.0.1:1", false);
  s = b->placement->start();
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("--cluster-entry"), std::string::npos) << s.to_string();
}

TEST_F(PlacementTest, ABoardOnANodeThatIsDownIsUnavailable) {
  auto a = node("A"), b = node("B");
  ASSERT_EQ(claim(*a, "b11").outcome, ClaimOutcome::kOwned);
  a->placement->stop();               // A stops renewing: its lease runs out
  redis({"DEL", "tandem:node:A"});    // and its node record with it (PX 3 * ttl)
  ASSERT_TRUE(eventually([&] { return get("tandem:lease:b11") == "<nil>"; }, 3s));
  Claim c = claim(*b, "b11");
  EXPECT_EQ(c.outcome, ClaimOutcome::kUnavailable);
  EXPECT_EQ(c.why, "the board's node is down");
  EXPECT_EQ(get("tandem:home:b11"), "A");  // its data stays A's until A hands it over
}

}  // namespace
}  // namespace tandem::placement_testing
