#include "metrics/histogram.hpp"

#include <cstdio>

namespace tandem {

namespace {
std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}
}  // namespace

void Histogram::render(std::string* out, const char* name, const char* help) const {
  const std::string n = std::string("tandem_") + name;
  *out += "# HELP " + n + ' ' + help + '\n';
  *out += "# TYPE " + n + " histogram\n";
  // Counts first, then the sum: _count is the +Inf bucket, as the format asks.
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < n_; ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    *out += n + "_bucket{le=\"" + number(static_cast<double>(bounds_[i]) * scale_) + "\"} " +
            std::to_string(cumulative) + '\n';
  }
  cumulative += counts_[n_].load(std::memory_order_relaxed);
  *out += n + "_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + '\n';
  *out += n + "_sum " + number(static_cast<double>(sum()) * scale_) + '\n';
  *out += n + "_count " + std::to_string(cumulative) + '\n';
}

}  // namespace tandem
