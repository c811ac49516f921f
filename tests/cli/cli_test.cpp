// The command line (issue 13): the real `tandem` binary (TANDEM_BIN) as a child process.
// Bad values exit 2 naming the flag; flag > environment > config file; --help's groups;
// the admin commands against a real server (protocol/SPEC.md API-1..8).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <fstream>

#include "access/secret.hpp"
#include "cli/child.hpp"
#include "support/ops.hpp"
#include "support/server_fixture.hpp"
#include "support/unused_port.hpp"

namespace tandem::testing {
namespace {

namespace json = boost::json;

const std::string kBin = TANDEM_BIN;

std::vector<std::string> cmd(std::initializer_list<std::string> args) {
  std::vector<std::string> v{kBin};
  v.insert(v.end(), args.begin(), args.end());
  return v;
}

std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

class CliTest : public ::testing::Test {
 protected:
  RunResult tandem(std::vector<std::string> args, const Env& env = {}) { return run(dir.path().string(), args, env); }
  std::string data(const std::string& name) { return (dir.path() / name).string(); }
  std::string write(const std::string& name, const std::string& content) {
    std::ofstream(dir.path() / name) << content;
    return (dir.path() / name).string();
  }
  TempDir dir;
};

TEST_F(CliTest, BadValuesExitWith2AndAOneLineMessageNamingTheFlag) {
  struct Case {
    std::vector<std::string> args;
    std::string names;
    std::string says;
  };
  const std::vector<Case> cases = {
      {cmd({"--port", "abc"}), "--port", "0..65535"},
      {cmd({"--port", "70000"}), "--port", "0..65535"},
      {cmd({"--port=-1"}), "--port", "0..65535"},
      {cmd({"--port", "-1"}), "--port", ""},
      {cmd({"serve", "--port", "8x"}), "--port", "0..65535"},
      {cmd({"--bogus"}), "--bogus", ""},
      {cmd({"--port"}), "--port", ""},
      {cmd({"--config", data("missing.toml")}), "--config", "missing.toml"},
      {cmd({"--durability", "fast"}), "--durability", "sync, wal"},
      {cmd({"--presence-tick-ms", "1"}), "--presence-tick-ms", "5..1000"},
      {cmd({"--rate-burst", "0"}), "--rate-burst", "1..1e9"},
      {cmd({"--log-level", "loud"}), "--log-level", "debug, info, warn, error"},
      {cmd({"board", "create", "--kind", "wiki"}), "--kind", ""},
      {cmd({"invite", "create", "B", "--role", "editor", "--expires", "soon", "--server", "http://127.0.0.1:1",
            "--token", "t"}),
       "--expires", "7d"},
  };
  for (const Case& c : cases) {
    std::string what;
    for (std::size_t i = 1; i < c.args.size(); ++i) what += c.args[i] + " ";
    RunResult r = tandem(c.args);
    EXPECT_EQ(r.code, 2) << what << r.err;
    EXPECT_NE(r.err.find(c.names), std::string::npos) << what << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << what << r.err;
    EXPECT_EQ(lines(r.err), 1u) << what << r.err;
    EXPECT_EQ(r.out, "") << what;
  }
  // From the environment and a config file, the same words.
  RunResult env = tandem(cmd({}), {{"TANDEM_PORT", "70000"}});
  EXPECT_EQ(env.code, 2);
  EXPECT_NE(env.err.find("--port"), std::string::npos) << env.err;
  RunResult file = tandem(cmd({"--config", write("bad.toml", "port = \"http\"\n")}));
  EXPECT_EQ(file.code, 2);
  EXPECT_NE(file.err.find("--port"), std::string::npos) << file.err;
  RunResult unknown = tandem(cmd({"--config", write("unknown.toml", "prot = 8080\n")}));
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("'prot' names no flag"), std::string::npos) << unknown.err;
}

TEST_F(CliTest, HelpListsTheGroupsWithDefaultsAndEnvironmentNames) {
  for (auto args : {cmd({"--help"}), cmd({"serve", "--help"})}) {
    RunResult r = tandem(args);
    EXPECT_EQ(r.code, 0) << r.err;
    for (const char* s : {"Network:", "Storage:", "Limits:", "Logging:", "Metrics:", "--port", "8080", "TANDEM_PORT",
                          "--durability", "--metrics-allow", "--log-json", "--config", "Precedence"})
      EXPECT_NE(r.out.find(s), std::string::npos) << args[1] << " lacks " << s;
  }
  RunResult top = tandem(cmd({"--help"}));
  for (const char* s : {"board", "invite", "owner-link", "admin-token", "--server", "TANDEM_SERVER"})
    EXPECT_NE(top.out.find(s), std::string::npos) << "tandem --help lacks " << s;
  RunResult board = tandem(cmd({"board", "--help"}));
  EXPECT_EQ(board.code, 0);
  for (const char* s : {"create", "list", "rename", "delete"}) EXPECT_NE(board.out.find(s), std::string::npos) << s;
}

// Flag > environment > config file > default: the line the server prints says its
// data folder, durability and port.
TEST_F(CliTest, FlagsWinOverTheEnvironmentWhichWinsOverTheConfigFile) {
  const std::uint16_t p1 = unused_port();
  const std::string cfg = write("tandem.toml", "# tandem serve\nport = " + std::to_string(p1) + "\ndata = \"" +
                                                   data("from-file") + "\"\ndurability = \"wal\"\n");
  {  // the file alone
    Started s(cmd({"--config", cfg}));
    EXPECT_EQ(s.port(), p1) << s.line();
    EXPECT_NE(s.line().find("data: " + data("from-file")), std::string::npos) << s.line();
    EXPECT_NE(s.line().find("durability: wal"), std::string::npos) << s.line();
  }
  {  // TANDEM_CONFIG names it; the environment beats it
    const std::uint16_t p2 = unused_port();
    Started s(cmd({}), {{"TANDEM_CONFIG", cfg}, {"TANDEM_PORT", std::to_string(p2)}, {"TANDEM_DURABILITY", "sync"}});
    EXPECT_EQ(s.port(), p2) << s.line();
    EXPECT_NE(s.line().find("durability: sync"), std::string::npos) << s.line();
    EXPECT_NE(s.line().find("data: " + data("from-file")), std::string::npos) << s.line();
  }
  {  // flags beat both
    Started s(cmd({"serve", "--port", "0", "--data", data("from-flag"), "--config", cfg}),
              {{"TANDEM_DATA", data("from-env")}, {"TANDEM_DURABILITY", "sync"}});
    EXPECT_NE(s.port(), 0) << s.line();
    EXPECT_NE(s.line().find("data: " + data("from-flag")), std::string::npos) << s.line();
    EXPECT_NE(s.line().find("durability: sync"), std::string::npos) << s.line();
  }
  {  // an INI [serve] section, and the environment over the default
    const std::string ini = write("tandem.ini", "[serve]\ndurability=wal\n");
    Started s(cmd({"--port", "0", "--config", ini}), {{"TANDEM_DATA", data("from-env")}});
    EXPECT_NE(s.line().find("data: " + data("from-env")), std::string::npos) << s.line();
    EXPECT_NE(s.line().find("durability: wal"), std::string::npos) << s.line();
  }
}

// The admin commands against a real server on the fixture's data folder: the token is
// the admin token computed from --data's secret.
class CliAdminTest : public ServerFixture {
 protected:
  RunResult tandem(std::vector<std::string> args, Env env = {}) {
    args.insert(args.begin(), kBin);
    env.emplace_back("TANDEM_SERVER", "http://127.0.0.1:" + std::to_string(port));
    env.emplace_back("TANDEM_DATA", dir.path().string());
    return run(out.path().string(), args, env);
  }
  // The member token an invite link gives whoever redeems it ("" when refused).
  std::string redeem(const std::string& board, const std::string& link, const std::string& name) {
    std::string invite = link.substr(link.find("?invite=") + 8);
    while (!invite.empty() && std::isspace(static_cast<unsigned char>(invite.back()))) invite.pop_back();
    auto r = http_request(port, "POST", "/api/boards/" + board + "/members",
                          R"({"invite":")" + invite + R"(","name":")" + name + R"("})");
    return r.status == 200 ? json_field(r.body, "member_token") : "";
  }
  json::object json_out(const RunResult& r) {
    boost::system::error_code ec;
    json::value v = json::parse(r.out, ec);
    EXPECT_FALSE(ec) << r.out;
    return !ec && v.is_object() ? v.as_object() : json::object{};
  }
  TempDir out;
};

TEST_F(CliAdminTest, BoardCreateListRenameDelete) {
  RunResult made = tandem({"board", "create", "--kind", "discovery", "--title", "Q3 discovery", "--template", "retro"});
  ASSERT_EQ(made.code, 0) << made.err;
  const std::string id = made.out.substr(6, made.out.find(' ', 6) - 6);
  EXPECT_NE(made.out.find("owner link: http://127.0.0.1:" + std::to_string(port) + "/b/" + id + "?invite="),
            std::string::npos)
      << made.out;
  json::object backlog = json_out(tandem({"board", "create", "--kind", "backlog", "--json"}));
  const std::string backlog_id(backlog["board_id"].as_string());
  EXPECT_EQ(backlog["title"].as_string(), "Backlog");

  RunResult list = tandem({"board", "list"});
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find("Q3 discovery"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find(backlog_id), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("2 boards"), std::string::npos) << list.out;

  // A member on the board sees the rename live; a new joiner's Welcome has the title.
  const std::string owner = redeem(id, made.out.substr(made.out.find("http://")), "Olivia");
  ASSERT_FALSE(owner.empty());
  TestClient live(port);
  live.join(id, "client-live", 0, owner);
  RunResult renamed = tandem({"board", "rename", id, "Q3 discovery, final"});
  ASSERT_EQ(renamed.code, 0) << renamed.err;
  auto change = live.wait_for([](const v1::ServerMessage& m) {
    return m.has_change() && m.change().ops_size() && m.change().ops(0).has_update_board();
  });
  ASSERT_TRUE(change);
  EXPECT_EQ(change->change().ops(0).update_board().title(), "Q3 discovery, final");
  TestClient late(port);
  EXPECT_EQ(late.join(id, "client-late", 0, owner).board().title(), "Q3 discovery, final");
  json::value listed = json::parse(tandem({"board", "list", "--json"}).out);
  bool seen = false;
  for (const auto& b : listed.as_array())
    if (b.as_object().at("board_id").as_string() == id) {
      seen = true;
      EXPECT_EQ(b.as_object().at("title").as_string(), "Q3 discovery, final");
      EXPECT_EQ(b.as_object().at("kind").as_string(), "discovery");
      EXPECT_GE(b.as_object().at("head_seq").to_number<std::uint64_t>(), 2u);  // the template, the rename
    }
  EXPECT_TRUE(seen) << json::serialize(listed);

  // Delete: not without --yes when nobody can be asked; then gone from the list.
  RunResult asked = tandem({"board", "delete", id});
  EXPECT_EQ(asked.code, 2);
  EXPECT_NE(asked.err.find("--yes"), std::string::npos) << asked.err;
  RunResult deleted = tandem({"board", "delete", id, "--yes"});
  ASSERT_EQ(deleted.code, 0) << deleted.err;
  EXPECT_EQ(live.wait_closed(), 4005);
  RunResult after = tandem({"board", "list"});
  EXPECT_EQ(after.out.find(id), std::string::npos) << after.out;
  RunResult with_deleted = tandem({"board", "list", "--deleted"});
  EXPECT_NE(with_deleted.out.find(id), std::string::npos) << with_deleted.out;
  EXPECT_NE(with_deleted.out.find("deleted"), std::string::npos) << with_deleted.out;

  // The server's refusal: its text, exit 1.
  RunResult again = tandem({"board", "rename", id, "x"});
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find("HTTP 401"), std::string::npos) << again.err;
}

