// Redis: a small synchronous client over hiredis for the cluster placement (SPEC
// CLUSTER-2, docs/CLUSTER.md). One connection, one thread at a time (not thread-safe:
// each thread that talks to Redis owns its own Redis). Every call is bounded by the
// command timeout; a broken connection is opened again once per call.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "storage/status.hpp"

struct redisContext;

namespace tandem::cluster {

// A Redis reply, as a small tree.
struct RedisReply {
  enum class Type { kNil, kString, kInteger, kArray, kStatus, kError };
  Type type = Type::kNil;
  std::string str;             // kString, kStatus, kError
  long long integer = 0;       // kInteger
  std::vector<RedisReply> elements;  // kArray

  bool is_error() const { return type == Type::kError; }
  bool is_nil() const { return type == Type::kNil; }
  // kString or kStatus text, or kInteger in decimal; "" otherwise.
  std::string text() const;
};

// A Lua script run with EVALSHA (SCRIPT LOAD once), EVAL when Redis answers NOSCRIPT.
struct RedisScript {
  const char* source;
};

class Redis {
 public:
  // `address`: "host:port".
  Redis(std::string address, std::chrono::milliseconds connect_timeout, std::chrono::milliseconds command_timeout);
  ~Redis();
  Redis(const Redis&) = delete;
  Redis& operator=(const Redis&) = delete;

  // Opens the connection (again); Unavailable with the reason when Redis does not answer.
  Status connect();
  bool connected() const { return ctx_ != nullptr; }

  // One command. Not ok: no answer (connection, timeout). An error reply of Redis is
  // ok with out->is_error().
  Status command(const std::vector<std::string>& argv, RedisReply* out);

  // EVALSHA of `script` with its keys and args; loads it first when needed.
  Status eval(const RedisScript& script, const std::vector<std::string>& keys, const std::vector<std::string>& args,
              RedisReply* out);

  const std::string& address() const { return address_; }

 private:
  Status command_once(const std::vector<std::string>& argv, RedisReply* out);
  void close();

  std::string address_, host_;
  int port_ = 0;
  std::chrono::milliseconds connect_timeout_, command_timeout_;
  redisContext* ctx_ = nullptr;
  std::vector<std::pair<const char*, std::string>> shas_;  // script source -> SHA1 loaded
};

}  // namespace tandem::cluster
