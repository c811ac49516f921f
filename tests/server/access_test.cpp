// Trust, through the real server: tokens, identity, roles, invites, exactly-once
// answers and value checks (protocol/SPEC.md AUTH-*, ROLE-*, API-*, IDEM-*, PRES-3,
// JOIN-4..6). Each case is an attack or a mistake a client could make.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "access/secret.hpp"
#include "access/token.hpp"
#include "board/sequencer.hpp"
#include "server.hpp"
#include "storage/store.hpp"
#include "support/ops.hpp"
#include "support/server_fixture.hpp"
#include "support/test_client.hpp"

namespace tandem {
namespace {

using namespace std::chrono_literals;
using namespace tandem::testing;
using Kind = v1::ServerMessage::KindCase;

class AccessTest : public ServerFixture {
 protected:
  // A board made through the API, with its owner's token.
  NewBoard board(const std::string& kind = "discovery") { return create_board_http(port, kind, "Olivia"); }

  // Redeems `invite` on `board` as `name`; "" when refused.
  std::string redeem(const std::string& board, const std::string& invite, const std::string& name) {
    auto r = http_request(port, "POST", "/api/boards/" + board + "/members",
                          R"({"invite":")" + invite + R"(","name":")" + name + R"("})");
    return r.status == 200 ? json_field(r.body, "member_token") : "";
  }
  // Mints an invite link of `role`; its token, "" when refused.
  std::string mint(const std::string& board, const std::string& as, const std::string& role, int* status = nullptr) {
    auto r = http_request(port, "POST", "/api/boards/" + board + "/invites", R"({"role":")" + role + R"("})", as);
    if (status) *status = r.status;
    return r.status == 201 ? json_field(r.body, "token") : "";
  }
  // A member of `role` on `b`, through an invite the owner mints.
  std::string member(const NewBoard& b, const std::string& role, const std::string& name) {
    return redeem(b.id, mint(b.id, b.member_token, role), name);
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

  // Joins with `token` and expects the refusal every bad token gets (AUTH-2).
  void expect_refused(const std::string& board, const std::string& token, const std::string& what) {
    TestClient c(port);
    c.send(join_msg(board, "client-x", 0, token));
    auto m = c.wait_for([](const v1::ServerMessage& m) { return m.has_error() || m.has_welcome(); }, 10s, what);
    ASSERT_TRUE(m) << what;
    ASSERT_TRUE(m->has_error()) << what << " was let in";
    EXPECT_EQ(m->error().code(), v1::ERROR_CODE_UNAUTHORIZED) << what;
    EXPECT_EQ(m->error().message(), "token refused") << what;  // the same words whatever the reason
    EXPECT_EQ(c.wait_closed(), 4006) << what;
  }
};

TEST_F(AccessTest, EveryBadTokenIsRefusedAlikeAndRevealsNothing) {  // AUTH-1, AUTH-2, JOIN-4
  NewBoard b = board();
  NewBoard other = board();
  std::string altered = b.member_token;
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  std::string jwt = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoib3duZXIifQ.c2lnbmF0dXJl";
  expect_refused(b.id, "", "an empty token");
  expect_refused(b.id, "garbage", "garbage");
  expect_refused(b.id, std::string(60 * 1024, 'x'), "a 60 KB token");
  expect_refused(b.id, "viewer", "the word viewer");
  expect_refused(b.id, jwt, "a JWT");
  expect_refused(b.id, altered, "an altered token");
  expect_refused(b.id, b.owner_invite, "an invite instead of a member token");
  expect_refused(b.id, other.member_token, "another board's token");
  expect_refused("no-such-board", server->member_token("no-such-board", v1::ROLE_OWNER, "x"), "an unknown board");
  // A token signed by another server's secret.
  access::Secret foreign;
  foreign.bytes.fill(7);
  v1::TokenClaims claims;
  claims.set_kind(v1::TOKEN_KIND_MEMBER);
  claims.set_board_id(b.id);
  claims.set_role(v1::ROLE_OWNER);
  claims.set_member_id("m");
  expect_refused(b.id, access::TokenCodec(foreign).sign(claims), "a token of another secret");
  // The real one works.
  TestClient ok(port);
  EXPECT_EQ(ok.join(b.id, "client-o", 0, b.member_token).role(), v1::ROLE_OWNER);
}

TEST_F(AccessTest, AViewerReadsAndSendsPresenceButNeverWrites) {  // ROLE-1, ROLE-2
  NewBoard b = board();
  std::string viewer = member(b, "viewer", "Vera");
  ASSERT_FALSE(viewer.empty());
  TestClient owner(port), v(port);
  owner.join(b.id, "client-o", 0, b.member_token);
  auto w = v.join(b.id, "client-v", 0, viewer);
  EXPECT_EQ(w.role(), v1::ROLE_VIEWER);
  EXPECT_EQ(w.you().user_name(), "Vera");
  auto r = answer(v, 1, create_note("n1", "sneaky"));
  ASSERT_TRUE(r.has_reject());
  EXPECT_EQ(r.reject().code(), v1::REJECT_CODE_NOT_ALLOWED);
  // Presence goes through; nothing reached the log.
  v1::ClientMessage p;
  p.mutable_presence()->mutable_cursor()->set_x(5);
  v.send(p);
  auto seen = owner.wait_for([](const v1::ServerMessage& m) { return m.has_presence() && m.presence().has_presence(); });
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->presence().member().user_name(), "Vera");
  ASSERT_EQ(answer(owner, 1, create_note("n2", "mine")).ack().seq(), 1u);  // the viewer's try took no seq
}

TEST_F(AccessTest, TheAuthorIsTheTokensNotTheClients) {  // AUTH-3, VOTE-1, VOTE-2
  NewBoard b = board();
  std::string alice = member(b, "editor", "Alice");
  std::string mallory = member(b, "editor", "Mallory");
  TestClient a(port), m(port), obs(port);
  obs.join(b.id, "client-obs", 0, b.member_token);
  const std::string alice_id = a.join(b.id, "client-a", 0, alice).you().member_id();
  v1::ClientMessage j = join_msg(b.id, "client-m", 0, mallory);
  j.mutable_join()->set_user_name("Alice");  // claims to be Alice
  m.send(j);
  auto w = m.wait_kind(Kind::kWelcome);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->welcome().you().user_name(), "Mallory");
  ASSERT_TRUE(answer(a, 1, create_note("n1", "idea")).has_ack());
  ASSERT_TRUE(answer(a, 2, add_vote("v1", "n1")).has_ack());
  ASSERT_TRUE(answer(m, 1, create_note("n2", "fake")).has_ack());
  auto c = a.wait_for([](const v1::ServerMessage& x) { return x.has_change() && x.change().client_id() == "client-m"; });
  ASSERT_TRUE(c);
  EXPECT_EQ(c->change().author(), "Mallory");
  // A vote is stamped with the voter's member id, never a name anyone can claim.
  auto vote = obs.wait_for([](const v1::ServerMessage& x) { return x.has_change() && x.change().ops(0).has_add_vote(); });
  ASSERT_TRUE(vote);
  EXPECT_EQ(vote->change().author_id(), alice_id);
  EXPECT_EQ(vote->change().author(), "Alice");
  // Mallory cannot remove Alice's vote.
  auto r = answer(m, 2, remove_vote("v1"));
  ASSERT_TRUE(r.has_reject());
  EXPECT_EQ(r.reject().code(), v1::REJECT_CODE_NOT_ALLOWED);
  EXPECT_TRUE(answer(a, 3, remove_vote("v1")).has_ack());
}

TEST_F(AccessTest, AClientIdOfAnotherMemberIsRefusedNeverTakenOver) {  // JOIN-6
  NewBoard b = board();
  std::string mallory = member(b, "editor", "Mallory");
  TestClient owner(port);
  owner.join(b.id, "client-o", 0, b.member_token);
  ASSERT_TRUE(answer(owner, 1, create_note("n1", "x")).has_ack());
  TestClient m(port);
  m.send(join_msg(b.id, "client-o", 0, mallory));
  auto e = m.wait_kind(Kind::kError);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->error().code(), v1::ERROR_CODE_CLIENT_ID_TAKEN);
  // Mallory is not joined: a change with a huge client_seq goes nowhere.
  m.send(submit({change(~0ull, {create_note("n9", "poison")})}));
  auto nj = m.wait_kind(Kind::kError);
  ASSERT_TRUE(nj);
  EXPECT_EQ(nj->error().code(), v1::ERROR_CODE_NOT_JOINED);
  // The owner was not closed and goes on: client_seq 50 is new, not a duplicate.
  auto a = answer(owner, 50, update_text("n1", "still mine"));
  ASSERT_TRUE(a.has_ack());
  EXPECT_FALSE(a.ack().duplicate());
  EXPECT_EQ(a.ack().seq(), 2u);
  EXPECT_FALSE(owner.closed());
}

