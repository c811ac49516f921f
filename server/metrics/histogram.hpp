// Histogram: a Prometheus histogram with fixed bucket bounds, lock-free
// (docs/OPERATIONS.md, metrics). observe() is a short scan of the bounds and two
// relaxed atomic adds: no lock, no allocation, safe from any thread. The sum is kept
// as an integer in the histogram's unit (nanoseconds, bytes, changes) and scaled to
// the Prometheus base unit (seconds, bytes) when rendered. Reads are not a snapshot
// of one instant: a scrape may see a bucket before the sum of the same observation,
// which Prometheus tolerates (its counters only grow).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>

namespace tandem {

class Histogram {
 public:
  static constexpr std::size_t kMaxBuckets = 24;

  // `bounds`: the upper bounds (le) in the histogram's unit, ascending, at most
  // kMaxBuckets; +Inf is implied. `scale`: base units per unit (1e-9 for ns -> s).
  Histogram(std::initializer_list<std::uint64_t> bounds, double scale) : scale_(scale) {
    for (std::uint64_t b : bounds)
      if (n_ < kMaxBuckets) bounds_[n_++] = b;
  }

  void observe(std::uint64_t v) {
    std::size_t i = 0;
    while (i < n_ && v > bounds_[i]) ++i;
    counts_[i].fetch_add(1, std::memory_order_relaxed);  // i == n_: the +Inf bucket
    sum_.fetch_add(v, std::memory_order_relaxed);
  }

  std::uint64_t count() const {
    std::uint64_t c = 0;
    for (std::size_t i = 0; i <= n_; ++i) c += counts_[i].load(std::memory_order_relaxed);
    return c;
  }
  std::uint64_t sum() const { return sum_.load(std::memory_order_relaxed); }

  // Appends HELP, TYPE, the cumulative buckets, _sum and _count (text format 0.0.4).
  void render(std::string* out, const char* name, const char* help) const;

 private:
  std::array<std::uint64_t, kMaxBuckets> bounds_{};
  std::size_t n_ = 0;
  const double scale_;
  std::array<std::atomic<std::uint64_t>, kMaxBuckets + 1> counts_{};
  std::atomic<std::uint64_t> sum_{0};
};

}  // namespace tandem
