// Metrics: process-wide counters, exported at /metrics in Prometheus text format.
// Atomics with relaxed order: any thread may bump them.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace tandem {

struct Metrics {
  std::atomic<std::uint64_t> connections_open{0};
  std::atomic<std::uint64_t> connections_total{0};
  std::atomic<std::uint64_t> joins{0};
  std::atomic<std::uint64_t> welcome_snapshots_built{0};  // encoded for a Welcome (not from the cache)
  std::atomic<std::uint64_t> welcome_snapshots_reused{0};  // a Welcome sent a cached snapshot
  std::atomic<std::uint64_t> changes_accepted{0};
  std::atomic<std::uint64_t> changes_rejected{0};
  std::atomic<std::uint64_t> changes_duplicate{0};
  std::atomic<std::uint64_t> deliveries{0};       // messages written to sessions
  std::atomic<std::uint64_t> frames_written{0};
  std::atomic<std::uint64_t> bytes_written{0};
  std::atomic<std::uint64_t> presence_dropped{0};
  std::atomic<std::uint64_t> presence_ticks{0};     // presence ticks of all boards (PRES-4)
  std::atomic<std::uint64_t> presence_handoffs{0};  // ticks handed to connections: one per member per tick at most
  std::atomic<std::uint64_t> slow_consumer_closes{0};
  std::atomic<std::uint64_t> malformed_frames{0};
  std::atomic<std::uint64_t> storage_failures{0};
  std::atomic<std::uint64_t> reads_paused{0};  // connections paused for too many changes in flight
  std::atomic<std::uint64_t> rate_limited{0};        // client messages refused by the rate limit (RATE-1)
  std::atomic<std::uint64_t> rate_limit_closes{0};   // connections closed with 4007 (RATE-1)
  std::atomic<std::uint64_t> handshake_timeouts{0};  // requests not complete within the deadline (LIMIT-2)
  std::atomic<std::uint64_t> oversized_frames{0};    // closes with 1009 (FRAME-3)  // connections paused for too many changes in flight
};

inline void bump(std::atomic<std::uint64_t>& c, std::uint64_t n = 1) {
  c.fetch_add(n, std::memory_order_relaxed);
}

}  // namespace tandem
