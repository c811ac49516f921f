// BoardState: the pure model's rules (protocol/SPEC.md MODEL-*, ORDER-*, VOTE-*, PROMOTE-*).
#include "model/board_state.hpp"
#include "support/apply_context.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "model/order_key.hpp"
#include "model/templates.hpp"
#include "support/ops.hpp"

namespace tandem::model {
namespace {

using namespace tandem::testing;

google::protobuf::RepeatedPtrField<v1::Op> ops(std::initializer_list<v1::Op> list) {
  google::protobuf::RepeatedPtrField<v1::Op> out;
  for (const auto& op : list) *out.Add() = op;
  return out;
}

v1::BoardMeta meta(v1::BoardKind kind) {
  v1::BoardMeta m;
  m.set_id("b");
  m.set_title("Board");
  m.set_kind(kind);
  return m;
}

class BoardStateTest : public ::testing::Test {
 protected:
  void SetUp() override { state.reset(meta(v1::BOARD_KIND_DISCOVERY)); }
  std::optional<Rejection> apply(std::initializer_list<v1::Op> list, const std::string& author = "alice",
                                 bool system = false) {
    return state.apply(ops(list), context_of(state.seq() + 1, author, 1700000000000, system));
  }
  void expect_reject(std::initializer_list<v1::Op> list, v1::RejectCode code, const std::string& author = "alice") {
    const auto before = state.snapshot().SerializeAsString();
    auto r = apply(list, author);
    ASSERT_TRUE(r) << "accepted";
    EXPECT_EQ(r->code, code) << r->message;
    EXPECT_FALSE(r->message.empty());
    EXPECT_EQ(state.snapshot().SerializeAsString(), before) << "a rejected change changed the state";
  }
  Schema schema;
  BoardState state{schema, StateLimits{/*max_objects=*/8, /*max_ops_per_change=*/10}};
};

TEST_F(BoardStateTest, CreateUpdateDeleteAdvanceSeq) {
  ASSERT_FALSE(apply({create_note("n1", "hello")}));
  ASSERT_FALSE(apply({update_text("n1", "hello world")}));
  EXPECT_EQ(state.seq(), 2u);
  const Object* o = state.find("n1");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->text("text"), "hello world");
  EXPECT_EQ(o->get("x")->number(), 0.0);  // MODEL-3: fields not named keep their value
  EXPECT_EQ(o->text("author"), "alice");  // MODEL-6: stamped by the server
  EXPECT_EQ(o->created_seq, 1u);
  EXPECT_EQ(o->updated_seq, 2u);
  ASSERT_FALSE(apply({delete_object("n1")}));
  EXPECT_TRUE(state.find("n1")->deleted);
  EXPECT_EQ(state.live_objects(), 0u);
}

TEST_F(BoardStateTest, OpsOnATombstoneAreRejectedAndNeverResurrect) {  // MODEL-4
  ASSERT_FALSE(apply({create_note("n1", "a")}));
  ASSERT_FALSE(apply({delete_object("n1")}));
  expect_reject({update_text("n1", "back?")}, v1::REJECT_CODE_DELETED);
  expect_reject({create_note("n1", "again")}, v1::REJECT_CODE_DUPLICATE_ID);
  expect_reject({delete_object("n1")}, v1::REJECT_CODE_DELETED);
  expect_reject({move_object("n1", "a0")}, v1::REJECT_CODE_DELETED);
  expect_reject({add_vote("v1", "n1")}, v1::REJECT_CODE_DELETED);
  EXPECT_TRUE(state.find("n1")->deleted);
}

TEST_F(BoardStateTest, AChangeAppliesAllOrNothing) {  // MODEL-5
  ASSERT_FALSE(apply({create_note("n1", "keep")}));
  auto r = apply({update_text("n1", "changed"), create_note("n2", "new"), delete_object("n1"),
                  add_vote("v1", "n2"), update_text("missing", "x")});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, v1::REJECT_CODE_UNKNOWN_OBJECT);
  EXPECT_NE(r->message.find("op 4"), std::string::npos);
  EXPECT_EQ(state.seq(), 1u);
  EXPECT_EQ(state.find("n2"), nullptr);
  EXPECT_EQ(state.find("v1"), nullptr);
  EXPECT_EQ(state.find("n1")->text("text"), "keep");
  EXPECT_EQ(state.live_objects(), 1u);
}

