// The server's log: one line per event on stderr, "tandem: LEVEL: text".
//
// Lines a client can trigger (a reject, a refused join, a malformed frame, protobuf's
// own complaints about a frame) go through a Limiter, so that no client can flood the
// log (docs/SECURITY.md): each call site holds its own, and past its budget lines are
// counted, not written; the next line written says how many were left out.
// protobuf's log (google::protobuf::SetLogHandler) is routed here by route_protobuf().
// A move to a logging library is a later issue; this keeps the call sites small.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace tandem::log {

enum class Level { kInfo, kWarn, kError };

// A budget of lines: `burst` at once, refilled at `per_second`. Thread-safe.
class Limiter {
 public:
  explicit Limiter(double per_second = 5, double burst = 20) : rate_(per_second), burst_(burst), tokens_(burst) {}
  // True when a line may be written now; else it is counted as suppressed. `*skipped`
  // gets (and resets) the count suppressed since the last line that passed.
  bool admit(std::uint64_t* skipped);

 private:
  std::mutex mu_;
  const double rate_, burst_;
  double tokens_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
  std::uint64_t skipped_ = 0;
};

// How the log is written: the least level written, and JSON lines instead of text.
struct Options {
  Level level = Level::kInfo;
  bool json = false;
};
void configure(const Options& options);

// One line, always written.
void line(Level level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
// One line within `limiter`'s budget.
void limited(Limiter& limiter, Level level, const char* fmt, ...) __attribute__((format(printf, 3, 4)));

// protobuf's log lines go through a Limiter of their own. Idempotent; call once at start.
void route_protobuf();

// Counters since the process started (tests, /metrics).
std::uint64_t lines_written();
std::uint64_t lines_suppressed();

}  // namespace tandem::log
