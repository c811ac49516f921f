// ClusterPlacement's HTTP paths (SPEC CLUSTER-4, -6, -7; docs/CLUSTER.md): pulling a
// board from the node that has it, promotes forwarded through the balancer, and drains.
// The other node's endpoints and the balancer are TinyHttp servers answering as the
// real ones do (server/net/ has the real ones; tests/cluster/cluster_test.cpp runs them).
#include <atomic>
#include <mutex>

#include "cluster/placement_fixture.hpp"
#include "tandem/v1/cluster.pb.h"

namespace tandem::placement_testing {
namespace {

// What the old owner's handover endpoints saw.
struct Handovers {
  std::mutex mu;
  std::vector<std::string> targets;
  bool seen(const std::string& prefix) {
    std::lock_guard l(mu);
    for (const auto& t : targets)
      if (t.rfind(prefix, 0) == 0) return true;
    return false;
  }
};

// Node A's handover endpoints over A's store: ships every key of the board under
// `epoch`; `before_answer` runs first (a test can move the lease meanwhile).
TinyHttp::Handler old_owner(Node& a, Handovers& seen, std::atomic<std::uint64_t>& epoch,
                            std::function<void()> before_answer = {}) {
  return [&a, &seen, &epoch, before_answer](const std::string& method, const std::string& target,
                                            const std::string&) -> std::pair<int, std::string> {
    {
      std::lock_guard l(seen.mu);
      seen.targets.push_back(method + " " + target);
    }
    if (target.find("/handover/done") != std::string::npos) return {200, "{}"};
    const std::string board = target.substr(12, target.find("/handover") - 12);  // "/api/boards/<id>/handover"
    std::vector<storage::Write> keys;
    if (!a.store->read_board_keys(board, &keys).ok()) return {503, ""};
    v1::BoardShipment s;
    s.set_board_id(board);
    s.set_epoch(epoch.load());
    for (const auto& k : keys) {
      auto* sk = s.add_keys();
      sk->set_cf(static_cast<std::uint32_t>(k.cf));
      sk->set_key(k.key);
      sk->set_value(k.value);
    }
    if (before_answer) before_answer();
    return {200, s.SerializeAsString()};
  };
}

std::vector<std::pair<std::string, std::string>> stored(Node& n, const std::string& board) {
  std::vector<storage::Write> keys;
  EXPECT_TRUE(n.store->read_board_keys(board, &keys).ok());
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& k : keys) out.emplace_back(std::to_string(static_cast<int>(k.cf)) + "/" + k.key, k.value);
  return out;
}

TEST_F(PlacementTest, PullingABoardShipsItsKeysAndMovesTheLease) {
  Handovers seen;
  std::atomic<std::uint64_t> a_epoch{0};
  std::unique_ptr<Node> a;
  std::unique_ptr<TinyHttp> a_http;
  a_http = std::make_unique<TinyHttp>([&](const std::string& m, const std::string& t, const std::string& b) {
    return old_owner(*a, seen, a_epoch)(m, t, b);
  });
  a = node("A", a_http->url());
  auto b = node("B");
  Claim ca = claim(*a, "mv");
  ASSERT_EQ(ca.outcome, ClaimOutcome::kOwned);
  a_epoch = ca.epoch;
  write(*a, "mv", {meta("mv"), {storage::Cf::kOps, storage::seq_key("mv", 1), "change-1"},
                   {storage::Cf::kClients, storage::client_key("mv", "c1"), "client"}, storage::fence_write("mv", ca.epoch)});
  write(*b, "mv", {{storage::Cf::kOps, storage::seq_key("mv", 9), "stale"}});  // an old copy on B: replaced

  Claim cb = claim(*b, "mv");
  ASSERT_EQ(cb.outcome, ClaimOutcome::kOwned) << cb.why;
  EXPECT_GT(cb.epoch, ca.epoch);
  EXPECT_EQ(stored(*b, "mv"), stored(*a, "mv"));
  EXPECT_EQ(get("tandem:lease:mv"), "B:" + std::to_string(cb.epoch));
  EXPECT_EQ(get("tandem:home:mv"), "B");
  EXPECT_TRUE(b->placement->holds("mv", cb.epoch));
  EXPECT_TRUE(seen.seen("POST /api/boards/mv/handover?to=B"));
  EXPECT_TRUE(eventually([&] { return seen.seen("POST /api/boards/mv/handover/done?epoch=" + std::to_string(cb.epoch)); }, 5s));
  // A's next renew finds the lease gone: A may ack nothing more (CLUSTER-3).
  EXPECT_TRUE(eventually([&] { return !a->placement->holds("mv", ca.epoch); }, std::chrono::milliseconds(3 * kTtlMs)));
  // A, asked for it again, is sent to B.
  EXPECT_EQ(claim(*a, "mv", false).outcome, ClaimOutcome::kMoved);
}

TEST_F(PlacementTest, ABoardMovedMeanwhileIsNotTakenAndItsCopyIsDropped) {
  Handovers seen;
  std::atomic<std::uint64_t> a_epoch{0};
  std::unique_ptr<Node> a;
  auto a_http = std::make_unique<TinyHttp>([&](const std::string& m, const std::string& t, const std::string& b) {
    // While A ships, a third node took the lease.
    return old_owner(*a, seen, a_epoch, [&] { redis({"SET", "tandem:lease:race", "C:999", "PX", "60000"}); })(m, t, b);
  });
  a = node("A", a_http->url());
  auto b = node("B");
  Claim ca = claim(*a, "race");
  ASSERT_EQ(ca.outcome, ClaimOutcome::kOwned);
  a_epoch = ca.epoch;
  write(*a, "race", {meta("race"), storage::fence_write("race", ca.epoch)});
  Claim cb = claim(*b, "race");
  EXPECT_EQ(cb.outcome, ClaimOutcome::kUnavailable);
  EXPECT_EQ(cb.why, "the board moved meanwhile");
  EXPECT_TRUE(stored(*b, "race").empty());
  EXPECT_EQ(get("tandem:lease:race"), "C:999");
  EXPECT_EQ(get("tandem:home:race"), "A");
  EXPECT_FALSE(seen.seen("POST /api/boards/race/handover/done"));
}

TEST_F(PlacementTest, AHandoverRefusedLeavesTheBoardWhereItIs) {
  TinyHttp a_http([](const std::string&, const std::string&, const std::string&) { return std::pair{503, std::string()}; });
  auto a = node("A", a_http.url()), b = node("B");
  Claim ca = claim(*a, "stay");
  ASSERT_EQ(ca.outcome, ClaimOutcome::kOwned);
  EXPECT_EQ(claim(*b, "stay").outcome, ClaimOutcome::kUnavailable);
  EXPECT_EQ(get("tandem:lease:stay"), "A:" + std::to_string(ca.epoch));
  EXPECT_TRUE(a->placement->holds("stay", ca.epoch));
}

TEST_F(PlacementTest, PromotesGoThroughTheEntryAndReportItsAnswer) {
  std::mutex mu;
  std::vector<v1::PromoteForward> got;
  std::atomic<int> answer{v1::PromoteForwardAnswer::OUTCOME_CREATED};
  TinyHttp entry([&](const std::string& method, const std::string& target, const std::string& body) {
    if (method != "POST" || target != "/api/boards/backlog1/promote") return std::pair{404, std::string()};
    v1::PromoteForward f;
    if (!f.ParseFromString(body)) return std::pair{400, std::string()};
    {
      std::lock_guard l(mu);
      got.push_back(f);
    }
    if (answer < 0) return std::pair{503, std::string()};
    v1::PromoteForwardAnswer a;
    a.set_outcome(static_cast<v1::PromoteForwardAnswer::Outcome>(answer.load()));
    if (a.outcome() == v1::PromoteForwardAnswer::OUTCOME_REFUSED) a.set_error("the promoter's invite was revoked");
    return std::pair{200, a.SerializeAsString()};
  });
  auto a = node("A", kNobody, entry.url());
  auto promote = [&](const std::string& backlog) {
    PromoteRequest req;
    req.source_board = "disc";
    req.promote_seq = 7;
    req.note_id = "n1";
    req.item_id = "i1";
    req.title = "Ship it";
    req.promoter_invite = "inv";
    std::promise<std::pair<PromoteOutcome, std::string>> p;
    a->placement->forward_promote(backlog, req, [&p](PromoteOutcome o, std::string e) { p.set_value({o, e}); });
    auto f = p.get_future();
    EXPECT_EQ(f.wait_for(20s), std::future_status::ready);
    return f.get();
  };
  EXPECT_EQ(promote("backlog1").first, PromoteOutcome::kCreated);
  {
    std::lock_guard l(mu);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].source_board(), "disc");
    EXPECT_EQ(got[0].promote_seq(), 7u);
    EXPECT_EQ(got[0].title(), "Ship it");
    EXPECT_TRUE(got[0].has_promoter_invite());
    EXPECT_EQ(got[0].promoter_invite(), "inv");
    EXPECT_EQ(got[0].backlog_board(), "backlog1");
  }
  answer = v1::PromoteForwardAnswer::OUTCOME_REFUSED;
  auto refused = promote("backlog1");
  EXPECT_EQ(refused.first, PromoteOutcome::kRefused);
  EXPECT_EQ(refused.second, "the promoter's invite was revoked");
  answer = -1;  // the entry answers 503: not decided, sent again later (PROMOTE-6)
  EXPECT_EQ(promote("backlog1").first, PromoteOutcome::kRetry);
  EXPECT_EQ(promote("unrouted").first, PromoteOutcome::kRetry);  // 404
}

