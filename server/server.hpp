// Server: the composition root. Owns the store, the group committer, the network
// threads, the board directory and the listener, and shuts them down in steps.
//
// start() and shutdown() are called from one controlling thread (main or a test);
// everything else runs on the io_context threads.
#pragma once

#include <memory>
#include <thread>
#include <vector>

#include "config.hpp"
#include "storage/status.hpp"

namespace tandem {

class Server {
 public:
  explicit Server(ServerConfig config);
  ~Server();  // shutdown()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Opens the data folder, binds the port and starts serving.
  Status start();
  std::uint16_t port() const;

  // Stops accepting, closes sessions with "going away" (waiting a bounded time),
  // writes what the log has queued, then stops the threads. Idempotent.
  void shutdown();

  // Blocks until SIGINT or SIGTERM, then shuts down.
  void run_until_signal();

  const ServerConfig& config() const { return config_; }

 private:
  struct Impl;
  ServerConfig config_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem
