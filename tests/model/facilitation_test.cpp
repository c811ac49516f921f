// Facilitation in the board model (protocol/SPEC.md FAC-1..FAC-9, MODEL-4, MODEL-5).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/board_state.hpp"
#include "model/facilitation.hpp"
#include "support/ops.hpp"

namespace tandem::model {
namespace {

using namespace tandem::testing;

constexpr std::int64_t kT0 = 1767225600000;

struct Who {
  std::string member, name;
};
const Who kFac{"m-fac", "Fay"};
const Who kAlice{"m-alice", "Alice"};
const Who kBob{"m-bob", "Bob"};

v1::Value text_v(const std::string& s) {
  v1::Value v;
  v.set_text(s);
  return v;
}

// A note of `text` only (no position), in group `parent` when given.
v1::Op note(const std::string& id, const std::string& text = "t", const std::string& parent = "") {
  v1::Op op = create_object(id, v1::OBJECT_TYPE_NOTE, {text_field("text", text)});
  if (!parent.empty()) *op.mutable_create()->add_fields() = text_field("parent", parent);
  return op;
}
v1::Op group(const std::string& id) { return create_object(id, v1::OBJECT_TYPE_GROUP, {}); }
v1::Op comment(const std::string& id, const std::string& target) { return comment_on(id, target, "c"); }
// A session titled "Vote <id>".
v1::Op open_voting(const std::string& id, std::uint32_t per_person, std::uint32_t per_object,
                   const std::vector<std::string>& scope = {}, bool anonymous = false) {
  return tandem::testing::open_voting(id, "Vote " + id, per_person, per_object, scope, anonymous);
}

bool has_flag(const Object* o, const char* name) {
  const v1::Value* v = o ? o->get(name) : nullptr;
  return v && v->flag();
}

// A board driven the way the sequencer drives it: apply_live, and every accepted
// change logged as a SequencedChange; replica() replays the log.
class FacTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::BoardMeta m;
    m.set_id("b");
    m.set_title("Workshop");
    m.set_kind(v1::BOARD_KIND_DISCOVERY);
    state.reset(m);
    meta = m;
  }

  std::optional<Rejection> as(const Who& who, std::vector<v1::Op> list) {
    google::protobuf::RepeatedPtrField<v1::Op> ops(list.begin(), list.end());
    v1::SequencedChange sc;
    sc.set_seq(state.seq() + 1);
    sc.set_author(who.name);
    sc.set_author_id(who.member);  // tests log it on every change; needs_author_id() is tested apart
    sc.set_client_id("c-" + who.member);
    sc.set_server_time_ms(now);
    ApplyContext ctx{sc.seq(), who.name, now, false, who.member, sc.client_id()};
    auto r = state.apply_live(&ops, ctx);
    if (!r) {
      *sc.mutable_ops() = ops;
      log.push_back(sc);
      last = sc;
    }
    return r;
  }
  void ok(const Who& who, std::vector<v1::Op> list) {
    auto r = as(who, std::move(list));
    ASSERT_FALSE(r) << r->message;
  }
  void refused(const Who& who, std::vector<v1::Op> list, v1::RejectCode code) {
    const std::string before = state.snapshot().SerializeAsString();
    auto r = as(who, std::move(list));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->code, code) << r->message;
    EXPECT_EQ(state.snapshot().SerializeAsString(), before) << "a refused change changed the state";
  }
  const v1::Facilitation& fac() const { return state.facilitation(); }
  std::vector<v1::Op::KindCase> kinds() const {
    std::vector<v1::Op::KindCase> k;
    for (const auto& op : last.ops()) k.push_back(op.kind_case());
    return k;
  }
  // Replays the log into a fresh board: it must equal the live state.
  void expect_replay_equal() {
    Schema s2;
    BoardState r(s2);
    r.reset(meta);
    for (const auto& sc : log) {
      auto rej = r.replay(sc);
      ASSERT_FALSE(rej) << "seq " << sc.seq() << ": " << rej->message;
    }
    EXPECT_EQ(r.snapshot().SerializeAsString(), state.snapshot().SerializeAsString());
    Schema s3;
    BoardState loaded(s3);
    loaded.load(state.snapshot());
    EXPECT_EQ(loaded.snapshot().SerializeAsString(), state.snapshot().SerializeAsString());
    EXPECT_EQ(loaded.facilitation().SerializeAsString(), state.facilitation().SerializeAsString());
  }

  Schema schema;
  BoardState state{schema};
  v1::BoardMeta meta;
  std::vector<v1::SequencedChange> log;
  v1::SequencedChange last;
  std::int64_t now = kT0;
};