TEST_F(BoardStateTest, EachFieldRejectReason) {
  ASSERT_FALSE(apply({create_note("n1", "a")}));
  expect_reject({create_note("has space", "x")}, v1::REJECT_CODE_BAD_OP);
  v1::Op unknown_type = create_note("n2", "x");
  unknown_type.mutable_create()->set_type(static_cast<v1::ObjectType>(99));
  expect_reject({unknown_type}, v1::REJECT_CODE_BAD_OP);
  expect_reject({update_fields("n1", {text_field("colour_typo", "red")})}, v1::REJECT_CODE_BAD_FIELD);
  expect_reject({update_fields("n1", {text_field("x", "not a number")})}, v1::REJECT_CODE_BAD_FIELD);
  expect_reject({update_fields("n1", {text_field("text", "a"), text_field("text", "b")})}, v1::REJECT_CODE_BAD_FIELD);
  expect_reject({update_text("n1", std::string(schema.limits().max_note_text + 1, 'x'))}, v1::REJECT_CODE_TOO_LONG);
  expect_reject({update_fields("n1", {number_field("x", std::numeric_limits<double>::infinity())})},
                v1::REJECT_CODE_BAD_FIELD);
  expect_reject({update_fields("n1", {})}, v1::REJECT_CODE_BAD_OP);
  expect_reject({v1::Op()}, v1::REJECT_CODE_BAD_OP);
  expect_reject({update_text("ghost", "x")}, v1::REJECT_CODE_UNKNOWN_OBJECT);
  expect_reject({create_note("n1", "dup")}, v1::REJECT_CODE_DUPLICATE_ID);
  // Server-set and move-only fields.
  expect_reject({update_fields("n1", {text_field("author", "mallory")})}, v1::REJECT_CODE_BAD_FIELD);
  expect_reject({update_fields("n1", {text_field("order", "a0")})}, v1::REJECT_CODE_BAD_FIELD);
  expect_reject({update_fields("n1", {text_field("promoted_item", "x")})}, v1::REJECT_CODE_BAD_FIELD);
  // A type the board kind does not hold; a vote made by create.
  expect_reject({create_item("i1", "item", "a0")}, v1::REJECT_CODE_BAD_OP);
  expect_reject({create_object("v1", v1::OBJECT_TYPE_VOTE, {})}, v1::REJECT_CODE_BAD_OP);
  expect_reject({v1::Op()}, v1::REJECT_CODE_BAD_OP);
  auto empty = state.apply(ops({}), context_of(2, "alice"));
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->code, v1::REJECT_CODE_BAD_OP);
  EXPECT_EQ(state.seq(), 1u);
}

TEST_F(BoardStateTest, ReferencesMustBeLiveObjectsOfTheRightType) {
  ASSERT_FALSE(apply({create_note("n1", "a"), create_note("n2", "b"),
                      create_object("g1", v1::OBJECT_TYPE_GROUP, {text_field("title", "Lane")})}));
  ASSERT_FALSE(apply({create_object("c1", v1::OBJECT_TYPE_CONNECTOR, {text_field("from", "n1"), text_field("to", "g1")})}));
  expect_reject({create_object("c2", v1::OBJECT_TYPE_CONNECTOR, {text_field("from", "n1")})}, v1::REJECT_CODE_BAD_FIELD);
  expect_reject({create_object("c2", v1::OBJECT_TYPE_CONNECTOR, {text_field("from", "n1"), text_field("to", "zz")})},
                v1::REJECT_CODE_UNKNOWN_OBJECT);
  expect_reject({create_object("c2", v1::OBJECT_TYPE_CONNECTOR, {text_field("from", "n1"), text_field("to", "c1")})},
                v1::REJECT_CODE_BAD_FIELD);  // a connector may not point at a connector
  // Comments: the target is fixed, author and time stamped.
  ASSERT_FALSE(apply({create_object("k1", v1::OBJECT_TYPE_COMMENT, {text_field("target", "n2"), text_field("text", "why?")})}, "bob"));
  EXPECT_EQ(state.find("k1")->text("author"), "bob");
  EXPECT_EQ(state.find("k1")->get("created_ms")->integer(), 1700000000000);
  expect_reject({update_fields("k1", {text_field("target", "n1")})}, v1::REJECT_CODE_BAD_FIELD);
  expect_reject({create_object("k2", v1::OBJECT_TYPE_COMMENT, {text_field("target", "n1")})}, v1::REJECT_CODE_BAD_FIELD);
  // Parent: only a live group, only by a move.
  ASSERT_FALSE(apply({move_object("n1", "a0", "g1")}));
  EXPECT_EQ(state.find("n1")->text("parent"), "g1");
  expect_reject({move_object("n2", "a1", "n1")}, v1::REJECT_CODE_BAD_FIELD);
  expect_reject({move_object("g1", "a1", "g1")}, v1::REJECT_CODE_BAD_FIELD);  // groups have no parent
  ASSERT_FALSE(apply({move_object("n1", "a0", "")}));  // "" leaves the group
  EXPECT_EQ(state.find("n1")->get("parent"), nullptr);
  // Deleting a referenced object leaves the references inert, not rejected.
  ASSERT_FALSE(apply({delete_object("n2")}));
  EXPECT_EQ(state.find("k1")->text("target"), "n2");
}