TEST_F(CliAdminTest, InviteCreateListRevokeEndsTheMembersItAdmitted) {
  NewBoard b = create_board_http(port, "discovery", "Olivia");
  RunResult made = tandem({"invite", "create", b.id, "--role", "editor", "--expires", "2d", "--label", "for Ed"});
  ASSERT_EQ(made.code, 0) << made.err;
  const std::string link = made.out.substr(0, made.out.find('\n'));
  EXPECT_EQ(link.rfind("http://127.0.0.1:" + std::to_string(port) + "/b/" + b.id + "?invite=", 0), 0u) << link;
  const std::string ed = redeem(b.id, link, "Ed");
  ASSERT_FALSE(ed.empty());
  TestClient c(port);
  EXPECT_EQ(c.join(b.id, "client-ed", 0, ed).role(), v1::ROLE_EDITOR);

  RunResult list = tandem({"invite", "list", b.id, "--json"});
  ASSERT_EQ(list.code, 0) << list.err;
  std::string nonce;
  const json::value invites = json::parse(list.out);
  for (const auto& i : invites.as_array())
    if (i.as_object().at("label").as_string() == "for Ed") nonce = std::string(i.as_object().at("nonce").as_string());
  ASSERT_FALSE(nonce.empty()) << list.out;
  RunResult table = tandem({"invite", "list", b.id});
  EXPECT_NE(table.out.find(nonce), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("active"), std::string::npos) << table.out;

  RunResult revoked = tandem({"invite", "revoke", b.id, nonce});
  ASSERT_EQ(revoked.code, 0) << revoked.err;
  EXPECT_EQ(c.wait_closed(), 4006);  // AUTH-4
  TestClient again(port);
  again.send(join_msg(b.id, "client-ed2", 0, ed));
  auto m = again.wait_for([](const v1::ServerMessage& m) { return m.has_error() || m.has_welcome(); });
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->has_error()) << "a member of a revoked link was let in";
  EXPECT_TRUE(redeem(b.id, link, "Eve").empty());
  EXPECT_NE(tandem({"invite", "list", b.id}).out.find("revoked"), std::string::npos);
}