TEST_F(FacTest, AgendaAndPhaseRules) {  // FAC-2
  ok(kFac, {set_agenda({{"write", "Write", false}, {"vote", "Vote", true}})});
  ASSERT_EQ(fac().agenda_size(), 2);
  refused(kFac, {set_agenda({{"a", "A", false}, {"a", "B", false}})}, v1::REJECT_CODE_BAD_FIELD);
  refused(kFac, {set_agenda({{"bad id", "A", false}})}, v1::REJECT_CODE_BAD_FIELD);
  refused(kFac, {set_agenda({{"a", std::string(201, 'x'), false}})}, v1::REJECT_CODE_TOO_LONG);
  std::vector<Phase> many;
  for (int i = 0; i < 51; ++i) many.emplace_back("p" + std::to_string(i), "P", false);
  refused(kFac, {set_agenda(many)}, v1::REJECT_CODE_BAD_FIELD);
  refused(kFac, {set_phase("nope")}, v1::REJECT_CODE_UNKNOWN_OBJECT);
  ok(kFac, {set_phase("write")});
  EXPECT_EQ(fac().phase_id(), "write");
  ok(kFac, {set_agenda({{"write", "Write again", false}})});  // the current phase stays
  EXPECT_EQ(fac().phase_id(), "write");
  ok(kFac, {set_agenda({{"other", "Other", false}})});  // ... unless it is gone
  EXPECT_EQ(fac().phase_id(), "");
  ok(kFac, {set_phase("")});
  expect_replay_equal();
}

TEST_F(FacTest, ReadinessIsPerMemberSortedAndResetBySetPhase) {  // FAC-2
  ok(kFac, {set_agenda({{"p1", "One", false}, {"p2", "Two", false}}), set_phase("p1")});
  ok(kBob, {set_ready(true)});
  ok(kAlice, {set_ready(true)});
  ok(kAlice, {set_ready(true)});  // twice: once listed
  ASSERT_EQ(fac().ready_size(), 2);
  EXPECT_EQ(fac().ready(0).member_id(), "m-alice");
  EXPECT_EQ(fac().ready(0).name(), "Alice");
  EXPECT_EQ(fac().ready(1).member_id(), "m-bob");
  ok(kBob, {set_ready(false)});
  ASSERT_EQ(fac().ready_size(), 1);
  ok(kBob, {set_ready(true)});
  ok(kFac, {show_names(true)});
  EXPECT_TRUE(fac().names_shown());
  ok(kFac, {set_phase("p2")});
  EXPECT_EQ(fac().ready_size(), 0);
  EXPECT_FALSE(fac().names_shown());
  expect_replay_equal();
}

TEST_F(FacTest, TimerArithmeticOnTheChangesTime) {  // FAC-3
  refused(kFac, {timer_op(v1::TIMER_ACTION_START, 999)}, v1::REJECT_CODE_BAD_FIELD);
  refused(kFac, {timer_op(v1::TIMER_ACTION_START, 24LL * 3600 * 1000 + 1)}, v1::REJECT_CODE_BAD_FIELD);
  refused(kFac, {timer_op(v1::TIMER_ACTION_UNSPECIFIED)}, v1::REJECT_CODE_BAD_OP);
  ok(kFac, {timer_op(v1::TIMER_ACTION_PAUSE)});  // pause of a stopped timer: nothing
  EXPECT_FALSE(fac().has_timer());
  ok(kFac, {timer_op(v1::TIMER_ACTION_START, 300000)});
  EXPECT_TRUE(fac().timer().running());
  EXPECT_EQ(fac().timer().ends_at_ms(), kT0 + 300000);
  EXPECT_EQ(fac().timer().duration_ms(), 300000);
  now = kT0 + 100000;
  ok(kFac, {timer_op(v1::TIMER_ACTION_RESUME)});  // resume of a running one: nothing
  EXPECT_EQ(fac().timer().ends_at_ms(), kT0 + 300000);
  ok(kFac, {timer_op(v1::TIMER_ACTION_PAUSE)});
  EXPECT_FALSE(fac().timer().running());
  EXPECT_EQ(fac().timer().remaining_ms(), 200000);
  EXPECT_EQ(fac().timer().ends_at_ms(), 0);
  now = kT0 + 500000;  // paused: time passes, nothing is lost
  ok(kFac, {timer_op(v1::TIMER_ACTION_ADD, 60000)});
  EXPECT_EQ(fac().timer().remaining_ms(), 260000);
  EXPECT_EQ(fac().timer().duration_ms(), 360000);
  ok(kFac, {timer_op(v1::TIMER_ACTION_RESUME)});
  EXPECT_TRUE(fac().timer().running());
  EXPECT_EQ(fac().timer().ends_at_ms(), kT0 + 500000 + 260000);
  now = kT0 + 700000;  // 60 s left
  ok(kFac, {timer_op(v1::TIMER_ACTION_ADD, -90000)});  // never below 0
  EXPECT_EQ(fac().timer().ends_at_ms(), kT0 + 700000);
  EXPECT_EQ(fac().timer().duration_ms(), 270000);
  ok(kFac, {timer_op(v1::TIMER_ACTION_ADD, 30000)});
  EXPECT_EQ(fac().timer().ends_at_ms(), kT0 + 730000);
  now = kT0 + 800000;  // past the end while running
  ok(kFac, {timer_op(v1::TIMER_ACTION_PAUSE)});
  EXPECT_EQ(fac().timer().remaining_ms(), 0);
  ok(kFac, {timer_op(v1::TIMER_ACTION_RESET)});
  EXPECT_FALSE(fac().timer().running());
  EXPECT_EQ(fac().timer().remaining_ms(), 300000);
  expect_replay_equal();
}

TEST_F(FacTest, PrivateWritingStampsCountsAndReveals) {  // FAC-4, FAC-9
  ok(kAlice, {note("pub")});
  ok(kFac, {private_writing(true)});
  ok(kAlice, {note("a1"), note("a2")});
  const Object* a1 = state.find("a1");
  EXPECT_EQ(a1->text("private_to"), "m-alice");
  EXPECT_FALSE(has_flag(a1, "private_author_only"));
  // the change carries the count, derived and appended
  ASSERT_EQ(kinds(), (std::vector<v1::Op::KindCase>{v1::Op::kCreate, v1::Op::kCreate, v1::Op::kPrivateCount}));
  EXPECT_EQ(last.ops(2).private_count().member_id(), "m-alice");
  EXPECT_EQ(last.ops(2).private_count().name(), "Alice");
  EXPECT_EQ(last.ops(2).private_count().count(), 2u);
  ok(kBob, {note("b1")});
  ASSERT_EQ(fac().private_counts_size(), 2);
  EXPECT_EQ(fac().private_counts(1).member_id(), "m-bob");
  // references to a private object: the author's only, and private too
  refused(kBob, {comment("k0", "a1")}, v1::REJECT_CODE_NOT_ALLOWED);
  ok(kAlice, {comment("k1", "a1")});
  EXPECT_EQ(state.find("k1")->text("private_to"), "m-alice");
  refused(kBob, {add_vote("v0", "a1")}, v1::REJECT_CODE_NOT_VOTABLE);
  refused(kAlice, {add_vote("v0", "a1")}, v1::REJECT_CODE_NOT_VOTABLE);
  ok(kAlice, {add_vote("v1", "pub")});  // votes are never private
  EXPECT_EQ(state.find("v1")->text("private_to"), "");
  // a delete: the count drops, the tombstone keeps who may see it (MODEL-4)
  ok(kAlice, {delete_object("a2")});
  ASSERT_EQ(kinds(), (std::vector<v1::Op::KindCase>{v1::Op::kDelete, v1::Op::kPrivateCount}));
  EXPECT_EQ(last.ops(1).private_count().count(), 2u);  // a1 and k1
  EXPECT_TRUE(state.find("a2")->deleted);
  EXPECT_EQ(state.find("a2")->text("private_to"), "m-alice");
  EXPECT_EQ(state.find("a2")->get("text"), nullptr);
  // author alone
  ok(kFac, {private_writing(true, v1::PRIVATE_AUDIENCE_AUTHOR)});
  ok(kBob, {note("b2")});
  EXPECT_TRUE(has_flag(state.find("b2"), "private_author_only"));
  // off: one Revealed with every private object, live and tombstones, private_* cleared
  ok(kFac, {private_writing(false)});
  ASSERT_EQ(kinds(), (std::vector<v1::Op::KindCase>{v1::Op::kSetPrivateWriting, v1::Op::kRevealed}));
  const v1::Revealed& rev = last.ops(1).revealed();
  std::vector<std::string> ids;
  for (const auto& o : rev.objects()) {
    ids.push_back(o.id());
    for (const auto& f : o.fields()) EXPECT_NE(f.name().rfind("private_", 0), 0u) << o.id() << " " << f.name();
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"a1", "a2", "b1", "b2", "k1"}));
  EXPECT_TRUE(rev.objects(1).deleted());
  EXPECT_EQ(fac().private_counts_size(), 0);
  for (const char* id : {"a1", "a2", "b1", "b2", "k1"}) EXPECT_EQ(state.find(id)->text("private_to"), "") << id;
  EXPECT_FALSE(has_flag(state.find("b2"), "private_author_only"));
  ok(kBob, {comment("k2", "a1")});  // public now
  ok(kAlice, {note("late")});
  EXPECT_EQ(state.find("late")->text("private_to"), "");
  ASSERT_EQ(kinds(), (std::vector<v1::Op::KindCase>{v1::Op::kCreate}));  // no derived op on plain edits
  expect_replay_equal();
}