TEST_F(AccessTest, AResendGetsTheAnswerItGotTheFirstTime) {  // IDEM-1, IDEM-2, IDEM-3
  NewBoard b = board();
  auto c1 = change(1, {create_note("n1", "ok")});
  auto c2 = change(2, {update_text("ghost", "x")});
  auto c3 = change(3, {update_text("n1", "fine")});
  {
    TestClient a(port);
    a.join(b.id, "client-a", 0, b.member_token);
    a.send(submit({c1, c2, c3}));
    ASSERT_TRUE(a.wait_for([](const v1::ServerMessage& m) { return m.has_ack() && m.ack().client_seq() == 3; }));
  }
  restart();  // the outcomes survive a restart
  TestClient a(port);
  auto w = a.join(b.id, "client-a", 0, b.member_token);
  EXPECT_EQ(w.last_client_seq(), 3u);
  a.send(submit({c2, c1, c3}));
  auto r2 = a.wait_for([](const v1::ServerMessage& m) { return m.has_ack() || m.has_reject(); });
  ASSERT_TRUE(r2 && r2->has_reject()) << "a rejected change must not be reported as applied";
  EXPECT_EQ(r2->reject().client_seq(), 2u);
  EXPECT_EQ(r2->reject().code(), v1::REJECT_CODE_UNKNOWN_OBJECT);
  auto r1 = a.wait_for([](const v1::ServerMessage& m) { return m.has_ack() || m.has_reject(); });
  ASSERT_TRUE(r1 && r1->has_ack());
  EXPECT_TRUE(r1->ack().duplicate());
  EXPECT_EQ(r1->ack().seq(), 1u);
  auto r3 = a.wait_for([](const v1::ServerMessage& m) { return m.has_ack() || m.has_reject(); });
  ASSERT_TRUE(r3 && r3->has_ack());
  EXPECT_EQ(r3->ack().seq(), 2u);
  // Far ahead of the record: refused, no record, nothing applied.
  auto far = answer(a, 3 + (1u << 20) + 1, create_note("n-far", "x"));
  ASSERT_TRUE(far.has_reject());
  EXPECT_EQ(far.reject().code(), v1::REJECT_CODE_BAD_OP);
  // 70 more changes move the window past client_seq 1: its outcome is no longer known.
  for (std::uint64_t cs = 4; cs < 74; ++cs) a.send(submit({change(cs, {update_text("n1", "v" + std::to_string(cs))})}));
  ASSERT_TRUE(a.wait_for([](const v1::ServerMessage& m) { return m.has_ack() && m.ack().client_seq() == 73; }));
  auto stale = answer(a, 1, create_note("n1", "ok"));
  ASSERT_TRUE(stale.has_reject());
  EXPECT_EQ(stale.reject().code(), v1::REJECT_CODE_STALE_CLIENT_SEQ);
  // A gap inside the window that was never seen is new.
  auto gap = answer(a, 80, create_note("n80", "after a gap"));
  ASSERT_TRUE(gap.has_ack());
  auto fill = answer(a, 75, create_note("n75", "inside the gap"));
  ASSERT_TRUE(fill.has_ack());
  EXPECT_FALSE(fill.ack().duplicate());
}

