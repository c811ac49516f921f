// RedisServer: a real /usr/bin/redis-server for a test (docs/CLUSTER.md): on a free
// loopback port, in a temp folder, with nothing persisted (--save "" --appendonly no).
// The constructor waits (with a deadline) until it answers PING; port() is 0 when it did
// not. The destructor kills it. Used by placement_test.cpp and the cluster harness.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include "cli/child.hpp"
#include "support/temp_dir.hpp"
#include "support/unused_port.hpp"

namespace tandem::testing {

class RedisServer {
 public:
  static constexpr const char* kBinary = "/usr/bin/redis-server";

  // `port` 0: a free one (tried again on another if it was taken meanwhile); else that
  // port (a Redis restarted where the old one was).
  explicit RedisServer(std::uint16_t fixed_port = 0, std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
    for (int attempt = 0; attempt < 3 && port_ == 0; ++attempt) {
      const std::uint16_t port = fixed_port ? fixed_port : unused_port();
      if (port == 0) continue;
      const std::string log = dir_.path().string() + "/redis.log";
      int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      pid_ = spawn({kBinary, "--port", std::to_string(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--dir", dir_.path().string()},
                   {}, fd, fd);
      close(fd);
      const auto end = std::chrono::steady_clock::now() + deadline;
      while (std::chrono::steady_clock::now() < end && alive()) {
        if (ping(port)) {
          port_ = port;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (port_ == 0) kill_now();
    }
  }
  ~RedisServer() { kill_now(); }
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  // The port it listens on; 0 when it did not start.
  std::uint16_t port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  // SIGKILL now (Redis gone, as in a crash); port() stays what it was.
  void kill_now() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  // Whether redis-server answers PING on `port` within a second.
  static bool ping(std::uint16_t port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return false;
    timeval tv{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    bool ok = false;
    if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && write(fd, "PING\r\n", 6) == 6) {
      char buf[16] = {};
      ok = read(fd, buf, sizeof buf - 1) >= 5 && std::string(buf).rfind("+PONG", 0) == 0;
    }
    close(fd);
    return ok;
  }

 private:
  bool alive() const { return pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == 0; }

  TempDir dir_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace tandem::testing
