// Server: the composition root. Owns the store, the group committer, the network
// threads, the board directory and the listener, and shuts them down in steps.
//
// start() and shutdown() are called from one controlling thread (main or a test);
// everything else runs on the io_context threads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config.hpp"
#include "storage/status.hpp"
#include "tandem/v1/sync.pb.h"

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

  // Creates board `id` (as POST /api/boards does, with a chosen id) and returns a
  // member token of its owner named `owner_name`; nullopt if it exists or cannot be
  // written. For tools and tests; after start().
  std::optional<std::string> create_board(const std::string& id, v1::BoardMeta meta, const std::string& owner_name);
  // A member token of `board_id` with `role` (for tools and tests; after start()).
  std::string member_token(const std::string& board_id, v1::Role role, const std::string& name,
                           const std::string& member_id = "") const;

 private:
  struct Impl;
  ServerConfig config_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem
