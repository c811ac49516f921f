// The real cluster on loopback for tests/cluster/cluster_test.cpp and bench/cluster.sh's
// load (docs/CLUSTER.md): one redis-server, N `tandem serve` nodes sharing one secret, and
// HAProxy in front routing by board id (docs/deploy/haproxy-cluster.cfg is the same
// configuration with fixed ports). Every process is a child of the test; each one's
// output goes to a file in the cluster's folder, printed when a test fails.
#pragma once

#include <chrono>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cli/child.hpp"
#include "cluster/redis_server.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"

namespace tandem::testing {

inline bool executable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

// Polls `ok` every 20 ms until it holds or `timeout` passes.
template <typename Pred>
bool eventually(Pred ok, std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (!ok()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

// A child process whose output goes to `log` (appended); SIGKILL in the destructor.
class Child {
 public:
  Child() = default;
  Child(const std::vector<std::string>& args, const std::string& log) {
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    pid_ = spawn(args, {}, fd, fd);
    close(fd);
  }
  ~Child() { signal(SIGKILL); }
  Child(Child&& o) noexcept : pid_(std::exchange(o.pid_, -1)) {}
  Child& operator=(Child&& o) noexcept {
    signal(SIGKILL);
    pid_ = std::exchange(o.pid_, -1);
    return *this;
  }
  // Sends `sig` and waits for the process to end.
  void signal(int sig) {
    if (pid_ <= 0) return;
    kill(pid_, sig);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  bool running() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
};

class Cluster {
 public:
  struct Node {
    std::string id, data;
    std::uint16_t port = 0;
    Child proc;
  };

  // `tandem`: the server binary. Nothing runs until start().
  Cluster(std::string tandem, int nodes, int lease_ttl_ms = 1500) : tandem_(std::move(tandem)), ttl_(lease_ttl_ms) {
    nodes_.resize(nodes);
    for (int i = 0; i < nodes; ++i) {
      nodes_[i].id = "n" + std::to_string(i + 1);
      nodes_[i].data = root_ + "/" + nodes_[i].id;
      nodes_[i].port = unused_port();
    }
    entry_port_ = unused_port();
  }

  // Starts Redis, every node and HAProxy; false (with why()) when one does not come up.
  bool start() {
    redis_ = std::make_unique<RedisServer>();
    if (!redis_->port()) return fail("redis-server did not start");
    write_secret();
    for (std::size_t i = 0; i < nodes_.size(); ++i)
      if (!start_node(i)) return false;
    write_haproxy_config();
    haproxy_ = Child({"/usr/sbin/haproxy", "-f", root_ + "/haproxy.cfg", "-db"}, root_ + "/haproxy.log");
    // Ready when HAProxy answers and has seen every node healthy.
    if (!eventually([&] { return http_request(entry_port_, "GET", "/readyz").status == 200; }, std::chrono::seconds(15)))
      return fail("HAProxy did not answer on its port");
    admin_ = run(root_, {tandem_, "admin-token", "--data", nodes_[0].data}).out;
    while (!admin_.empty() && (admin_.back() == '\n' || admin_.back() == '\r')) admin_.pop_back();
    return !admin_.empty() || fail("no admin token");
  }

  bool start_node(std::size_t i) {
    Node& n = nodes_[i];
    n.proc = Child({tandem_, "serve", "--port", std::to_string(n.port), "--data", n.data, "--durability", "wal",
                    "--redis", "127.0.0.1:" + std::to_string(redis_->port()), "--node-id", n.id,
                    "--advertise", "http://127.0.0.1:" + std::to_string(n.port),
                    "--cluster-entry", "http://127.0.0.1:" + std::to_string(entry_port_),
                    "--lease-ttl-ms", std::to_string(ttl_), "--trusted-proxy", "127.0.0.1", "--log-level", "info"},
                   root_ + "/" + n.id + ".log");
    if (!eventually([&] { return http_request(n.port, "GET", "/readyz").status == 200; }, std::chrono::seconds(20)))
      return fail("node " + n.id + " did not become ready");
    return true;
  }
  void kill9(std::size_t i) { nodes_[i].proc.signal(SIGKILL); }
  void stop_node(std::size_t i) { nodes_[i].proc.signal(SIGTERM); }

  // Waits until HAProxy routes to every running node again (its health checks).
  bool balancer_sees_all(std::chrono::milliseconds timeout) {
    return eventually([&] {
      // The CSV has a row "nodes,<server>,...,<status>,..." per node.
      const std::string stats = http_request(entry_port_, "GET", "/haproxy-stats;csv").body;
      for (const Node& n : nodes_) {
        const auto row = stats.find("\nnodes," + n.id + ",");
        if (row == std::string::npos) return false;
        const std::string line = stats.substr(row + 1, stats.find('\n', row + 1) - row - 1);
        if (line.find(",UP,") == std::string::npos) return false;
      }
      return true;
    }, timeout);
  }

  std::uint16_t entry() const { return entry_port_; }
  const Node& node(std::size_t i) const { return nodes_[i]; }
  std::size_t size() const { return nodes_.size(); }
  const std::string& admin() const { return admin_; }
  std::uint16_t redis_port() const { return redis_ ? redis_->port() : 0; }
  const std::string& why() const { return why_; }
  const std::string& folder() const { return root_; }
  // Every process's output (for a failing test).
  std::string logs() const {
    std::string out;
    for (const Node& n : nodes_) out += "---- " + n.id + "\n" + slurp(root_ + "/" + n.id + ".log");
    out += "---- haproxy\n" + slurp(root_ + "/haproxy.log");
    return out;
  }

 private:
  bool fail(std::string why) {
    why_ = std::move(why);
    return false;
  }
  // Nodes of one cluster share the secret that signs tokens (docs/CLUSTER.md).
  void write_secret() {
    std::random_device rd;
    std::string secret(32, '\0');
    for (char& c : secret) c = static_cast<char>(rd());
    for (const Node& n : nodes_) {
      std::filesystem::create_directories(n.data);
      std::ofstream(n.data + "/secret", std::ios::binary) << secret;
      std::filesystem::permissions(n.data + "/secret", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    }
  }
  void write_haproxy_config() {
    std::ofstream f(root_ + "/haproxy.cfg");
    f << "global\n  maxconn 4000\n"
      << "defaults\n  mode http\n  timeout connect 1s\n  timeout client 60s\n  timeout server 60s\n"
      << "  timeout tunnel 1h\n  retries 2\n  option redispatch 1\n"
      << "frontend boards\n  bind 127.0.0.1:" << entry_port_ << "\n  option forwardfor\n"
      << "  stats enable\n  stats uri /haproxy-stats\n"
      << "  http-request set-var(txn.board) path,field(3,/) if { path_beg /b/ }\n"
      << "  http-request set-var(txn.board) path,field(4,/) if { path_beg /api/boards/ }\n"
      << "  default_backend nodes\n"
      << "backend nodes\n  balance hash var(txn.board)\n  hash-type consistent\n"
      << "  option httpchk GET /readyz\n  http-check expect status 200\n"
      << "  default-server inter 200ms fastinter 100ms downinter 200ms fall 2 rise 2\n";
    for (const Node& n : nodes_) f << "  server " << n.id << " 127.0.0.1:" << n.port << " check\n";
  }

  std::string tandem_;
  int ttl_;
  TempDir dir_;
  std::string root_ = dir_.path().string();
  std::unique_ptr<RedisServer> redis_;
  std::vector<Node> nodes_;
  std::uint16_t entry_port_ = 0;
  Child haproxy_;
  std::string admin_, why_;
};

}  // namespace tandem::testing