TEST_F(AccessTest, BoardsAreCreatedOnlyWithValidValues) {  // API-1
  auto post = [&](const std::string& body) { return http_request(port, "POST", "/api/boards", body).status; };
  EXPECT_EQ(post(R"({"kind":"discovery","name":"A","title":")" + std::string(10000, 't') + R"("})"), 400);
  EXPECT_EQ(post(R"({"kind":"whiteboard","name":"A"})"), 400);
  EXPECT_EQ(post(R"({"name":"A"})"), 400);
  EXPECT_EQ(post(R"({"kind":"discovery","name":"A","template":99})"), 400);
  EXPECT_EQ(post(R"({"kind":"discovery","name":"A","template":"nonsense"})"), 400);
  EXPECT_EQ(post(R"({"kind":"backlog","name":"A","template":"retro"})"), 400);
  EXPECT_EQ(post(R"({"kind":"discovery","name":""})"), 400);
  EXPECT_EQ(post("not json"), 400);
  server->shutdown();
  server.reset();
  {
    std::unique_ptr<storage::Store> store;
    ASSERT_TRUE(storage::Store::open(dir.path() / "db", &store).ok());
    EXPECT_EQ(store->count_keys(storage::Cf::kBoards), 0u);  // nothing was created
  }
  start();
  auto ok = http_request(port, "POST", "/api/boards", R"({"kind":"discovery","name":"A","template":"retro","title":"Retro"})");
  EXPECT_EQ(ok.status, 201);
  EXPECT_EQ(json_field(ok.body, "title"), "Retro");
  EXPECT_EQ(json_field(ok.body, "role"), "owner");
}

TEST_F(AccessTest, CreatingBoardsCanNeedTheAdminToken) {  // API-1
  cfg.create_boards = CreatePolicy::kAdmin;
  restart();
  EXPECT_EQ(http_request(port, "POST", "/api/boards", R"({"kind":"discovery","name":"A"})").status, 403);
  Authorizer auth([&] {
    access::Secret s;
    bool created = false;
    EXPECT_TRUE(access::load_or_create_secret(dir.path(), &s, &created).ok());
    return s;
  }(), CreatePolicy::kAdmin);
  EXPECT_EQ(http_request(port, "POST", "/api/boards", R"({"kind":"discovery","name":"A"})", auth.admin_token()).status, 201);
}

TEST_F(AccessTest, PresencePastItsLimitsIsRefusedAndNeverForwarded) {  // PRES-3
  NewBoard b = board();
  TestClient a(port), o(port);
  a.join(b.id, "client-a", 0, b.member_token);
  o.join(b.id, "client-o", 0, b.member_token);
  v1::ClientMessage big;
  for (int i = 0; i < 60000; ++i) big.mutable_presence()->add_selection("note-" + std::to_string(i));
  a.send(big);
  auto e = a.wait_kind(Kind::kError);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->error().code(), v1::ERROR_CODE_BAD_PRESENCE);
  // A small one after it (resent until one passes the per-connection rate limit):
  // the first presence the other member gets is the small one.
  v1::ClientMessage small;
  small.mutable_presence()->add_selection("n1");
  std::optional<v1::ServerMessage> p;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!p && std::chrono::steady_clock::now() < deadline) {
    a.send(small);
    while (auto m = o.next(20ms))
      if (m->has_presence() && m->presence().has_presence()) {
        p = m;
        break;
      }
  }
  ASSERT_TRUE(p);
  EXPECT_EQ(p->presence().presence().selection_size(), 1);
}