TEST_F(BoardStateTest, ExperimentResultIsOneOfThree) {
  ASSERT_FALSE(apply({create_object("e1", v1::OBJECT_TYPE_EXPERIMENT,
                                    {text_field("hypothesis", "h"), text_field("result", "pending")})}));
  ASSERT_FALSE(apply({update_fields("e1", {text_field("result", "validated")})}));
  expect_reject({update_fields("e1", {text_field("result", "maybe")})}, v1::REJECT_CODE_BAD_FIELD);
}

TEST_F(BoardStateTest, MovesCheckOrderKeys) {  // ORDER-1
  ASSERT_FALSE(apply({create_note("n1", "a"), create_note("n2", "b")}));
  ASSERT_FALSE(apply({move_object("n1", "a1"), move_object("n2", "a2")}));
  auto list = state.ordered();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].second, "n1");
  expect_reject({move_object("n1", "a00")}, v1::REJECT_CODE_BAD_FIELD);  // trailing zero
  expect_reject({move_object("n1", "")}, v1::REJECT_CODE_BAD_FIELD);
  expect_reject({move_object("n1", "a0" + std::string(127, 'V'))}, v1::REJECT_CODE_TOO_LONG);
  // Equal keys: ties are broken by object id (ORDER-3).
  ASSERT_FALSE(apply({move_object("n2", "a5"), move_object("n1", "a5")}));
  list = state.ordered();
  EXPECT_EQ(list[0].second, "n1");
  EXPECT_EQ(list[1].second, "n2");
}

TEST_F(BoardStateTest, LongKeysAskForARebalanceThatKeepsTheOrder) {  // ORDER-4
  ASSERT_FALSE(apply({create_note("n1", "a"), create_note("n2", "b"), create_note("n3", "c")}));
  std::string lo = "a0", hi = "a1";
  ASSERT_FALSE(apply({move_object("n1", lo), move_object("n3", hi)}));
  std::string mid;
  while (mid.size() <= order_key::kRebalanceLength) {
    mid = *order_key::between(lo, hi);
    lo = mid;  // always just above the lower neighbour: the key grows
  }
  ASSERT_FALSE(apply({move_object("n2", mid)}));
  ASSERT_TRUE(state.needs_rebalance());
  auto before = state.ordered();
  expect_reject({state.rebalance_op()}, v1::REJECT_CODE_NOT_ALLOWED);  // clients may not
  ASSERT_FALSE(apply({state.rebalance_op()}, "tandem", true));
  EXPECT_FALSE(state.needs_rebalance());
  auto after = state.ordered();
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].second, before[i].second);
    EXPECT_LE(after[i].first.size(), 3u);
  }
}

TEST_F(BoardStateTest, VotesBelongToTheirVoter) {  // VOTE-1, VOTE-2
  ASSERT_FALSE(apply({create_note("n1", "idea")}));
  ASSERT_FALSE(apply({add_vote("v1", "n1"), add_vote("v2", "n1")}, "alice"));
  ASSERT_FALSE(apply({add_vote("v3", "n1")}, "bob"));
  EXPECT_EQ(state.find("v1")->text("voter"), "alice");
  expect_reject({remove_vote("v1")}, v1::REJECT_CODE_NOT_ALLOWED, "bob");
  expect_reject({delete_object("v1")}, v1::REJECT_CODE_BAD_OP);
  expect_reject({remove_vote("n1")}, v1::REJECT_CODE_BAD_OP);
  expect_reject({add_vote("v4", "v3")}, v1::REJECT_CODE_BAD_FIELD);  // not on a vote
  ASSERT_FALSE(apply({remove_vote("v1")}, "alice"));
  EXPECT_TRUE(state.find("v1")->deleted);
}

