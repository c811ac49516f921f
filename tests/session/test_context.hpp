// TestContext: a ServerContext over a fresh RocksDB in its own temp folder, without a
// listener, for tests that drive endpoints and connections directly.
//
// The boards run on `ioc`; nothing runs it until a test does: pump_until() from the
// test thread (then the test thread is every strand), or start_thread() for a
// network thread of its own. Torn down in the order Server::shutdown uses.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "access/secret.hpp"
#include "auth.hpp"
#include "board/board_directory.hpp"
#include "server_context.hpp"
#include "storage/group_committer.hpp"
#include "storage/keys.hpp"
#include "storage/store.hpp"
#include "support/temp_dir.hpp"

namespace tandem::testing {

class TestContext {
 public:
  // `use_placement`: the boards' placement (a test double, CLUSTER-*); a single node by default.
  explicit TestContext(ServerConfig cfg = {}, Placement* use_placement = nullptr)
      : config(std::move(cfg)), schema(config.board.schema) {
    config.data_dir = dir.path();
    access::Secret secret;
    bool created = false;
    if (!access::load_or_create_secret(dir.path(), &secret, &created).ok()) std::abort();
    auth = std::make_unique<Authorizer>(secret, config.create_boards);
    if (!storage::Store::open(dir.path() / "db", &store).ok()) std::abort();
    committer = std::make_unique<storage::GroupCommitter>(*store, storage::Durability::kWal);
    Board::Deps deps{*store, *committer, blocking, schema, config.board, metrics, &auth->tokens()};
    boards = std::make_unique<BoardDirectory>(ioc->get_executor(), deps, use_placement ? *use_placement : placement);
    ctx = std::unique_ptr<ServerContext>(new ServerContext{config, *boards, *auth, metrics, sessions, *committer});
  }
  ~TestContext() {
    committer->stop();
    blocking.join();
    work.reset();
    ioc->stop();
    if (thread.joinable()) thread.join();
    boards.reset();
    ioc.reset();  // destroys queued handlers while the store they use lives
  }

  // Writes the metadata of a discovery board `id`, as creating it over HTTP would.
  void create_board(const std::string& id) {
    v1::BoardMeta meta;
    meta.set_id(id);
    meta.set_title(id);
    meta.set_kind(v1::BOARD_KIND_DISCOVERY);
    storage::Write w{storage::Cf::kBoards, storage::board_key(id), meta.SerializeAsString()};
    if (!store->write({&w}, storage::Durability::kSync).ok()) std::abort();
  }

  // A member token of `board` for member `member_id` (AUTH-1), as redeeming an invite gives.
  std::string member_token(const std::string& board, const std::string& member_id,
                           v1::Role role = v1::ROLE_EDITOR) const {
    v1::TokenClaims c;
    c.set_kind(v1::TOKEN_KIND_MEMBER);
    c.set_board_id(board);
    c.set_role(role);
    c.set_member_id(member_id);
    c.set_name(member_id);
    return auth->tokens().sign(c);
  }

  // Runs `ioc` on the test thread until `pred` holds; false after `timeout`.
  bool pump_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      ioc->run_one_for(std::chrono::milliseconds(10));
    }
    return true;
  }
  // Runs `ioc` on the test thread for `d`.
  void pump_for(std::chrono::milliseconds d) { ioc->run_for(d); }
  void start_thread() {
    thread = std::thread([this] { ioc->run(); });
  }

  TempDir dir;
  ServerConfig config;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<storage::GroupCommitter> committer;
  boost::asio::thread_pool blocking{1};
  model::Schema schema;
  Metrics metrics;
  std::unique_ptr<Authorizer> auth;
  SessionRegistry sessions;
  SingleNodePlacement placement;
  std::unique_ptr<boost::asio::io_context> ioc = std::make_unique<boost::asio::io_context>(1);
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work{ioc->get_executor()};
  std::unique_ptr<BoardDirectory> boards;
  std::unique_ptr<ServerContext> ctx;
  std::thread thread;
};

}  // namespace tandem::testing