TEST_F(CliAdminTest, AnUnreachableServerOrABadTokenExitsWith1) {
  RunResult down = tandem({"board", "list", "--server", "http://127.0.0.1:1"});
  EXPECT_EQ(down.code, 1);
  EXPECT_NE(down.err.find("cannot reach the server at http://127.0.0.1:1"), std::string::npos) << down.err;
  RunResult bad = tandem({"board", "list"}, {{"TANDEM_TOKEN", "not-a-token"}});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("needs the admin token"), std::string::npos) << bad.err;
  RunResult no_secret = tandem({"board", "list", "--data", out.path().string()});
  EXPECT_EQ(no_secret.code, 1);
  EXPECT_NE(no_secret.err.find("--token"), std::string::npos) << no_secret.err;
}

TEST_F(CliAdminTest, AdminTokenAndOwnerLinkReadTheDataFolder) {
  RunResult token = tandem({"admin-token"});
  ASSERT_EQ(token.code, 0) << token.err;
  auto r = http_request(port, "GET", "/api/boards", "", token.out.substr(0, token.out.size() - 1));
  EXPECT_EQ(r.status, 200) << r.body;
  NewBoard b = create_board_http(port, "discovery", "Olivia");
  RunResult link = tandem({"owner-link", b.id});
  ASSERT_EQ(link.code, 0) << link.err;
  EXPECT_EQ(link.out.rfind("/b/" + b.id + "?invite=", 0), 0u) << link.out;
  EXPECT_FALSE(redeem(b.id, link.out.substr(0, link.out.size() - 1), "Owner again").empty());
  EXPECT_EQ(tandem({"owner-link"}).code, 2);
  EXPECT_EQ(tandem({"admin-token", "--data", out.path().string()}).code, 2);
}

}  // namespace
}  // namespace tandem::testing