TEST_F(BoardStateTest, ObjectAndOpLimits) {
  for (int i = 0; i < 8; ++i) ASSERT_FALSE(apply({create_note("n" + std::to_string(i), "x")}));
  expect_reject({create_note("n8", "x")}, v1::REJECT_CODE_TOO_MANY_OBJECTS);
  expect_reject({add_vote("v1", "n1")}, v1::REJECT_CODE_TOO_MANY_OBJECTS);
  ASSERT_FALSE(apply({delete_object("n0")}));  // room again
  EXPECT_FALSE(apply({create_note("n8", "x")}));
  google::protobuf::RepeatedPtrField<v1::Op> many;
  for (int i = 0; i < 11; ++i) *many.Add() = update_text("n1", "x");
  auto r = state.apply(many, context_of(state.seq() + 1, "alice"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, v1::REJECT_CODE_BAD_OP);
}

TEST_F(BoardStateTest, PromoteRecordsTheLinkAndTheOutbox) {  // PROMOTE-1, PROMOTE-3, PROMOTE-4
  ASSERT_FALSE(apply({create_note("n1", "Customers cannot find export")}));
  ASSERT_FALSE(apply({promote("n1", "backlog-1", "item-1")}));
  const std::uint64_t promote_seq = state.seq();
  EXPECT_EQ(state.find("n1")->text("promoted_item"), "item-1");
  ASSERT_EQ(state.outbox().size(), 1u);
  EXPECT_EQ(state.outbox().at(promote_seq).title(), "Customers cannot find export");
  expect_reject({promote("n1", "backlog-1", "item-2")}, v1::REJECT_CODE_ALREADY_PROMOTED);
  // A delete after the promote leaves the outbox alone: the item will exist.
  ASSERT_FALSE(apply({delete_object("n1")}));
  EXPECT_EQ(state.outbox().size(), 1u);
  v1::Op done;
  done.mutable_promote_done()->set_promote_seq(promote_seq);
  done.mutable_promote_done()->set_ok(true);
  expect_reject({done}, v1::REJECT_CODE_NOT_ALLOWED);
  ASSERT_FALSE(apply({done}, "tandem", true));
  EXPECT_TRUE(state.outbox().empty());
  expect_reject({promote("n1", "backlog-1", "item-3")}, v1::REJECT_CODE_DELETED);

  // A refused promote frees the note to be promoted again.
  ASSERT_FALSE(apply({create_note("n2", "x")}));
  ASSERT_FALSE(apply({promote("n2", "nope", "item-9")}));
  v1::Op failed;
  failed.mutable_promote_done()->set_promote_seq(state.seq());
  failed.mutable_promote_done()->set_error("no backlog board 'nope'");
  ASSERT_FALSE(apply({failed}, "tandem", true));
  EXPECT_EQ(state.find("n2")->text("promoted_item"), "");
  EXPECT_EQ(state.find("n2")->text("promote_error"), "no backlog board 'nope'");
  EXPECT_FALSE(apply({promote("n2", "backlog-1", "item-9")}));
}

TEST(BacklogState, StatusMustBeAColumnAndColumnsAreSettings) {
  Schema schema;
  BoardState s(schema);
  s.reset(meta(v1::BOARD_KIND_BACKLOG));
  auto apply = [&](std::initializer_list<v1::Op> list) {
    return s.apply(ops(list), context_of(s.seq() + 1, "po"));
  };
  ASSERT_FALSE(apply({create_item("i1", "Export to CSV", "a0")}));
  ASSERT_FALSE(apply({update_fields("i1", {text_field("status", "doing")})}));
  auto r = apply({update_fields("i1", {text_field("status", "blocked")})});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, v1::REJECT_CODE_BAD_FIELD);
  v1::Op cols;
  cols.mutable_update_board()->set_set_columns(true);
  for (const char* c : {"todo", "blocked", "done"}) cols.mutable_update_board()->add_columns(c);
  ASSERT_FALSE(apply({cols}));
  EXPECT_FALSE(apply({update_fields("i1", {text_field("status", "blocked")})}));
  v1::TextList tags;
  tags.add_items("export");
  tags.add_items("q3");
  v1::Field f;
  f.set_name("tags");
  *f.mutable_value()->mutable_list() = tags;
  EXPECT_FALSE(apply({update_fields("i1", {f})}));
  EXPECT_EQ(s.find("i1")->get("tags")->list().items_size(), 2);
  r = apply({create_note("n1", "x")});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, v1::REJECT_CODE_BAD_OP);
  // Settings live in the snapshot.
  BoardState copy(schema);
  copy.reset(meta(v1::BOARD_KIND_BACKLOG));
  copy.load(s.snapshot());
  EXPECT_EQ(copy.settings().columns(1), "blocked");
  EXPECT_EQ(copy.snapshot().SerializeAsString(), s.snapshot().SerializeAsString());
}

