// /metrics, /readyz and who may read /metrics (protocol/SPEC.md OPS-1, OPS-2;
// server/server_context.hpp; docs/OPERATIONS.md lists every metric with its meaning).
#include <cstdio>

#include "cluster/cluster_placement.hpp"
#include "log.hpp"
#include "server_context.hpp"
#include "storage/store.hpp"
#include "tandem/v1/sync.pb.h"

namespace tandem {

namespace {

class Page {
 public:
  void header(const char* name, const char* type, const char* help) {
    out_ += "# HELP tandem_";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE tandem_";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }
  void sample(const char* name, const std::string& labels, std::uint64_t v) {
    out_ += "tandem_";
    out_ += name;
    out_ += labels;
    out_ += ' ';
    out_ += std::to_string(v);
    out_ += '\n';
  }
  void one(const char* name, const char* type, const char* help, std::uint64_t v) {
    header(name, type, help);
    sample(name, "", v);
  }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

// A constant-time comparison: a wrong token takes as long as a right one.
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

std::string render_metrics(const ServerContext& ctx) {
  Page p;
  const Metrics& m = ctx.metrics;
  const std::uint64_t ws = m.connections_open.load(), http = m.http_connections_open.load();
  p.header("connections", "gauge", "Open connections by kind: websocket (upgraded) or http (not upgraded).");
  p.sample("connections", "{kind=\"websocket\"}", ws);
  p.sample("connections", "{kind=\"http\"}", http);
  p.one("connections_open", "gauge", "Open WebSocket connections.", ws);
  p.one("connections_total", "counter", "WebSocket connections accepted.", m.connections_total.load());
  p.one("upgrades_refused_total", "counter", "WebSocket upgrades answered with an HTTP error.", m.upgrades_refused.load());
  p.one("boards_open", "gauge", "Boards open in memory.", ctx.boards.open_boards());
  p.one("joins_total", "counter", "Board joins.", m.joins.load());
  p.one("welcome_snapshots_built_total", "counter", "Board snapshots encoded for a Welcome.", m.welcome_snapshots_built.load());
  p.one("welcome_snapshots_reused_total", "counter", "Welcomes that reused a cached encoded snapshot.", m.welcome_snapshots_reused.load());
  p.one("changes_accepted_total", "counter", "Changes sequenced and made durable.", m.changes_accepted.load());
  p.one("changes_rejected_total", "counter", "Changes rejected by the board.", m.changes_rejected.load());
  p.header("rejects_total", "counter", "Changes rejected, by RejectCode (rate-limit rejects of the connection included).");
  for (std::size_t code = 0; code < Metrics::kRejectCodes; ++code) {
    const std::uint64_t v = m.rejects[code].load();
    if (v == 0) continue;
    const std::string& name = v1::RejectCode_IsValid(static_cast<int>(code))
                                  ? v1::RejectCode_Name(static_cast<v1::RejectCode>(code))
                                  : std::string("REJECT_CODE_OTHER");
    p.sample("rejects_total", "{code=\"" + name + "\"}", v);
  }
  p.one("changes_duplicate_total", "counter", "Resent changes acked without applying.", m.changes_duplicate.load());
  p.one("deliveries_total", "counter", "Messages written to sessions.", m.deliveries.load());
  p.one("frames_written_total", "counter", "WebSocket frames written.", m.frames_written.load());
  p.one("bytes_written_total", "counter", "Payload bytes written.", m.bytes_written.load());
  p.one("presence_dropped_total", "counter", "Presence ticks replaced by a newer one before they were written.", m.presence_dropped.load());
  p.one("presence_ticks_total", "counter", "Presence ticks sent by boards.", m.presence_ticks.load());
  p.one("presence_handoffs_total", "counter", "Presence ticks handed to connections.", m.presence_handoffs.load());
  p.one("slow_consumer_closes_total", "counter", "Sessions closed for an overfull queue.", m.slow_consumer_closes.load());
  p.one("malformed_frames_total", "counter", "Frames that were not a ClientMessage.", m.malformed_frames.load());
  p.one("storage_failures_total", "counter", "Failed log writes.", m.storage_failures.load());
  p.one("rate_limited_total", "counter", "Client messages refused by the per-connection rate limit.", m.rate_limited.load());
  p.one("rate_limit_closes_total", "counter", "Connections closed for going on past the rate limit.", m.rate_limit_closes.load());
  p.one("handshake_timeouts_total", "counter", "Connections dropped for not finishing a request in time.", m.handshake_timeouts.load());
  p.one("oversized_frames_total", "counter", "Connections closed with 1009 for a frame over the limit.", m.oversized_frames.load());
  p.one("log_lines_written_total", "counter", "Log lines written.", log::lines_written());
  p.one("log_lines_suppressed_total", "counter", "Log lines left out by the log's rate limit.", log::lines_suppressed());
  p.one("reads_paused_total", "counter", "Times a connection's reading paused for changes in flight.", m.reads_paused.load());
  auto cs = ctx.committer.stats();
  p.one("log_batches_total", "counter", "WriteBatches written by the group committer.", cs.batches);
  p.one("log_writes_total", "counter", "Records written by the group committer.", cs.writes);
  p.header("log_write_seconds_total", "counter", "Seconds spent writing batches.");
  char secs[64];
  std::snprintf(secs, sizeof secs, "%.9g", static_cast<double>(cs.write_ns) * 1e-9);
  p.out() += std::string("tandem_log_write_seconds_total ") + secs + '\n';
  m.fanout_ns.render(&p.out(), "fanout_seconds", "From a change batch durable to its frames handed to every member.");
  m.flush_ns.render(&p.out(), "log_flush_seconds", "One group commit: the WriteBatch written and synced.");
  m.batch_changes.render(&p.out(), "log_batch_changes", "Changes (submit requests) in one group commit.");
  m.welcome_bytes.render(&p.out(), "welcome_bytes", "Bytes of one Welcome, its snapshot parts included.");
  return std::move(p.out());
}

std::string not_ready_reason(const ServerContext& ctx) {
  if (ctx.stopping.load()) return "shutting down";
  if (!ctx.store) return "storage not open";
  if (ctx.store->needs_recovery()) return "storage not writable: a log write failed and has not recovered yet";
  // A draining node hands its boards over: the balancer takes it out (CLUSTER-7).
  if (ctx.cluster && ctx.cluster->draining()) return "draining";
  return {};
}

bool metrics_allowed(const ServerContext& ctx, const std::string& peer, std::string_view bearer) {
  const ServerConfig& c = ctx.config;
  if (!c.metrics_token.empty() && same_secret(bearer, c.metrics_token)) return true;
  if (c.metrics_allow.empty()) return true;  // any address (config.hpp)
  for (const std::string& a : c.metrics_allow)
    if (a == peer) return true;
  return false;
}

}  // namespace tandem
