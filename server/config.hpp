// ServerConfig: every setting of the server, with its default and unit.
// Plain value; built by main.cpp from flags, by tests directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "auth.hpp"
#include "model/board_state.hpp"
#include "model/schema.hpp"
#include "storage/store.hpp"

namespace tandem {

struct BoardLimits {
  model::StateLimits state;
  model::SchemaLimits schema;
  // Catch-up by changes is served while the client is at most this far behind;
  // past it the client gets a snapshot (DESIGN section 4, bounded catch-up).
  std::size_t catchup_max_changes = 2000;
  std::size_t catchup_max_bytes = 4 << 20;
  // A snapshot is written in the same batch as every Nth change, or as the first
  // change this many milliseconds after the last snapshot (0: by count only).
  std::uint64_t snapshot_every_changes = 1000;
  std::uint64_t snapshot_every_ms = 300000;
  // Log retention (SPEC LOG-3): 0 keeps the whole log and every snapshot (history and
  // replay need it). N > 0: a new snapshot trims the log up to the newest snapshot at
  // least N changes older, and the snapshots before that one. Keep N at least
  // catchup_max_changes so catch-up by changes is still served after a reload.
  std::uint64_t log_retention_changes = 0;
  // Presence leaves a board once per tick (SPEC PRES-4): every presence changed in the
  // last tick, in one frame entry per member. Milliseconds; at least 1.
  int presence_tick_ms = 30;
  // A Welcome snapshot whose objects pass this many bytes sends them in SnapshotPart
  // frames of about this size after the Welcome (SPEC JOIN-8).
  std::size_t welcome_part_bytes = 256 << 10;
};

// Several nodes behind a balancer (issue 14, SPEC CLUSTER-*, docs/CLUSTER.md). Empty
// `redis`: a single node that owns every board.
struct ClusterConfig {
  std::string redis;      // "host:port" of the Redis that holds leases and placement
  std::string node_id;    // this node's name, unique in the cluster and kept across restarts
  std::string advertise;  // the URL other nodes reach this one at ("http://10.0.0.5:8080")
  std::string entry;      // the balancer's URL: drains and promotes go through it
  int lease_ttl_ms = 3000;  // a lease not renewed for this long is gone (renewed every third)
};

struct ServerConfig {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 = an ephemeral port (tests)
  std::filesystem::path data_dir = "./data";
  storage::Durability durability = storage::Durability::kSync;
  int threads = 0;  // network threads; 0 = 1 on up to 2 cores, else cores - 1 (measured: docs/PERFORMANCE.md)
  std::filesystem::path web_root;  // built web client (web-client/dist); empty = none

  std::size_t max_message_bytes = 1 << 20;        // largest client frame
  std::size_t outgoing_queue_bytes = 8 << 20;     // per session, before it is closed as too slow
  std::size_t max_frame_bytes = 1 << 20;          // queued messages joined into one frame up to this
  // Changes of one connection sequenced or queued but not answered yet; past this the
  // server stops reading that connection until answers go out (TCP backpressure).
  std::size_t max_inflight_changes = 4096;
  std::size_t max_connections_per_address = 512;  // WebSockets from one IP; more get HTTP 429
  // Proxies in front (docs/deploy/): from these peer addresses, the last address in
  // X-Forwarded-For is the client's, for the cap above and the log (LIMIT-1). Empty: the
  // header is ignored, since anyone can send it.
  std::vector<std::string> trusted_proxies;
  // An HTTP request (the WebSocket upgrade included) must arrive whole within this, and
  // a keep-alive connection may idle this long between requests (SPEC LIMIT-2).
  int request_timeout_ms = 5000;
  // Per-connection token bucket (SPEC RATE-1): each change and each other non-presence
  // message takes a token; `rate_burst` tokens at most, refilled at `rate_per_second`.
  // Past it changes get REJECT_CODE_RATE_LIMITED; a connection that goes on sending
  // `rate_burst` more than the refill allows is closed with 4007. rate_per_second 0 = off.
  double rate_per_second = 200;
  double rate_burst = 2000;
  int slow_close_grace_ms = 2000;                 // wait for a close handshake before dropping TCP
  int shutdown_grace_ms = 3000;                   // wait for sessions to close at shutdown
  CreatePolicy create_boards = CreatePolicy::kAnyone;  // who may POST /api/boards
  // Who may read /metrics (issue 13, docs/OPERATIONS.md): a peer address in
  // metrics_allow (exact addresses; empty list: any address), or a request bearing
  // metrics_token when it is set.
  std::vector<std::string> metrics_allow = {"127.0.0.1", "::1"};
  std::string metrics_token;
  BoardLimits board;
  ClusterConfig cluster;
  // Where RocksDB does its I/O; null = the default. Tests inject a failing disk.
  std::shared_ptr<rocksdb::Env> storage_env;
};

}  // namespace tandem