TEST_F(BoardStateTest, SnapshotRoundTripsAndIsDeterministic) {
  ASSERT_FALSE(apply({create_note("b", "2"), create_note("a", "1")}));
  ASSERT_FALSE(apply({update_text("b", "two")}));
  ASSERT_FALSE(apply({create_note("c", "3"), add_vote("v", "a")}));
  ASSERT_FALSE(apply({delete_object("c"), promote("a", "bl", "it")}));
  v1::BoardSnapshot snap = state.snapshot();
  ASSERT_EQ(snap.objects_size(), 4);
  EXPECT_EQ(snap.objects(0).id(), "a");  // sorted by id
  EXPECT_TRUE(snap.objects(2).deleted());
  EXPECT_EQ(snap.outbox_size(), 1);

  BoardState other(schema, StateLimits{8, 10});
  other.reset(meta(v1::BOARD_KIND_DISCOVERY));
  other.load(snap);
  EXPECT_EQ(other.snapshot().SerializeAsString(), snap.SerializeAsString());
  EXPECT_EQ(other.live_objects(), 3u);
  auto r = other.apply(ops({update_text("c", "x")}), context_of(other.seq() + 1, "alice"));  // tombstone survives
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, v1::REJECT_CODE_DELETED);
}

TEST(Templates, EveryTemplateAppliesToAnEmptyDiscoveryBoard) {
  Schema schema;
  for (auto t : {v1::BOARD_TEMPLATE_PROBLEM_FRAMING, v1::BOARD_TEMPLATE_OPPORTUNITY_SOLUTION_EXPERIMENT,
                 v1::BOARD_TEMPLATE_AFFINITY_MAP, v1::BOARD_TEMPLATE_RETRO}) {
    BoardState s(schema);
    s.reset(meta(v1::BOARD_KIND_DISCOVERY));
    auto tops = template_ops(t);
    ASSERT_FALSE(tops.empty()) << t;
    auto r = s.apply(tops, context_of(1, "tandem", 0, true));
    ASSERT_FALSE(r) << t << ": " << r->message;
    std::size_t groups = 0;
    const auto snap = s.snapshot();
    for (const auto& o : snap.objects()) groups += o.type() == v1::OBJECT_TYPE_GROUP;
    EXPECT_GE(groups, 3u) << t;
    for (const auto& [key, id] : s.ordered()) EXPECT_TRUE(order_key::valid(key)) << id;
  }
  BoardState s(schema);
  s.reset(meta(v1::BOARD_KIND_DISCOVERY));
  auto retro = template_ops(v1::BOARD_TEMPLATE_RETRO);
  ASSERT_FALSE(s.apply(retro, context_of(1, "tandem", 0, true)));
  std::vector<std::string> titles;
  const auto snap = s.snapshot();
  for (const auto& o : snap.objects())
    for (const auto& f : o.fields())
      if (f.name() == "title") titles.push_back(f.value().text());
  EXPECT_EQ(titles, (std::vector<std::string>{"Went well", "To improve", "Actions"}));
  EXPECT_TRUE(template_ops(v1::BOARD_TEMPLATE_UNSPECIFIED).empty());
}

TEST(Replay, TheSameChangesGiveTheSameBytes) {  // SEQ-3
  Schema schema;
  BoardState a(schema), b(schema);
  a.reset(meta(v1::BOARD_KIND_DISCOVERY));
  b.reset(meta(v1::BOARD_KIND_DISCOVERY));
  std::vector<v1::SequencedChange> log;
  for (int i = 0; i < 50; ++i) {
    v1::SequencedChange c;
    c.set_seq(i + 1);
    c.set_author(i % 2 ? "alice" : "bob");
    c.set_server_time_ms(1000 + i);
    *c.add_ops() = (i % 3 == 0) ? create_note("n" + std::to_string(i), "t") : update_text("n0", "v" + std::to_string(i));
    log.push_back(c);
  }
  for (const auto& c : log) ASSERT_FALSE(a.replay(c));
  for (const auto& c : log) ASSERT_FALSE(b.replay(c));
  EXPECT_EQ(a.snapshot().SerializeAsString(), b.snapshot().SerializeAsString());
}

}  // namespace
}  // namespace tandem::model