TEST_F(AccessTest, RolesTableHoldsForEveryAction) {  // ROLE-1..8
  NewBoard b = board();
  NewBoard backlog = board("backlog");
  const std::vector<std::string> roles = {"viewer", "editor", "facilitator", "owner"};
  std::map<std::string, std::string> tokens;
  for (const auto& r : roles) tokens[r] = r == "owner" ? b.member_token : member(b, r, "as " + r);
  std::string backlog_editor = member(backlog, "editor", "po");
  for (std::size_t i = 0; i < roles.size(); ++i) {
    const std::string& role = roles[i];
    SCOPED_TRACE(role);
    TestClient c(port);
    c.join(b.id, "client-" + role, 0, tokens[role]);
    const std::string note = "note-" + role;
    // ROLE-2: objects
    auto create = answer(c, 1, create_note(note, "x"));
    EXPECT_EQ(create.has_ack(), role != "viewer");
    // ROLE-3: board settings
    v1::Op title;
    title.mutable_update_board()->set_title("renamed by " + role);
    auto settings = answer(c, 2, title);
    EXPECT_EQ(settings.has_ack(), role == "facilitator" || role == "owner");
    if (settings.has_reject()) {
      EXPECT_EQ(settings.reject().code(), v1::REJECT_CODE_NOT_ALLOWED);
    }
    // ROLE-4: promote, with and without edit rights on the backlog
    if (role != "viewer") {
      auto without = answer(c, 3, promote(note, backlog.id, "item-a-" + role, ""));
      ASSERT_TRUE(without.has_reject());
      EXPECT_EQ(without.reject().code(), v1::REJECT_CODE_NOT_ALLOWED);
      EXPECT_TRUE(answer(c, 4, promote(note, backlog.id, "item-" + role, backlog_editor)).has_ack());
    } else {
      EXPECT_TRUE(answer(c, 3, promote("note-owner", backlog.id, "item-v", backlog_editor)).has_reject());
    }
    // ROLE-8: the workshop (FAC-1), each facilitation op
    std::vector<v1::Op> workshop(10);
    workshop[0].mutable_set_agenda()->add_phases()->set_id("p-" + role);
    workshop[1].mutable_set_phase()->set_phase_id("");
    workshop[2].mutable_timer()->set_action(v1::TIMER_ACTION_START);
    workshop[2].mutable_timer()->set_duration_ms(60000);
    workshop[3].mutable_set_private_writing()->set_on(false);
    workshop[4].mutable_show_names()->set_on(false);
    workshop[5].mutable_open_voting()->set_id("s-" + role);
    workshop[5].mutable_open_voting()->set_votes_per_person(1);
    workshop[5].mutable_open_voting()->set_max_per_object(1);
    workshop[6].mutable_close_voting();
    workshop[7].mutable_set_lock()->set_locked(false);
    workshop[8].mutable_set_follow()->set_on(false);
    workshop[9].mutable_set_options()->set_dot_votes(true);
    const bool facilitates = role == "facilitator" || role == "owner";
    for (std::size_t k = 0; k < workshop.size(); ++k) {
      auto a = answer(c, 10 + k, workshop[k]);
      EXPECT_EQ(a.has_ack(), facilitates) << "op " << k;
      if (a.has_reject()) {
        EXPECT_EQ(a.reject().code(), v1::REJECT_CODE_NOT_ALLOWED) << "op " << k;
      }
    }
    // ROLE-2: readiness, for themselves
    v1::Op ready;
    ready.mutable_set_ready()->set_ready(true);
    EXPECT_EQ(answer(c, 30, ready).has_ack(), role != "viewer");
    // derived ops are the server's, whoever sends them (FAC-1)
    if (role != "viewer") {
      v1::Op derived;
      derived.mutable_turnout()->set_member_id("m");
      auto d = answer(c, 31, derived);
      ASSERT_TRUE(d.has_reject());
      EXPECT_EQ(d.reject().code(), v1::REJECT_CODE_BAD_OP);
    }
    // ROLE-5, ROLE-6: invites
    auto list = http_request(port, "GET", "/api/boards/" + b.id + "/invites", "", tokens[role]);
    const bool manages = role == "facilitator" || role == "owner";
    EXPECT_EQ(list.status, manages ? 200 : 403);
    // Only owners see owner links (a facilitator could redeem one and become an owner).
    EXPECT_EQ(list.body.find("\"role\":\"owner\"") != std::string::npos, role == "owner") << list.body;
    EXPECT_EQ(list.body.find(b.owner_invite) != std::string::npos, role == "owner");
    int status = 0;
    mint(b.id, tokens[role], "editor", &status);
    EXPECT_EQ(status, manages ? 201 : 403);
    mint(b.id, tokens[role], "owner", &status);
    EXPECT_EQ(status, role == "owner" ? 201 : 403);
  }
  // Nobody below facilitator can revoke; a facilitator cannot revoke an owner link.
  auto list = http_request(port, "GET", "/api/boards/" + b.id + "/invites", "", b.member_token);
  auto owner_nonce = json_field(list.body, "nonce");  // the first: the owner link made with the board
  EXPECT_EQ(http_request(port, "DELETE", "/api/boards/" + b.id + "/invites/" + owner_nonce, "", tokens["editor"]).status, 403);
  EXPECT_EQ(http_request(port, "DELETE", "/api/boards/" + b.id + "/invites/" + owner_nonce, "", tokens["facilitator"]).status, 403);
  // ROLE-7: delete the board
  EXPECT_EQ(http_request(port, "DELETE", "/api/boards/" + b.id, "", tokens["viewer"]).status, 403);
  EXPECT_EQ(http_request(port, "DELETE", "/api/boards/" + b.id, "", tokens["editor"]).status, 403);
  EXPECT_EQ(http_request(port, "DELETE", "/api/boards/" + b.id, "", tokens["facilitator"]).status, 200);
}

