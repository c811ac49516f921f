// The admin API (protocol/SPEC.md API-7, API-8): the admin token as every board's
// owner, GET /api/boards, PATCH /api/boards/{id}. A real server, real RocksDB.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>

#include "access/secret.hpp"
#include "auth.hpp"
#include "support/ops.hpp"
#include "support/server_fixture.hpp"

namespace tandem::testing {
namespace {

namespace json = boost::json;

class BoardListApiTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    admin = admin_token_of(dir.path());
  }
  // The boards GET /api/boards lists, by id.
  std::map<std::string, json::object> listed(const std::string& query = "") {
    auto r = http_request(port, "GET", "/api/boards" + query, "", admin);
    EXPECT_EQ(r.status, 200) << r.body;
    std::map<std::string, json::object> out;
    if (r.status != 200) return out;
    const json::value body = json::parse(r.body);
    for (const auto& b : body.as_object().at("boards").as_array())
      out[std::string(b.as_object().at("board_id").as_string())] = b.as_object();
    return out;
  }
  // Sends one change and returns the answer (an Ack or a Reject).
  v1::ServerMessage answer(TestClient& c, std::uint64_t client_seq, v1::Op op) {
    c.send(submit({change(client_seq, {op})}));
    auto m = c.wait_for([&](const v1::ServerMessage& m) {
      return (m.has_ack() && m.ack().client_seq() == client_seq) ||
             (m.has_reject() && m.reject().client_seq() == client_seq);
    });
    return m.value_or(v1::ServerMessage());
  }
  HttpResult rename(const std::string& board, const std::string& title, const std::string& token) {
    return http_request(port, "PATCH", "/api/boards/" + board, json::serialize(json::object{{"title", title}}), token);
  }
  std::string admin;
};

TEST_F(BoardListApiTest, ListsEveryBoardForTheAdminTokenOnly) {  // API-7
  NewBoard d = create_board_http(port, "discovery", "Olivia");
  NewBoard b = create_board_http(port, "backlog", "Paul");
  EXPECT_EQ(http_request(port, "GET", "/api/boards").status, 403);
  EXPECT_EQ(http_request(port, "GET", "/api/boards", "", d.member_token).status, 403);
  EXPECT_EQ(http_request(port, "GET", "/api/boards", "", "garbage").status, 403);

  TestClient c(port);
  c.join(d.id, "client-o", 0, d.member_token);
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(answer(c, i, create_note("n" + std::to_string(i), "x")).has_ack());
  auto boards = listed();
  ASSERT_EQ(boards.size(), 2u);
  EXPECT_EQ(boards[d.id].at("kind").as_string(), "discovery");
  EXPECT_EQ(boards[d.id].at("title").as_string(), "Discovery");
  EXPECT_EQ(boards[d.id].at("head_seq").to_number<std::uint64_t>(), 3u);
  EXPECT_GT(boards[d.id].at("created_ms").to_number<std::int64_t>(), 0);
  EXPECT_EQ(boards[b.id].at("kind").as_string(), "backlog");
  EXPECT_EQ(boards[b.id].at("head_seq").to_number<std::uint64_t>(), 0u);

  // Deleted boards only with ?deleted=1; the list survives a restart.
  ASSERT_EQ(http_request(port, "DELETE", "/api/boards/" + b.id, "", b.member_token).status, 200);
  EXPECT_EQ(listed().count(b.id), 0u);
  restart();
  auto all = listed("?deleted=1");
  ASSERT_EQ(all.count(b.id), 1u);
  EXPECT_TRUE(all[b.id].at("deleted").as_bool());
  EXPECT_EQ(listed().size(), 1u);
}

TEST_F(BoardListApiTest, TheAdminTokenActsAsOwnerOnEveryBoard) {  // API-7
  NewBoard d = create_board_http(port, "discovery", "Olivia");
  auto info = http_request(port, "GET", "/api/boards/" + d.id, "", admin);
  ASSERT_EQ(info.status, 200) << info.body;
  EXPECT_EQ(json_field(info.body, "role"), "owner");
  EXPECT_EQ(json_field(info.body, "member_id"), "admin");
  EXPECT_EQ(json_field(info.body, "name"), "Administrator");
  auto minted = http_request(port, "POST", "/api/boards/" + d.id + "/invites", R"({"role":"owner"})", admin);
  EXPECT_EQ(minted.status, 201) << minted.body;
  auto list = http_request(port, "GET", "/api/boards/" + d.id + "/invites", "", admin);
  EXPECT_NE(list.body.find(json_field(minted.body, "nonce")), std::string::npos);
  EXPECT_EQ(http_request(port, "DELETE", "/api/boards/" + d.id, "", admin).status, 200);
  // Not a key to boards that do not exist, and nothing on the WebSocket (JOIN-4).
  EXPECT_EQ(http_request(port, "GET", "/api/boards/" + d.id, "", admin).status, 401);
  TestClient c(port);
  c.send(join_msg(d.id, "client-a", 0, admin));
  auto m = c.wait_for([](const v1::ServerMessage& m) { return m.has_error() || m.has_welcome(); });
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->has_error());
}

TEST_F(BoardListApiTest, RenameIsAChangeEveryMemberSeesAndTheListKeeps) {  // API-8
  NewBoard d = create_board_http(port, "discovery", "Olivia");
  const std::string editor = server->member_token(d.id, v1::ROLE_EDITOR, "Ed");
  TestClient c(port);
  c.join(d.id, "client-e", 0, editor);

  EXPECT_EQ(rename(d.id, "Not yours", editor).status, 403);
  EXPECT_EQ(rename(d.id, std::string(201, 'x'), d.member_token).status, 400);
  EXPECT_EQ(http_request(port, "PATCH", "/api/boards/" + d.id, R"({"name":"x"})", d.member_token).status, 400);
  EXPECT_EQ(rename(d.id, "x", "garbage").status, 401);
  auto r = rename(d.id, "Kickoff", d.member_token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json_field(r.body, "title"), "Kickoff");
  auto change = c.wait_for([](const v1::ServerMessage& m) {
    return m.has_change() && m.change().ops_size() && m.change().ops(0).has_update_board();
  });
  ASSERT_TRUE(change);
  EXPECT_EQ(change->change().ops(0).update_board().title(), "Kickoff");
  EXPECT_EQ(listed()[d.id].at("title").as_string(), "Kickoff");

  ASSERT_EQ(rename(d.id, "Kickoff, day 2", admin).status, 200);
  restart();
  EXPECT_EQ(listed()[d.id].at("title").as_string(), "Kickoff, day 2");
  TestClient late(port);
  EXPECT_EQ(late.join(d.id, "client-l", 0, d.member_token).board().title(), "Kickoff, day 2");
}

}  // namespace
}  // namespace tandem::testing