TEST_F(FacTest, PrivateLinksCannotCrossMembers) {  // FAC-4
  ok(kAlice, {group("pubg")});
  ok(kFac, {private_writing(true)});
  ok(kAlice, {group("ga")});
  ok(kBob, {note("nb")});
  refused(kBob, {note("nb2", "x", "ga")}, v1::REJECT_CODE_NOT_ALLOWED);  // parent is Alice's
  v1::Op mv;
  mv.mutable_move()->set_id("nb");
  mv.mutable_move()->set_order("a0");
  mv.mutable_move()->set_parent("ga");
  refused(kBob, {mv}, v1::REJECT_CODE_NOT_ALLOWED);
  ok(kAlice, {note("na", "x", "ga")});
  EXPECT_EQ(state.find("na")->text("private_to"), "m-alice");
  ok(kFac, {private_writing(false)});
  ok(kAlice, {note("after", "x", "ga")});  // revealed: anyone may refer to it
  EXPECT_EQ(state.find("after")->text("private_to"), "");
  expect_replay_equal();
}

TEST_F(FacTest, AnonymousPhaseAndShowNames) {  // FAC-5
  ok(kFac, {set_agenda({{"named", "Named", false}, {"anon", "Anon", true}}), set_phase("named")});
  ok(kAlice, {note("n0")});
  EXPECT_FALSE(has_flag(state.find("n0"), "anonymous"));
  ok(kFac, {set_phase("anon")});
  ok(kAlice, {note("n1"), comment("k1", "n0"), add_vote("v1", "n0")});
  ok(kBob, {note("n2"), group("g1")});
  for (const char* id : {"n1", "k1", "v1", "n2", "g1"}) EXPECT_TRUE(has_flag(state.find(id), "anonymous")) << id;
  ok(kAlice, {delete_object("n1")});
  EXPECT_TRUE(has_flag(state.find("n1"), "anonymous"));  // tombstones keep it
  ok(kFac, {show_names(true)});
  ASSERT_EQ(kinds(), (std::vector<v1::Op::KindCase>{v1::Op::kShowNames, v1::Op::kAuthors}));
  const auto& a = last.ops(1).authors();
  ASSERT_EQ(a.authors_size(), 3);  // live ones with an author: k1, n2, v1 (g1 has no author field)
  EXPECT_EQ(a.authors(0).id(), "k1");
  EXPECT_EQ(a.authors(0).author(), "Alice");
  EXPECT_EQ(a.authors(1).id(), "n2");
  EXPECT_EQ(a.authors(1).author(), "Bob");
  EXPECT_EQ(a.authors(2).id(), "v1");
  EXPECT_EQ(a.authors(2).author(), "m-alice");
  EXPECT_TRUE(fac().names_shown());
  ok(kFac, {show_names(false)});
  ASSERT_EQ(kinds(), (std::vector<v1::Op::KindCase>{v1::Op::kShowNames}));
  expect_replay_equal();
}

