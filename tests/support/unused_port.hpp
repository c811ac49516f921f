#pragma once
// A loopback port for a child server that must be told its port before it starts
// (Redis, HAProxy, a cluster node, a CLI-started server).
//
// Taken below the kernel's ephemeral range (net.ipv4.ip_local_port_range): the
// kernel's own pick (bind to port 0) is from that range, where an outgoing
// connection made meanwhile can take it as its local port before the child binds
// it (a cluster test's HAProxy once failed that way).
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <random>

namespace tandem::testing {

// Whether nothing listens on (or is bound to) 127.0.0.1:`port` right now.
inline bool port_is_free(std::uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(fd);
  return ok;
}

inline std::uint16_t unused_port() {
  unsigned low = 32768;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> low;
  if (low > 10000 + 1000) {
    std::random_device rd;
    std::uniform_int_distribution<unsigned> pick(10000, low - 1);
    for (int attempt = 0; attempt < 64; ++attempt) {
      const auto port = static_cast<std::uint16_t>(pick(rd));
      if (port_is_free(port)) return port;
    }
  }
  // No room below the range: the kernel's pick.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  std::uint16_t port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  close(fd);
  return port;
}

}  // namespace tandem::testing
