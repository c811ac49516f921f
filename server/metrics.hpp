// Metrics: process-wide counters, gauges and histograms, exported at /metrics in
// Prometheus text format (render_metrics, server/server.cpp; docs/OPERATIONS.md).
// Atomics with relaxed order: any thread may bump them; a histogram observe is a few
// relaxed adds (metrics/histogram.hpp).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "metrics/histogram.hpp"

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
  std::atomic<std::uint64_t> oversized_frames{0};    // closes with 1009 (FRAME-3)
  std::atomic<std::uint64_t> http_connections_open{0};  // TCP connections in HttpSession (before any upgrade)
  std::atomic<std::uint64_t> upgrades_refused{0};        // WebSocket upgrades answered with an HTTP error

  // Rejects by RejectCode (sync.proto), indexed by the code's number; the last slot
  // takes any number past the array.
  static constexpr std::size_t kRejectCodes = 32;
  std::array<std::atomic<std::uint64_t>, kRejectCodes> rejects{};

  // Nanoseconds from a change durable (its group commit done) to its frames handed to
  // every member (Board::on_durable); one observation per durable batch of a board.
  Histogram fanout_ns{{10'000, 25'000, 50'000, 100'000, 250'000, 500'000, 1'000'000, 2'500'000, 5'000'000,
                       10'000'000, 25'000'000, 100'000'000},
                      1e-9};
  // Nanoseconds of one group commit: the WriteBatch written (and synced).
  Histogram flush_ns{{50'000, 100'000, 250'000, 500'000, 1'000'000, 2'500'000, 5'000'000, 10'000'000,
                      25'000'000, 50'000'000, 100'000'000, 250'000'000, 1'000'000'000},
                     1e-9};
  // Changes (submit() requests) written in one group commit.
  Histogram batch_changes{{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024}, 1};
  // Bytes of one Welcome, its SnapshotParts included (JOIN-8).
  Histogram welcome_bytes{{256, 1024, 4096, 16384, 65536, 262144, 1 << 20, 4 << 20, 16 << 20, 64 << 20}, 1};
};

// Counts one reject of RejectCode `code`.
inline void count_reject(Metrics& m, int code) {
  const std::size_t i = code < 0 ? 0 : static_cast<std::size_t>(code);
  m.rejects[i < Metrics::kRejectCodes ? i : Metrics::kRejectCodes - 1].fetch_add(1, std::memory_order_relaxed);
}

inline void bump(std::atomic<std::uint64_t>& c, std::uint64_t n = 1) {
  c.fetch_add(n, std::memory_order_relaxed);
}

}  // namespace tandem
