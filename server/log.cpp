#include "log.hpp"

#include <google/protobuf/stubs/logging.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <string>

namespace tandem::log {

namespace {

std::atomic<std::uint64_t> g_written{0};
std::atomic<std::uint64_t> g_suppressed{0};

const char* level_name(Level level) {
  switch (level) {
    case Level::kInfo: return "info";
    case Level::kWarn: return "warning";
    case Level::kError: return "error";
  }
  return "?";
}

void write(Level level, std::uint64_t skipped, const char* fmt, va_list ap) {
  char text[1024];
  std::vsnprintf(text, sizeof text, fmt, ap);
  // One fprintf per line: stderr is unbuffered, so lines of threads do not interleave.
  if (skipped)
    std::fprintf(stderr, "tandem: %s: %s (%llu similar lines left out)\n", level_name(level), text,
                 static_cast<unsigned long long>(skipped));
  else
    std::fprintf(stderr, "tandem: %s: %s\n", level_name(level), text);
  g_written.fetch_add(1, std::memory_order_relaxed);
}

Limiter g_protobuf_limiter(2, 10);

void protobuf_handler(google::protobuf::LogLevel level, const char* file, int line_no, const std::string& message) {
  const Level l = level >= google::protobuf::LOGLEVEL_ERROR     ? Level::kError
                  : level == google::protobuf::LOGLEVEL_WARNING ? Level::kWarn
                                                                : Level::kInfo;
  // protobuf complains about client bytes (invalid UTF-8 in a string field): limited.
  limited(g_protobuf_limiter, l, "protobuf %s:%d: %s", file, line_no, message.c_str());
}

}  // namespace

bool Limiter::admit(std::uint64_t* skipped) {
  std::lock_guard lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  tokens_ = std::min(burst_, tokens_ + rate_ * std::chrono::duration<double>(now - last_).count());
  last_ = now;
  if (tokens_ < 1) {
    ++skipped_;
    g_suppressed.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  tokens_ -= 1;
  *skipped = skipped_;
  skipped_ = 0;
  return true;
}

void line(Level level, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  write(level, 0, fmt, ap);
  va_end(ap);
}

void limited(Limiter& limiter, Level level, const char* fmt, ...) {
  std::uint64_t skipped = 0;
  if (!limiter.admit(&skipped)) return;
  va_list ap;
  va_start(ap, fmt);
  write(level, skipped, fmt, ap);
  va_end(ap);
}

void route_protobuf() {
  static std::once_flag once;
  std::call_once(once, [] { google::protobuf::SetLogHandler(&protobuf_handler); });
}

std::uint64_t lines_written() { return g_written.load(std::memory_order_relaxed); }
std::uint64_t lines_suppressed() { return g_suppressed.load(std::memory_order_relaxed); }

void configure(const Options&) {}

}  // namespace tandem::log