TEST_F(AccessTest, LocksStopEditorsButNotFacilitatorsVotesOrReadiness) {  // FAC-7, ROLE-8
  NewBoard b = board();
  const std::string ed = member(b, "editor", "Ed"), fa = member(b, "facilitator", "Fay");
  TestClient o(port), e(port), f(port);
  o.join(b.id, "client-o", 0, b.member_token);
  e.join(b.id, "client-e", 0, ed);
  f.join(b.id, "client-f", 0, fa);
  auto lock = [](const std::string& id, bool on) {
    v1::Op op;
    op.mutable_set_lock()->set_id(id);
    op.mutable_set_lock()->set_locked(on);
    return op;
  };
  v1::Op ready;
  ready.mutable_set_ready()->set_ready(true);
  auto code = [](const v1::ServerMessage& m) { return m.has_reject() ? m.reject().code() : v1::REJECT_CODE_UNSPECIFIED; };
  ASSERT_TRUE(answer(e, 1, create_note("n1", "x")).has_ack());
  ASSERT_TRUE(answer(e, 2, create_note("n2", "y")).has_ack());
  ASSERT_TRUE(answer(f, 1, lock("n1", true)).has_ack());  // one object
  EXPECT_EQ(code(answer(e, 3, update_text("n1", "z"))), v1::REJECT_CODE_BOARD_LOCKED);
  EXPECT_EQ(code(answer(e, 4, move_object("n1", "a0"))), v1::REJECT_CODE_BOARD_LOCKED);
  EXPECT_EQ(code(answer(e, 5, delete_object("n1"))), v1::REJECT_CODE_BOARD_LOCKED);
  EXPECT_TRUE(answer(e, 6, update_text("n2", "z")).has_ack());
  EXPECT_TRUE(answer(e, 7, add_vote("v1", "n1")).has_ack());  // votes go on
  EXPECT_TRUE(answer(f, 2, update_text("n1", "by the facilitator")).has_ack());
  ASSERT_TRUE(answer(o, 1, lock("", true)).has_ack());  // the whole board
  EXPECT_EQ(code(answer(e, 8, create_note("n3", "x"))), v1::REJECT_CODE_BOARD_LOCKED);
  EXPECT_EQ(code(answer(e, 9, update_text("n2", "again"))), v1::REJECT_CODE_BOARD_LOCKED);
  EXPECT_TRUE(answer(e, 10, ready).has_ack());                 // readiness goes on
  EXPECT_TRUE(answer(e, 11, add_vote("v2", "n2")).has_ack());  // and votes
  EXPECT_TRUE(answer(f, 3, create_note("n4", "fac")).has_ack());
  EXPECT_TRUE(answer(o, 2, update_text("n2", "owner")).has_ack());
  ASSERT_TRUE(answer(f, 4, lock("", false)).has_ack());
  EXPECT_TRUE(answer(e, 12, create_note("n3", "x")).has_ack());
  EXPECT_EQ(code(answer(e, 13, update_text("n1", "still locked"))), v1::REJECT_CODE_BOARD_LOCKED);
}

// The sequencer's log replays to the live state: derived ops are in the logged change,
// author_id is there where replay needs it and only there (FAC-9, SEQ-3).
TEST(SequencerLog, LoggedFacilitationChangesReplayToTheLiveState) {
  model::Schema schema;
  Sequencer seq(schema, {}, nullptr);
  v1::BoardMeta meta;
  meta.set_kind(v1::BOARD_KIND_DISCOVERY);
  seq.state().reset(meta);
  const Sender fay{"m-fay", "Fay", "c-fay", v1::ROLE_FACILITATOR};
  const Sender ed{"m-ed", "Ed", "c-ed", v1::ROLE_EDITOR};
  std::vector<v1::SequencedChange> log;
  std::map<std::string, std::uint64_t> cseq;
  auto send = [&](const Sender& s, std::vector<v1::Op> ops) {
    v1::Change c;
    c.set_client_seq(++cseq[s.client_id]);
    for (auto& op : ops) *c.add_ops() = op;
    auto a = seq.submit(s, c, 1767225600000 + static_cast<std::int64_t>(log.size()) * 1000);
    EXPECT_EQ(a.kind, Sequencer::Answer::Kind::kApplied) << a.message;
    v1::SequencedChange sc;
    EXPECT_TRUE(sc.ParseFromString(a.change));
    log.push_back(sc);
    return sc;
  };
  v1::Op op;
  op.mutable_set_private_writing()->set_on(true);
  EXPECT_TRUE(send(fay, {op}).author_id().empty());
  auto c1 = send(ed, {create_note("n1", "private")});
  EXPECT_EQ(c1.author_id(), "m-ed");
  ASSERT_EQ(c1.ops_size(), 2);
  EXPECT_EQ(c1.ops(1).private_count().count(), 1u);
  EXPECT_TRUE(send(ed, {update_text("n1", "edit")}).author_id().empty());  // plain edits stay small
  op.mutable_set_private_writing()->set_on(false);
  auto reveal = send(fay, {op});
  ASSERT_EQ(reveal.ops_size(), 2);
  EXPECT_TRUE(reveal.ops(1).has_revealed());
  auto plain = send(ed, {create_note("n2", "public")});
  EXPECT_TRUE(plain.author_id().empty());
  EXPECT_EQ(plain.ops_size(), 1);
  v1::Op ready;
  ready.mutable_set_ready()->set_ready(true);
  EXPECT_EQ(send(ed, {ready}).author_id(), "m-ed");
  v1::Op open;
  open.mutable_open_voting()->set_id("s1");
  open.mutable_open_voting()->set_votes_per_person(2);
  open.mutable_open_voting()->set_max_per_object(1);
  send(fay, {open});
  auto v = send(ed, {add_vote("v1", "n1")});
  EXPECT_EQ(v.author_id(), "m-ed");
  EXPECT_TRUE(v.ops(1).has_turnout());
  {  // over the budget: rejected, takes no seq
    v1::Change c;
    c.set_client_seq(++cseq["c-ed"]);
    *c.add_ops() = add_vote("v2", "n1");
    auto a = seq.submit(ed, c, 1);
    EXPECT_EQ(a.code, v1::REJECT_CODE_OVER_BUDGET);
  }
  v1::Op close;
  close.mutable_close_voting();
  EXPECT_TRUE(send(fay, {close}).ops(1).has_voting_result());
  model::Schema s2;
  model::BoardState replica(s2);
  replica.reset(meta);
  for (const auto& sc : log) {
    auto r = replica.replay(sc);
    ASSERT_FALSE(r) << sc.seq() << ": " << r->message;
  }
  EXPECT_EQ(replica.snapshot().SerializeAsString(), seq.state().snapshot().SerializeAsString());
  EXPECT_EQ(replica.facilitation().results(0).tallies(0).voters(0), "Ed");
}

