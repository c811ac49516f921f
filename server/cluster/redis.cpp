// Redis over hiredis: argv commands, reply trees, EVALSHA with NOSCRIPT fallback.
#include "cluster/redis.hpp"

#include <hiredis/hiredis.h>
#include <sys/time.h>

namespace tandem::cluster {
namespace {

timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

RedisReply convert(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_STRING: out.type = RedisReply::Type::kString; out.str.assign(r->str, r->len); break;
    case REDIS_REPLY_STATUS: out.type = RedisReply::Type::kStatus; out.str.assign(r->str, r->len); break;
    case REDIS_REPLY_ERROR: out.type = RedisReply::Type::kError; out.str.assign(r->str, r->len); break;
    case REDIS_REPLY_INTEGER: out.type = RedisReply::Type::kInteger; out.integer = r->integer; break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(convert(r->element[i]));
      break;
    default: out.type = RedisReply::Type::kNil; break;
  }
  return out;
}

}  // namespace

std::string RedisReply::text() const {
  switch (type) {
    case Type::kString:
    case Type::kStatus: return str;
    case Type::kInteger: return std::to_string(integer);
    default: return "";
  }
}

Redis::Redis(std::string address, std::chrono::milliseconds connect_timeout, std::chrono::milliseconds command_timeout)
    : address_(std::move(address)), connect_timeout_(connect_timeout), command_timeout_(command_timeout) {
  auto colon = address_.rfind(':');
  host_ = colon == std::string::npos ? address_ : address_.substr(0, colon);
  if (host_.size() > 1 && host_.front() == '[' && host_.back() == ']') host_ = host_.substr(1, host_.size() - 2);  // [::1]:6379
  if (colon != std::string::npos) {
    try {
      port_ = std::stoi(address_.substr(colon + 1));
    } catch (...) {
      port_ = 0;
    }
  } else {
    port_ = 6379;
  }
}

Redis::~Redis() { close(); }

void Redis::close() {
  if (ctx_) redisFree(ctx_);
  ctx_ = nullptr;
}

Status Redis::connect() {
  close();
  if (host_.empty() || port_ <= 0 || port_ > 65535)
    return Status::InvalidArgument("the Redis address " + address_ + " is not host:port");
  redisContext* c = redisConnectWithTimeout(host_.c_str(), port_, to_timeval(connect_timeout_));
  if (!c) return Status::Unavailable("cannot reach Redis at " + address_ + ": out of memory");
  if (c->err) {
    std::string why = c->errstr;
    redisFree(c);
    return Status::Unavailable("cannot reach Redis at " + address_ + ": " + why);
  }
  if (redisSetTimeout(c, to_timeval(command_timeout_)) != REDIS_OK) {
    redisFree(c);
    return Status::Unavailable("cannot set a timeout on the Redis connection to " + address_);
  }
  ctx_ = c;
  return Status::Ok();
}

Status Redis::command_once(const std::vector<std::string>& argv, RedisReply* out) {
  if (!ctx_) {
    Status s = connect();
    if (!s.ok()) return s;
  }
  std::vector<const char*> args;
  std::vector<size_t> lens;
  for (const auto& a : argv) {
    args.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* r = static_cast<redisReply*>(redisCommandArgv(ctx_, static_cast<int>(args.size()), args.data(), lens.data()));
  if (!r) {
    std::string why = ctx_->err ? ctx_->errstr : "no reply";
    close();  // a hiredis context in error cannot be used again
    return Status::Unavailable("Redis at " + address_ + ": " + why);
  }
  *out = convert(r);
  freeReplyObject(r);
  return Status::Ok();
}

Status Redis::command(const std::vector<std::string>& argv, RedisReply* out) {
  const bool was_connected = ctx_ != nullptr;
  Status s = command_once(argv, out);
  if (s.ok() || !was_connected) return s;
  return command_once(argv, out);  // the connection broke (Redis restarted): once more on a new one
}

Status Redis::eval(const RedisScript& script, const std::vector<std::string>& keys,
                   const std::vector<std::string>& args, RedisReply* out) {
  std::string* sha = nullptr;
  for (auto& [src, h] : shas_)
    if (src == script.source) sha = &h;
  if (!sha) {
    RedisReply loaded;
    Status s = command({"SCRIPT", "LOAD", script.source}, &loaded);
    if (!s.ok()) return s;
    if (loaded.type != RedisReply::Type::kString) return Status::Unavailable("SCRIPT LOAD failed: " + loaded.str);
    shas_.emplace_back(script.source, loaded.str);
    sha = &shas_.back().second;
  }
  std::vector<std::string> argv = {"EVALSHA", *sha, std::to_string(keys.size())};
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  Status s = command(argv, out);
  if (!s.ok() || !out->is_error() || out->str.rfind("NOSCRIPT", 0) != 0) return s;
  argv[0] = "EVAL";  // Redis restarted and forgot its scripts: EVAL loads it again
  argv[1] = script.source;
  return command(argv, out);
}

}  // namespace tandem::cluster