TEST_F(FacTest, VotingSessionBudgetScopeTurnoutAndResult) {  // FAC-6
  ok(kAlice, {note("n1"), note("n2"), note("n3"), group("g1")});
  refused(kFac, {open_voting("s1", 3, 4)}, v1::REJECT_CODE_BAD_FIELD);
  refused(kFac, {open_voting("s1", 101, 1)}, v1::REJECT_CODE_BAD_FIELD);
  refused(kFac, {open_voting("s1", 3, 0)}, v1::REJECT_CODE_BAD_FIELD);
  refused(kFac, {open_voting("s1", 3, 2, {"nope"})}, v1::REJECT_CODE_UNKNOWN_OBJECT);
  refused(kFac, {close_voting()}, v1::REJECT_CODE_NOT_ALLOWED);
  ok(kAlice, {add_vote("dot", "n3")});  // a plain dot vote before the session
  now = kT0 + 5000;
  ok(kFac, {open_voting("s1", 3, 2, {"n1", "n2", "g1"})});
  EXPECT_EQ(fac().voting().opened_ms(), kT0 + 5000);
  refused(kFac, {open_voting("s2", 3, 2)}, v1::REJECT_CODE_NOT_ALLOWED);  // one at a time
  refused(kAlice, {add_vote("v0", "n3")}, v1::REJECT_CODE_NOT_VOTABLE);       // out of scope
  ok(kAlice, {add_vote("va1", "n1"), add_vote("va2", "n1")});
  EXPECT_EQ(state.find("va1")->text("session"), "s1");
  ASSERT_EQ(kinds(), (std::vector<v1::Op::KindCase>{v1::Op::kAddVote, v1::Op::kAddVote, v1::Op::kTurnout}));
  EXPECT_EQ(last.ops(2).turnout().used(), 2u);
  EXPECT_EQ(last.ops(2).turnout().name(), "Alice");
  refused(kAlice, {add_vote("va3", "n1")}, v1::REJECT_CODE_OVER_BUDGET);  // max 2 on one object
  ok(kAlice, {add_vote("va3", "n2")});
  refused(kAlice, {add_vote("va4", "g1")}, v1::REJECT_CODE_OVER_BUDGET);  // 3 per person
  // all or nothing: a second vote past the budget undoes the first, and the turnout
  refused(kBob, {add_vote("vb1", "n2"), add_vote("vb2", "n2"), add_vote("vb3", "n2")}, v1::REJECT_CODE_OVER_BUDGET);
  EXPECT_EQ(state.find("vb1"), nullptr);
  ok(kBob, {add_vote("vb1", "n2"), add_vote("vb2", "g1")});
  ok(kBob, {remove_vote("vb2")});
  ASSERT_EQ(kinds(), (std::vector<v1::Op::KindCase>{v1::Op::kRemoveVote, v1::Op::kTurnout}));
  EXPECT_EQ(last.ops(1).turnout().used(), 1u);
  ASSERT_EQ(fac().turnout_size(), 2);
  EXPECT_EQ(fac().turnout(0).member_id(), "m-alice");
  EXPECT_EQ(fac().turnout(0).used(), 3u);
  ok(kAlice, {remove_vote("dot")});  // not a session vote: no turnout
  ASSERT_EQ(kinds(), (std::vector<v1::Op::KindCase>{v1::Op::kRemoveVote}));
  now = kT0 + 9000;
  ok(kFac, {close_voting()});
  ASSERT_EQ(kinds(), (std::vector<v1::Op::KindCase>{v1::Op::kCloseVoting, v1::Op::kVotingResult}));
  const v1::VotingResult& r = last.ops(1).voting_result();
  EXPECT_EQ(r.id(), "s1");
  EXPECT_EQ(r.closed_ms(), kT0 + 9000);
  EXPECT_EQ(r.voters(), 2u);
  ASSERT_EQ(r.tallies_size(), 2);  // n1: 2, n2: 2 (by id on a tie); g1 left out (0)
  EXPECT_EQ(r.tallies(0).target(), "n1");
  EXPECT_EQ(r.tallies(0).count(), 2u);
  ASSERT_EQ(r.tallies(0).voters_size(), 1);
  EXPECT_EQ(r.tallies(0).voters(0), "Alice");
  EXPECT_EQ(r.tallies(1).target(), "n2");
  ASSERT_EQ(r.tallies(1).voters_size(), 2);
  EXPECT_EQ(r.tallies(1).voters(0), "Alice");
  EXPECT_EQ(r.tallies(1).voters(1), "Bob");
  EXPECT_FALSE(fac().has_voting());
  EXPECT_EQ(fac().turnout_size(), 0);
  ASSERT_EQ(fac().results_size(), 1);
  EXPECT_EQ(fac().results(0).SerializeAsString(), r.SerializeAsString());
  EXPECT_EQ(state.find("va1")->text("session"), "s1");  // the votes stay
  refused(kFac, {open_voting("s1", 1, 1)}, v1::REJECT_CODE_DUPLICATE_ID);  // ids are new on the board
  // anonymous session: no names; most first
  ok(kFac, {open_voting("s2", 2, 2, {}, true)});
  ok(kBob, {add_vote("w1", "n3"), add_vote("w2", "n3")});
  ok(kAlice, {add_vote("w3", "n1")});
  ok(kFac, {close_voting()});
  const v1::VotingResult& r2 = last.ops(1).voting_result();
  ASSERT_EQ(r2.tallies_size(), 2);
  EXPECT_EQ(r2.tallies(0).target(), "n3");
  EXPECT_EQ(r2.tallies(0).count(), 2u);
  EXPECT_EQ(r2.tallies(0).voters_size(), 0);
  EXPECT_EQ(fac().results_size(), 2);
  ok(kAlice, {remove_vote("va1")});  // a closed session's vote is still the voter's own
  expect_replay_equal();
}

