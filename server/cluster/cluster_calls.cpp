// ClusterPlacement's calls through the balancer: promotes to a backlog board on another
// node (SPEC CLUSTER-6, PROMOTE-*) and draining this node (CLUSTER-7).
#include <algorithm>
#include <thread>

#include "cluster/cluster_placement.hpp"
#include "cluster/redis.hpp"
#include "log.hpp"
#include "net/http_call.hpp"
#include "net/http_cluster.hpp"
#include "tandem/v1/board.pb.h"
#include "tandem/v1/cluster.pb.h"

namespace tandem::cluster {
namespace {

constexpr auto kPromoteTimeout = std::chrono::seconds(5);
constexpr auto kDrainRetry = std::chrono::milliseconds(200);

std::string status_words(const HttpCallResult& r) {
  return r.status ? "HTTP " + std::to_string(r.status) : r.error;
}

}  // namespace

// CLUSTER-6: POST {entry}/api/boards/<backlog>/promote; the balancer routes it to the
// backlog board's owner. Anything but a decided answer is kRetry: the discovery board
// sends it again (PROMOTE-6, idempotent by source board and promote_seq).
void ClusterPlacement::forward_promote(const std::string& backlog_board, const PromoteRequest& req, PromoteDone done) {
  const v1::PromoteForward f = promote_forward(backlog_board, req);  // net/http_cluster.hpp
  auto shared_done = std::make_shared<PromoteDone>(std::move(done));
  enqueue(
      [this, backlog_board, body = f.SerializeAsString(), shared_done](Redis&) {
        HttpCall call;
        call.base_url = cfg_.entry;
        call.method = "POST";
        call.target = "/api/boards/" + url_encode(backlog_board) + "/promote";
        call.bearer = admin_token_;
        call.body = body;
        call.content_type = "application/x-protobuf";
        call.timeout = kPromoteTimeout;
        HttpCallResult r = http_call(call);
        v1::PromoteForwardAnswer answer;
        if (r.status != 200 || !answer.ParseFromString(r.body))
          return (*shared_done)(PromoteOutcome::kRetry, "the backlog board's node did not answer (" + status_words(r) + ")");
        switch (answer.outcome()) {
          case v1::PromoteForwardAnswer::OUTCOME_CREATED: return (*shared_done)(PromoteOutcome::kCreated, "");
          case v1::PromoteForwardAnswer::OUTCOME_REFUSED: return (*shared_done)(PromoteOutcome::kRefused, answer.error());
          default: return (*shared_done)(PromoteOutcome::kRetry, answer.error());
        }
      },
      [shared_done] { (*shared_done)(PromoteOutcome::kRetry, "this node is stopping"); });
}

// CLUSTER-7: with the draining flag set this node claims nothing and answers /readyz
// 503, so the balancer stops routing here; each board stored here is then claimed
// through the balancer, which makes its new node pull it. While the balancer still
// routes a board here the claim answers 503: retried every 200 ms until `deadline`.
ClusterPlacement::DrainReport ClusterPlacement::drain(std::chrono::milliseconds deadline) {
  const auto end = Clock::now() + deadline;
  set_draining(true);
  DrainReport report;
  std::vector<storage::Store::BoardListing> listing;
  Status s = store_.list_boards(&listing);
  if (!s.ok()) {
    log::line(log::Level::kError, "cluster: drain cannot list the boards: %s", s.message().c_str());
    return report;
  }
  for (const auto& row : listing) {
    v1::BoardMeta meta;
    if (!meta.ParseFromString(row.meta) || meta.deleted()) continue;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now());
      HttpCallResult r;
      if (left.count() > 0) {
        HttpCall call;
        call.base_url = cfg_.entry;
        call.method = "POST";
        call.target = "/api/boards/" + url_encode(meta.id()) + "/claim";
        call.bearer = admin_token_;
        call.timeout = std::min<std::chrono::milliseconds>(left, std::chrono::seconds(10));
        r = http_call(call);
      }
      if (r.status == 200) {
        ++report.moved;
        break;
      }
      if (Clock::now() + kDrainRetry >= end) {
        log::line(log::Level::kWarn, log::Fields().board(meta.id()), "cluster: drain left the board here (%s)",
                  status_words(r).c_str());
        report.left.push_back(meta.id());
        break;
      }
      std::this_thread::sleep_for(kDrainRetry);
    }
  }
  return report;
}

// Every node that ever started (tandem:nodes), not only the live ones: a node that is
// down still has boards, and the caller says they are missing (docs/CLUSTER.md).
std::vector<ClusterPlacement::NodeAnswer> ClusterPlacement::ask_other_nodes(const std::string& target,
                                                                            std::chrono::milliseconds timeout) {
  std::vector<NodeAnswer> out;
  std::unique_ptr<Redis> redis = new_redis();
  RedisReply r;
  if (!redis->command({"HGETALL", "tandem:nodes"}, &r).ok() || r.type != RedisReply::Type::kArray) {
    out.push_back({"redis", 0, "", "the placement store did not answer"});
    return out;
  }
  std::vector<std::pair<std::string, std::string>> nodes;  // id, advertise URL
  for (std::size_t i = 0; i + 1 < r.elements.size(); i += 2)
    if (r.elements[i].text() != cfg_.node_id) nodes.emplace_back(r.elements[i].text(), r.elements[i + 1].text());
  std::sort(nodes.begin(), nodes.end());
  for (const auto& [id, url] : nodes) {
    HttpCall call;
    call.base_url = url;
    call.target = target;
    call.bearer = admin_token_;
    call.timeout = timeout;
    HttpCallResult r = http_call(call);
    out.push_back({id, r.status, std::move(r.body), r.status ? "" : r.error});
  }
  return out;
}

}  // namespace tandem::cluster