TEST_F(PlacementTest, PromotesWithTheEntryDownAreRetried) {
  auto a = node("A");
  std::promise<PromoteOutcome> p;
  a->placement->forward_promote("backlog1", PromoteRequest{"disc", 1, "n", "i", "t", std::nullopt},
                                [&p](PromoteOutcome o, std::string) { p.set_value(o); });
  auto f = p.get_future();
  ASSERT_EQ(f.wait_for(20s), std::future_status::ready);
  EXPECT_EQ(f.get(), PromoteOutcome::kRetry);
}

TEST_F(PlacementTest, DrainAsksTheEntryToClaimEveryLiveBoardUntilAnotherNodeDoes) {
  std::mutex mu;
  std::map<std::string, int> asked;
  TinyHttp entry([&](const std::string& method, const std::string& target, const std::string&) {
    std::lock_guard l(mu);
    int n = ++asked[method + " " + target];
    // d1 is still routed to the draining node twice (503), then another node takes it.
    if (target == "/api/boards/d1/claim" && n <= 2) return std::pair{503, std::string()};
    return std::pair{200, std::string("{}")};
  });
  auto a = node("A", kNobody, entry.url());
  write(*a, "d1", {meta("d1")});
  write(*a, "d2", {meta("d2")});
  write(*a, "d3", {meta("d3", true)});  // deleted: nothing to move
  auto report = a->placement->drain(10s);
  EXPECT_EQ(report.moved, 2);
  EXPECT_TRUE(report.left.empty());
  EXPECT_TRUE(a->placement->draining());
  EXPECT_EQ(get("tandem:draining:A"), "1");
  std::lock_guard l(mu);
  EXPECT_EQ(asked["POST /api/boards/d1/claim"], 3);
  EXPECT_EQ(asked["POST /api/boards/d2/claim"], 1);
  EXPECT_EQ(asked.count("POST /api/boards/d3/claim"), 0u);
}

TEST_F(PlacementTest, DrainReportsWhatItCouldNotMoveByItsDeadline) {
  TinyHttp entry([](const std::string&, const std::string&, const std::string&) { return std::pair{503, std::string()}; });
  auto a = node("A", kNobody, entry.url());
  write(*a, "e1", {meta("e1")});
  write(*a, "e2", {meta("e2")});
  auto report = a->placement->drain(600ms);
  EXPECT_EQ(report.moved, 0);
  EXPECT_EQ(report.left, (std::vector<std::string>{"e1", "e2"}));
}

}  // namespace
}  // namespace tandem::placement_testing