TEST_F(AccessTest, ARevokedInviteShutsOutItsMembersForGood) {  // AUTH-4, API-4
  NewBoard b = board();
  std::string link = mint(b.id, b.member_token, "editor");
  std::string ed = redeem(b.id, link, "Ed");
  ASSERT_FALSE(ed.empty());
  TestClient e(port);
  e.join(b.id, "client-e", 0, ed);
  auto list = http_request(port, "GET", "/api/boards/" + b.id + "/invites", "", b.member_token);
  auto pos = list.body.find(link);
  ASSERT_NE(pos, std::string::npos);
  auto nonce_at = list.body.rfind("\"nonce\":\"", pos);
  std::string nonce = list.body.substr(nonce_at + 9, list.body.find('"', nonce_at + 9) - nonce_at - 9);
  EXPECT_EQ(http_request(port, "DELETE", "/api/boards/" + b.id + "/invites/" + nonce, "", b.member_token).status, 200);
  EXPECT_EQ(e.wait_closed(), 4006);  // the connected member is out at once
  EXPECT_TRUE(redeem(b.id, link, "Eve").empty());
  restart();
  expect_refused(b.id, ed, "a member of a revoked invite after a restart");
  EXPECT_TRUE(redeem(b.id, link, "Eve").empty());
  EXPECT_EQ(http_request(port, "GET", "/api/boards/" + b.id, "", ed).status, 401);
  TestClient o(port);
  EXPECT_EQ(o.join(b.id, "client-o", 0, b.member_token).role(), v1::ROLE_OWNER);
}

TEST_F(AccessTest, ADeletedBoardClosesItsMembersAndRefusesItsTokens) {  // API-5
  NewBoard b = board();
  TestClient o(port);
  o.join(b.id, "client-o", 0, b.member_token);
  ASSERT_TRUE(answer(o, 1, create_note("n1", "x")).has_ack());
  EXPECT_EQ(http_request(port, "DELETE", "/api/boards/" + b.id, "", b.member_token).status, 200);
  EXPECT_EQ(o.wait_closed(), 4005);
  expect_refused(b.id, b.member_token, "a token of a deleted board");
  EXPECT_TRUE(redeem(b.id, b.owner_invite, "Late").empty());
  restart();
  expect_refused(b.id, b.member_token, "a token of a deleted board after a restart");
}

