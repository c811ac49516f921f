// The server's log (docs/OPERATIONS.md, logs): one line per event, on stderr through
// spdlog. Text lines for a person, "tandem: LEVEL: text [field=value ...]", or JSON
// lines (Options::json), one object per line: time (ISO 8601, UTC, milliseconds),
// level, msg, and the structured fields a line has (board, conn, peer, code, reason).
//
// Lines a client can trigger (a reject, a refused join, a malformed frame, a
// connection opened or closed, protobuf's own complaints about a frame) go through a
// Limiter, so that no client can flood the log (docs/SECURITY.md): each call site
// holds its own, and past its budget lines are counted, not written; the next line
// written says how many were left out.
// Tokens are never logged (docs/SECURITY.md): no line carries a request's query
// (strip_query), a header or a token field.
// protobuf's log (google::protobuf::SetLogHandler) is routed here by route_protobuf().
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace spdlog::sinks {
class sink;
}

namespace tandem::log {

enum class Level { kDebug, kInfo, kWarn, kError };

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
// Whether a line of `level` would be written (to skip building a costly one).
bool enabled(Level level);

// Structured fields of a line; empty ones (and conn 0, code -1) are left out. Set in a
// chain: log::Fields().board(id).conn(n).code(4006).
struct Fields {
  std::string_view board_, peer_, reason_;
  std::uint64_t conn_ = 0;
  int code_ = -1;
  Fields& board(std::string_view v) { board_ = v; return *this; }
  Fields& peer(std::string_view v) { peer_ = v; return *this; }
  Fields& reason(std::string_view v) { reason_ = v; return *this; }
  Fields& conn(std::uint64_t v) { conn_ = v; return *this; }
  Fields& code(int v) { code_ = v; return *this; }
};

// One line, always written (at or above the configured level).
void line(Level level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void line(Level level, const Fields& fields, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
// One line within `limiter`'s budget.
void limited(Limiter& limiter, Level level, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
void limited(Limiter& limiter, Level level, const Fields& fields, const char* fmt, ...)
    __attribute__((format(printf, 4, 5)));

// A request target without its query ("/ws?invite=..." -> "/ws"): what may be logged.
std::string_view strip_query(std::string_view target);
// A WebSocket close code in words ("normal", "slow consumer", ...; SPEC CLOSE-*).
const char* close_code_name(int code);

// protobuf's log lines go through a Limiter of their own. Idempotent; call once at start.
void route_protobuf();

// Where lines go: `sink`, or stderr again when null (tests capture the log with it).
void set_sink(std::shared_ptr<spdlog::sinks::sink> sink);

// Counters since the process started (tests, /metrics).
std::uint64_t lines_written();
std::uint64_t lines_suppressed();

}  // namespace tandem::log
