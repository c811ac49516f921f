// ServerContext: what every session shares, owned by Server, outliving all sessions.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "auth.hpp"
#include "board/board_directory.hpp"
#include "config.hpp"
#include "metrics.hpp"
#include "session_registry.hpp"
#include "storage/group_committer.hpp"

namespace tandem {

struct ServerContext {
  const ServerConfig& config;
  BoardDirectory& boards;
  const Authorizer& auth;
  Metrics& metrics;
  SessionRegistry& sessions;
  const storage::GroupCommitter& committer;
  std::atomic<std::uint64_t> next_conn_id{1};
};

// The /metrics page (Prometheus text format).
std::string render_metrics(const ServerContext& ctx);

}  // namespace tandem