TEST_F(FacTest, VoteAndCloseInOneChangeNamesTheVoter) {  // FAC-6
  ok(kAlice, {note("n1")});
  ok(kFac, {open_voting("s1", 1, 1)});
  ok(kFac, {add_vote("v1", "n1"), close_voting()});
  const v1::VotingResult& r = last.ops(last.ops_size() - 1).voting_result();
  ASSERT_EQ(r.tallies_size(), 1);
  EXPECT_EQ(r.tallies(0).voters(0), "Fay");
  expect_replay_equal();
}

TEST_F(FacTest, DotVotesOffNeedASession) {  // FAC-6
  ok(kAlice, {note("n1")});
  ok(kFac, {set_dot_votes(false)});
  EXPECT_TRUE(fac().dot_votes_off());
  refused(kAlice, {add_vote("v1", "n1")}, v1::REJECT_CODE_NOT_VOTABLE);
  ok(kFac, {open_voting("s", 1, 1)});
  ok(kAlice, {add_vote("v1", "n1")});
  ok(kFac, {close_voting(), set_dot_votes(true)});
  ok(kAlice, {add_vote("v2", "n1")});
  EXPECT_EQ(state.find("v2")->text("session"), "");
  expect_replay_equal();
}

TEST_F(FacTest, LocksAndFollow) {  // FAC-7, FAC-8
  ok(kAlice, {note("n1")});
  ok(kFac, {set_lock("", true)});
  EXPECT_TRUE(fac().locked());
  ok(kFac, {set_lock("n1", true)});
  EXPECT_TRUE(has_flag(state.find("n1"), "locked"));
  refused(kFac, {set_lock("nope", true)}, v1::REJECT_CODE_UNKNOWN_OBJECT);
  ok(kFac, {set_lock("n1", false), set_lock("", false)});
  EXPECT_EQ(state.find("n1")->get("locked"), nullptr);
  EXPECT_FALSE(fac().locked());
  ok(kFac, {set_follow(true)});
  EXPECT_EQ(fac().follow_client_id(), "c-m-fac");
  EXPECT_EQ(fac().follow_name(), "Fay");
  ok(kFac, {set_follow(false)});
  EXPECT_EQ(fac().follow_client_id(), "");
  expect_replay_equal();
}

TEST_F(FacTest, ClientsSendNeitherDerivedOpsNorServerFields) {  // FAC-1, MODEL-6
  ok(kAlice, {note("n1")});
  v1::Op pc;
  pc.mutable_private_count()->set_member_id("m-alice");
  pc.mutable_private_count()->set_count(9);
  refused(kAlice, {pc}, v1::REJECT_CODE_BAD_OP);
  v1::Op t;
  t.mutable_turnout()->set_member_id("m-alice");
  refused(kFac, {t}, v1::REJECT_CODE_BAD_OP);
  v1::Op rv;
  rv.mutable_revealed();
  refused(kFac, {rv}, v1::REJECT_CODE_BAD_OP);
  v1::Op au;
  au.mutable_authors();
  refused(kFac, {au}, v1::REJECT_CODE_BAD_OP);
  v1::Op vr;
  vr.mutable_voting_result()->set_id("x");
  refused(kFac, {vr}, v1::REJECT_CODE_BAD_OP);
  for (const char* f : {"private_to", "private_author_only", "anonymous", "locked"}) {
    v1::Op op;
    op.mutable_update()->set_id("n1");
    auto* fl = op.mutable_update()->add_fields();
    fl->set_name(f);
    if (std::string(f) == "private_to") *fl->mutable_value() = text_v("m-bob");
    else fl->mutable_value()->set_flag(true);
    refused(kAlice, {op}, v1::REJECT_CODE_BAD_FIELD);
  }
  v1::SequencedChange bad;  // a logged change may carry them (replay)
  bad.set_seq(state.seq() + 1);
  *bad.add_ops() = pc;
  EXPECT_FALSE(state.replay(bad));
  EXPECT_EQ(fac().private_counts(0).count(), 9u);
}

