// A server for the export / import / history tests (protocol/SPEC.md EXPORT-*), with the
// admin token of its data folder and helpers for the routes.
#pragma once

#include <boost/json.hpp>

#include <chrono>

#include "access/secret.hpp"
#include "auth.hpp"
#include "storage/store.hpp"
#include "support/ops.hpp"
#include "support/server_fixture.hpp"
#include "transfer_http.hpp"

namespace tandem::testing {

class TransferFixture : public SyncServerFixture {
 protected:
  void SetUp() override {
    SyncServerFixture::SetUp();
    if (HasFatalFailure()) return;
    admin = admin_token_of(dir.path());
  }
  // Creates `board` with its owner Olivia (her token in owner_token) and connects her.
  std::unique_ptr<SyncClient> owner(const std::string& board, const std::string& client_id, const v1::BoardMeta& meta) {
    owner_token = server->create_board(board, meta, "Olivia").value_or("");
    EXPECT_FALSE(owner_token.empty());
    auto c = std::make_unique<SyncClient>(port, board, client_id, owner_token, schema);
    c->connect();
    return c;
  }
  Answer get(const std::string& target, const std::string& token) { return request(port, "GET", target, token); }
  // GET .../export?format=json as `token`, parsed.
  v1::BoardExport export_json(const std::string& board, const std::string& token, const std::string& extra = "") {
    Answer a = get("/api/boards/" + board + "/export?format=json" + extra, token);
    EXPECT_EQ(a.status, 200) << a.body;
    return parse_export(a);
  }
  // POST /api/boards/import: the new board's id and owner token (empty on failure).
  std::pair<std::string, std::string> import(const std::string& body, const std::string& query,
                                             const std::string& content_type = "application/json") {
    Answer a = request(port, "POST", "/api/boards/import" + query, "", body, content_type);
    EXPECT_EQ(a.status, 201) << a.body;
    if (a.status != 201) return {};
    last_import = boost::json::parse(a.body).as_object();
    return {std::string(last_import.at("board_id").as_string()), std::string(last_import.at("member_token").as_string())};
  }
  // How many boards the data folder holds (the server stopped to read it).
  std::uint64_t boards_on_disk() {
    stop();
    std::unique_ptr<storage::Store> store;
    EXPECT_TRUE(storage::Store::open(dir.path(), &store).ok());
    auto n = store->count_keys(storage::Cf::kBoards);
    store.reset();
    start();
    return n.value_or(0);
  }

  std::string admin, owner_token;
  boost::json::object last_import;
};

}  // namespace tandem::testing
