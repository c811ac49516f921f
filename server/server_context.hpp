// ServerContext: what every session shares, owned by Server, outliving all sessions.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth.hpp"
#include "board/board_directory.hpp"
#include "config.hpp"
#include "metrics.hpp"
#include "session_registry.hpp"
#include "storage/group_committer.hpp"

namespace boost::asio {
class thread_pool;
}

namespace tandem {

namespace cluster {
class ClusterPlacement;  // cluster/cluster_placement.hpp
}

struct ServerContext {
  const ServerConfig& config;
  BoardDirectory& boards;
  const Authorizer& auth;
  Metrics& metrics;
  SessionRegistry& sessions;
  const storage::GroupCommitter& committer;
  std::atomic<std::uint64_t> next_conn_id{1};
  // For /readyz (docs/OPERATIONS.md): the store (set by Server::start) and whether the
  // server is shutting down.
  const storage::Store* store = nullptr;
  std::atomic<bool> stopping{false};
  // A node of a cluster (SPEC CLUSTER-*, docs/CLUSTER.md): its placement; null on a
  // single node. Set by Server::start before the listener runs.
  cluster::ClusterPlacement* cluster = nullptr;
  // Where a drain (POST /api/cluster/drain) and a board listing's calls to the other
  // nodes (CLUSTER-8) run: two threads of their own, never a network thread nor the
  // blocking pool (which the hand-overs a drain waits for use).
  boost::asio::thread_pool* cluster_jobs = nullptr;
};

// The /metrics page (Prometheus text format 0.0.4; docs/OPERATIONS.md lists every metric).
std::string render_metrics(const ServerContext& ctx);

// /readyz: empty when the server is ready (the store open and writable, not shutting
// down, not draining: CLUSTER-7), else why not.
std::string not_ready_reason(const ServerContext& ctx);

// Whether a request from `peer` bearing `bearer` (may be empty) may read /metrics
// (SPEC OPS-2): its address is in config.metrics_allow (an empty list allows every
// address), or config.metrics_token is set and equals the bearer token.
bool metrics_allowed(const ServerContext& ctx, const std::string& peer, std::string_view bearer);

}  // namespace tandem