TEST_F(FacTest, ARejectedChangeRestoresTheFacilitationState) {  // MODEL-5
  ok(kFac, {set_agenda({{"p", "P", true}}), set_phase("p"), timer_op(v1::TIMER_ACTION_START, 60000)});
  ok(kAlice, {note("n1")});
  ok(kBob, {set_ready(true)});
  const std::string before = state.snapshot().SerializeAsString();
  refused(kFac,
          {set_agenda({{"q", "Q", false}}), set_phase("q"), timer_op(v1::TIMER_ACTION_PAUSE), private_writing(true), show_names(true),
           open_voting("s", 2, 1), set_lock("", true), set_lock("n1", true), set_follow(true), set_dot_votes(false), close_voting(),
           close_voting()},
          v1::REJECT_CODE_NOT_ALLOWED);
  EXPECT_EQ(state.snapshot().SerializeAsString(), before);
  // a later change sees no leftover of the refused one (e.g. its session)
  ok(kFac, {open_voting("s", 1, 1)});
  ok(kFac, {close_voting()});
  EXPECT_EQ(fac().results(0).id(), "s");
  expect_replay_equal();
}

TEST_F(FacTest, SnapshotRoundTripAndReset) {  // FAC-1
  EXPECT_FALSE(state.snapshot().has_facilitation());  // unused: the bytes of boards before facilitation
  ok(kFac, {set_agenda({{"p", "P", false}}), set_phase("p"), private_writing(true), set_lock("", true)});
  ok(kAlice, {note("n1")});
  auto snap = state.snapshot();
  ASSERT_TRUE(snap.has_facilitation());
  EXPECT_EQ(snap.facilitation().SerializeAsString(), fac().SerializeAsString());
  Schema s2;
  BoardState other(s2);
  other.reset(meta);
  other.load(snap);
  EXPECT_EQ(other.snapshot().SerializeAsString(), snap.SerializeAsString());
  // the loaded board goes on like the live one
  google::protobuf::RepeatedPtrField<v1::Op> ops;
  *ops.Add() = note("n2");
  ApplyContext ctx{other.seq() + 1, "Bob", kT0, false, "m-bob", "c"};
  ASSERT_FALSE(other.apply_live(&ops, ctx));
  EXPECT_EQ(other.find("n2")->text("private_to"), "m-bob");
  ASSERT_EQ(ops.size(), 2);
  EXPECT_EQ(ops.Get(1).private_count().count(), 1u);
  state.reset(meta);
  EXPECT_EQ(state.facilitation().ByteSizeLong(), 0u);
}

TEST(FacRules, TheRulesOnTheMessage) {
  v1::Facilitation f;
  fac::set_ready(f, true, "b", "B");
  fac::set_ready(f, true, "a", "A");
  fac::set_ready(f, true, "c", "C");
  ASSERT_EQ(f.ready_size(), 3);
  EXPECT_EQ(f.ready(0).member_id(), "a");
  EXPECT_EQ(f.ready(2).member_id(), "c");
  fac::set_ready(f, false, "b", "B");
  EXPECT_EQ(f.ready(1).member_id(), "c");
  v1::PrivateCount c;
  c.set_member_id("m");
  c.set_count(2);
  fac::set_private_count(f, c);
  c.set_count(0);
  fac::set_private_count(f, c);
  EXPECT_EQ(f.private_counts_size(), 0);  // 0: left out
  v1::Op op;  // which ops are the facilitators' is the roles table's (tests/access/roles_test.cpp)
  op.mutable_set_lock();
  EXPECT_FALSE(fac::derived_op(op));
  op.mutable_voting_result();
  EXPECT_TRUE(fac::derived_op(op));
}

}  // namespace
}  // namespace tandem::model
