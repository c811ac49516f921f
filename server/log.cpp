// The server's log over spdlog (server/log.hpp, docs/OPERATIONS.md).
#include "log.hpp"

#include <google/protobuf/stubs/logging.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/dist_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <string>

namespace tandem::log {

namespace {

std::atomic<std::uint64_t> g_written{0};
std::atomic<std::uint64_t> g_suppressed{0};
std::atomic<bool> g_json{false};

constexpr const char* kTextPattern = "tandem: %l: %v";
constexpr const char* kJsonPattern = "{\"time\":\"%Y-%m-%dT%H:%M:%S.%eZ\",\"level\":\"%l\",%v}";

// One logger for the process: a dist sink (so tests can swap where lines go while
// the logger stays) holding stderr's sink. stderr is unbuffered: each line is one
// write, so lines of threads do not interleave.
struct Logger {
  std::shared_ptr<spdlog::sinks::dist_sink_mt> dist = std::make_shared<spdlog::sinks::dist_sink_mt>();
  std::shared_ptr<spdlog::logger> logger;
  std::mutex mu;  // configure and set_sink
  Logger() {
    dist->add_sink(std::make_shared<spdlog::sinks::stderr_sink_mt>());
    logger = std::make_shared<spdlog::logger>("tandem", dist);
    logger->set_level(spdlog::level::info);
    logger->flush_on(spdlog::level::trace);
    apply_pattern();
  }
  void apply_pattern() {
    logger->set_pattern(g_json.load() ? kJsonPattern : kTextPattern,
                        g_json.load() ? spdlog::pattern_time_type::utc : spdlog::pattern_time_type::local);
  }
};

Logger& the() {
  static Logger l;
  return l;
}

spdlog::level::level_enum to_spdlog(Level level) {
  switch (level) {
    case Level::kDebug: return spdlog::level::debug;
    case Level::kInfo: return spdlog::level::info;
    case Level::kWarn: return spdlog::level::warn;
    case Level::kError: return spdlog::level::err;
  }
  return spdlog::level::info;
}

// Appends `s` as a JSON string body: quotes, backslashes and control characters
// escaped, bytes that are not UTF-8 replaced by U+FFFD (a line must parse).
void json_escape(std::string* out, std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c == '"' || c == '\\') {
        *out += '\\';
        *out += static_cast<char>(c);
      } else if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        *out += buf;
      } else {
        *out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    const std::size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
    bool ok = n > 0 && i + n <= s.size();
    for (std::size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok && n == 3) {
      const auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);  // overlong, surrogates
    }
    if (ok && n == 4) {
      const auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
    }
    if (ok) {
      out->append(s.substr(i, n));
      i += n;
    } else {
      *out += "\xEF\xBF\xBD";
      ++i;
    }
  }
}

void write(Level level, const Fields* fields, std::uint64_t skipped, const char* fmt, va_list ap) {
  Logger& l = the();
  const auto lvl = to_spdlog(level);
  if (!l.logger->should_log(lvl)) return;
  char text[1024];
  std::vsnprintf(text, sizeof text, fmt, ap);
  std::string msg = text;
  if (skipped) msg += " (" + std::to_string(skipped) + " similar lines left out)";
  std::string out;
  if (g_json.load(std::memory_order_relaxed)) {
    out = "\"msg\":\"";
    json_escape(&out, msg);
    out += '"';
    if (fields) {
      auto str = [&](const char* key, std::string_view v) {
        if (v.empty()) return;
        out += ",\"";
        out += key;
        out += "\":\"";
        json_escape(&out, v);
        out += '"';
      };
      str("board", fields->board_);
      if (fields->conn_) out += ",\"conn\":" + std::to_string(fields->conn_);
      str("peer", fields->peer_);
      if (fields->code_ >= 0) out += ",\"code\":" + std::to_string(fields->code_);
      str("reason", fields->reason_);
    }
  } else {
    out = std::move(msg);
    if (fields) {
      std::string f;
      auto add = [&](const char* key, std::string_view v, bool quote) {
        if (v.empty()) return;
        f += f.empty() ? "" : " ";
        f += key;
        f += '=';
        if (quote) f += '"';
        f += v;
        if (quote) f += '"';
      };
      add("board", fields->board_, false);
      if (fields->conn_) add("conn", std::to_string(fields->conn_), false);
      add("peer", fields->peer_, false);
      if (fields->code_ >= 0) add("code", std::to_string(fields->code_), false);
      add("reason", fields->reason_, true);
      if (!f.empty()) out += " [" + f + "]";
    }
  }
  l.logger->log(lvl, "{}", out);
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
  write(level, nullptr, 0, fmt, ap);
  va_end(ap);
}

void line(Level level, const Fields& fields, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  write(level, &fields, 0, fmt, ap);
  va_end(ap);
}

void limited(Limiter& limiter, Level level, const char* fmt, ...) {
  if (!enabled(level)) return;
  std::uint64_t skipped = 0;
  if (!limiter.admit(&skipped)) return;
  va_list ap;
  va_start(ap, fmt);
  write(level, nullptr, skipped, fmt, ap);
  va_end(ap);
}

void limited(Limiter& limiter, Level level, const Fields& fields, const char* fmt, ...) {
  if (!enabled(level)) return;
  std::uint64_t skipped = 0;
  if (!limiter.admit(&skipped)) return;
  va_list ap;
  va_start(ap, fmt);
  write(level, &fields, skipped, fmt, ap);
  va_end(ap);
}

bool enabled(Level level) { return the().logger->should_log(to_spdlog(level)); }

std::string_view strip_query(std::string_view target) { return target.substr(0, target.find('?')); }

const char* close_code_name(int code) {
  switch (code) {
    case 1000: return "normal";
    case 1001: return "going away";
    case 1002: return "protocol error";
    case 1005: return "no code";
    case 1006: return "dropped without a close frame";
    case 1007: return "invalid payload";
    case 1008: return "policy violation";
    case 1009: return "message too big";
    case 1011: return "server error";
    case 4001: return "slow consumer";
    case 4002: return "protocol version";
    case 4003: return "storage failure";
    case 4004: return "replaced by a newer connection";
    case 4005: return "board deleted";
    case 4006: return "unauthorized";
    case 4007: return "rate limited";
  }
  return "other";
}

void route_protobuf() {
  static std::once_flag once;
  std::call_once(once, [] { google::protobuf::SetLogHandler(&protobuf_handler); });
}

void set_sink(std::shared_ptr<spdlog::sinks::sink> sink) {
  Logger& l = the();
  std::lock_guard lock(l.mu);
  if (!sink) sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  l.dist->set_sinks({std::move(sink)});
  l.apply_pattern();
}

void configure(const Options& options) {
  Logger& l = the();
  std::lock_guard lock(l.mu);
  g_json.store(options.json);
  l.logger->set_level(to_spdlog(options.level));
  l.apply_pattern();
}

std::uint64_t lines_written() { return g_written.load(std::memory_order_relaxed); }
std::uint64_t lines_suppressed() { return g_suppressed.load(std::memory_order_relaxed); }

}  // namespace tandem::log