TEST_F(AccessTest, APromoteByARevokedBacklogMemberIsRefusedByTheBacklog) {  // ROLE-4, AUTH-4
  NewBoard d = board();
  NewBoard backlog = board("backlog");
  std::string link = mint(backlog.id, backlog.member_token, "editor");
  std::string po = redeem(backlog.id, link, "Former PO");
  ASSERT_FALSE(po.empty());
  auto list = http_request(port, "GET", "/api/boards/" + backlog.id + "/invites", "", backlog.member_token);
  auto at = list.body.rfind("\"nonce\":\"", list.body.find(link));
  std::string nonce = list.body.substr(at + 9, list.body.find('"', at + 9) - at - 9);
  ASSERT_EQ(http_request(port, "DELETE", "/api/boards/" + backlog.id + "/invites/" + nonce, "", backlog.member_token).status, 200);
  TestClient c(port);
  c.join(d.id, "client-d", 0, d.member_token);
  ASSERT_TRUE(answer(c, 1, create_note("n1", "idea")).has_ack());
  ASSERT_TRUE(answer(c, 2, promote("n1", backlog.id, "item-1", po)).has_ack());  // signed and an editor's
  // The backlog knows the link was revoked: the note is freed with an error (PROMOTE-4).
  auto done = c.wait_for([](const v1::ServerMessage& m) {
    return m.has_change() && m.change().ops_size() && m.change().ops(0).has_promote_done();
  });
  ASSERT_TRUE(done);
  EXPECT_FALSE(done->change().ops(0).promote_done().ok());
  EXPECT_NE(done->change().ops(0).promote_done().error().find("no longer"), std::string::npos);
  TestClient b(port);
  auto w = b.join(backlog.id, "client-b", 0, backlog.member_token);
  for (const auto& o : w.snapshot().objects()) EXPECT_NE(o.id(), "item-1");
}

TEST_F(AccessTest, BoardsOpenedForTheApiCloseWhenIdle) {  // LIFE-1
  NewBoard b = board();
  EXPECT_EQ(http_request(port, "GET", "/api/boards/" + b.id, "", b.member_token).status, 200);
  mint(b.id, b.member_token, "viewer");
  EXPECT_TRUE(metric_reaches(port, "boards_open", 0));
}

TEST_F(AccessTest, AnExpiredInviteCannotBeRedeemed) {  // AUTH-5
  NewBoard b = board();
  auto r = http_request(port, "POST", "/api/boards/" + b.id + "/invites", R"({"role":"viewer","expires_in_s":1})",
                        b.member_token);
  ASSERT_EQ(r.status, 201);
  std::string link = json_field(r.body, "token");
  std::string early = redeem(b.id, link, "Early");
  EXPECT_FALSE(early.empty());
  // Wait for the expiry on the server's clock (a deadline, not a sleep as synchronization).
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  std::string late = "pending";
  while (!late.empty() && std::chrono::steady_clock::now() < deadline) late = redeem(b.id, link, "Late");
  EXPECT_TRUE(late.empty());
  TestClient c(port);
  EXPECT_EQ(c.join(b.id, "client-e", 0, early).role(), v1::ROLE_VIEWER);  // members stay members
}

TEST_F(AccessTest, AnOwnerLinkMintedOutsideTheApiIsRecordedWhenFirstUsed) {  // docs/SECURITY.md
  // What `tandem owner-link BOARD` prints: an owner invite signed with the data
  // folder's secret, which the board has never seen (a board from before invites).
  ASSERT_TRUE(server->create_board("old-board", board_meta(), "someone"));
  access::Secret secret;
  bool created = false;
  ASSERT_TRUE(access::load_or_create_secret(dir.path(), &secret, &created).ok());
  EXPECT_FALSE(created);
  v1::TokenClaims c;
  c.set_kind(v1::TOKEN_KIND_INVITE);
  c.set_board_id("old-board");
  c.set_role(v1::ROLE_OWNER);
  c.set_nonce("cli-nonce");
  c.set_issued_ms(1);
  const std::string link = access::TokenCodec(secret).sign(c);
  std::string owner = redeem("old-board", link, "Returning owner");
  ASSERT_FALSE(owner.empty());
  auto list = http_request(port, "GET", "/api/boards/old-board/invites", "", owner);
  EXPECT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("\"created_by\":\"owner-link\""), std::string::npos) << list.body;
  EXPECT_NE(list.body.find(link), std::string::npos);  // listed with the same token
  // Once recorded it can be revoked like any other link.
  EXPECT_EQ(http_request(port, "DELETE", "/api/boards/old-board/invites/cli-nonce", "", owner).status, 200);
  EXPECT_TRUE(redeem("old-board", link, "Again").empty());
  expect_refused("old-board", owner, "a member of the revoked owner link");
}

}  // namespace
}  // namespace tandem
