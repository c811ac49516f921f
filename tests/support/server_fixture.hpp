// ServerFixture: a Server (server/server.hpp) in the test's own process, on an
// ephemeral loopback port and a fresh data folder; restart() stops it and starts a
// new one on the same folder. Fixtures of the server tests derive from it.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>

#include "access/secret.hpp"
#include "auth.hpp"
#include "server.hpp"
#include "support/temp_dir.hpp"
#include "support/sync_client.hpp"
#include "support/test_client.hpp"

namespace tandem::testing {

// The admin token of a server whose data folder is `dir` (SPEC API-7), as
// `tandem admin-token` prints it: signed with that folder's secret.
inline std::string admin_token_of(const std::filesystem::path& dir) {
  access::Secret secret;
  bool created = false;
  EXPECT_TRUE(access::load_or_create_secret(dir, &secret, &created).ok());
  return Authorizer(secret, CreatePolicy::kAdmin).admin_token();
}

class ServerFixture : public ::testing::Test {
 protected:
  void SetUp() override { start(); }
  void start() {
    cfg.port = 0;
    cfg.data_dir = dir.path();
    cfg.threads = 2;
    server = std::make_unique<Server>(cfg);
    ASSERT_TRUE(server->start().ok());
    port = server->port();
  }
  void stop() {
    server->shutdown();
    server.reset();
  }
  void restart() {
    stop();
    start();
  }

  TempDir dir;
  ServerConfig cfg;
  std::unique_ptr<Server> server;
  std::uint16_t port = 0;
};

// A server and SyncClients (replicas that apply what they receive) on its boards.
class SyncServerFixture : public ServerFixture {
 protected:
  // A client of `board` as its own member (an editor), or as its owner when it
  // creates the board with `create`.
  std::unique_ptr<SyncClient> client(const std::string& board, const std::string& id, const v1::BoardMeta* create = nullptr) {
    std::string token = create ? server->create_board(board, *create, "owner " + id).value_or("")
                               : server->member_token(board, v1::ROLE_EDITOR, "editor " + id);
    auto c = std::make_unique<SyncClient>(server->port(), board, id, token, schema);
    c->connect();
    return c;
  }
  // Pumps `c` until `pred` holds on its replica.
  static bool until(SyncClient& c, const std::function<bool(const model::BoardState&)>& pred) {
    return c.wait_state(pred);
  }

  model::Schema schema;
};

// A discovery board made over HTTP by its owner (Olivia), and member tokens of two
// editors (Alice, Bob) and a facilitator (Fran) with fixed member ids.
class BoardFixture : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    if (HasFatalFailure()) return;
    NewBoard b = create_board_http(port, "discovery", "Olivia");
    board = b.id;
    owner = b.member_token;
    alice = server->member_token(board, v1::ROLE_EDITOR, "Alice", "m-alice");
    bob = server->member_token(board, v1::ROLE_EDITOR, "Bob", "m-bob");
    fran = server->member_token(board, v1::ROLE_FACILITATOR, "Fran", "m-fran");
  }
  std::string board, owner, alice, bob, fran;
};

}  // namespace tandem::testing
