// BoardState: the pure model's rules (protocol/SPEC.md MODEL-*).
#include "model/board_state.hpp"

#include <gtest/gtest.h>

#include "support/ops.hpp"

namespace tandem::model {
namespace {

using testing::create_note;
using testing::delete_object;
using testing::number_field;
using testing::text_field;
using testing::update_text;

google::protobuf::RepeatedPtrField<v1::Op> ops(std::initializer_list<v1::Op> list) {
  google::protobuf::RepeatedPtrField<v1::Op> out;
  for (const auto& op : list) *out.Add() = op;
  return out;
}

class BoardStateTest : public ::testing::Test {
 protected:
  std::optional<Rejection> apply(std::initializer_list<v1::Op> list) {
    return state.apply(ops(list), state.seq() + 1);
  }
  Schema schema;
  BoardState state{schema, StateLimits{/*max_objects=*/5, /*max_ops_per_change=*/10}};
};

TEST_F(BoardStateTest, CreateUpdateDeleteAdvanceSeq) {
  ASSERT_FALSE(apply({create_note("n1", "hello")}));
  ASSERT_FALSE(apply({update_text("n1", "hello world")}));
  EXPECT_EQ(state.seq(), 2u);
  const Object* o = state.find("n1");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->fields.at("text").text(), "hello world");
  EXPECT_EQ(o->fields.at("x").number(), 0.0);  // MODEL-3: fields not named keep their value
  EXPECT_EQ(o->created_seq, 1u);
  EXPECT_EQ(o->updated_seq, 2u);
  ASSERT_FALSE(apply({delete_object("n1")}));
  EXPECT_TRUE(state.find("n1")->deleted);
  EXPECT_EQ(state.live_objects(), 0u);
}

TEST_F(BoardStateTest, OpsOnATombstoneAreRejectedAndNeverResurrect) {
  ASSERT_FALSE(apply({create_note("n1", "a")}));
  ASSERT_FALSE(apply({delete_object("n1")}));
  auto r = apply({update_text("n1", "back?")});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, v1::REJECT_CODE_DELETED);
  r = apply({create_note("n1", "again")});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, v1::REJECT_CODE_DUPLICATE_ID);
  r = apply({delete_object("n1")});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, v1::REJECT_CODE_DELETED);
  EXPECT_TRUE(state.find("n1")->deleted);
}

TEST_F(BoardStateTest, AChangeAppliesAllOrNothing) {
  ASSERT_FALSE(apply({create_note("n1", "keep")}));
  const auto before = state.snapshot().SerializeAsString();
  // The third op fails: the first two must be undone, seq must not move.
  auto r = apply({update_text("n1", "changed"), create_note("n2", "new"), update_text("missing", "x")});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, v1::REJECT_CODE_UNKNOWN_OBJECT);
  EXPECT_NE(r->message.find("op 2"), std::string::npos);
  EXPECT_EQ(state.seq(), 1u);
  EXPECT_EQ(state.find("n2"), nullptr);
  EXPECT_EQ(state.snapshot().SerializeAsString(), before);
  EXPECT_EQ(state.live_objects(), 1u);
}

TEST_F(BoardStateTest, EachRejectReason) {
  ASSERT_FALSE(apply({create_note("n1", "a")}));
  struct Case {
    v1::Op op;
    v1::RejectCode code;
  };
  v1::Op bad_id = create_note("has space", "x");
  v1::Op unknown_type = create_note("n2", "x");
  unknown_type.mutable_create()->set_type(static_cast<v1::ObjectType>(99));
  v1::Op unknown_field = update_text("n1", "x");
  *unknown_field.mutable_update()->add_fields() = text_field("colour_typo", "red");
  v1::Op wrong_kind;
  wrong_kind.mutable_update()->set_id("n1");
  *wrong_kind.mutable_update()->add_fields() = text_field("x", "not a number");
  v1::Op twice = update_text("n1", "a");
  *twice.mutable_update()->add_fields() = text_field("text", "b");
  v1::Op too_long = update_text("n1", std::string(schema.type(v1::OBJECT_TYPE_NOTE)->field("text")->max_len + 1, 'x'));
  v1::Op not_finite;
  not_finite.mutable_update()->set_id("n1");
  *not_finite.mutable_update()->add_fields() = number_field("x", std::numeric_limits<double>::infinity());
  v1::Op empty_update;
  empty_update.mutable_update()->set_id("n1");
  v1::Op no_kind;
  v1::Op missing_required;
  missing_required.mutable_create()->set_id("item1");
  missing_required.mutable_create()->set_type(v1::OBJECT_TYPE_BACKLOG_ITEM);

  std::vector<Case> cases = {
      {bad_id, v1::REJECT_CODE_BAD_OP},          {unknown_type, v1::REJECT_CODE_BAD_OP},
      {unknown_field, v1::REJECT_CODE_BAD_FIELD}, {wrong_kind, v1::REJECT_CODE_BAD_FIELD},
      {twice, v1::REJECT_CODE_BAD_FIELD},         {too_long, v1::REJECT_CODE_TOO_LONG},
      {not_finite, v1::REJECT_CODE_BAD_FIELD},    {empty_update, v1::REJECT_CODE_BAD_OP},
      {no_kind, v1::REJECT_CODE_BAD_OP},          {missing_required, v1::REJECT_CODE_BAD_FIELD},
      {update_text("ghost", "x"), v1::REJECT_CODE_UNKNOWN_OBJECT},
      {create_note("n1", "dup"), v1::REJECT_CODE_DUPLICATE_ID},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    auto r = apply({cases[i].op});
    ASSERT_TRUE(r) << "case " << i << " was accepted";
    EXPECT_EQ(r->code, cases[i].code) << "case " << i << ": " << r->message;
    EXPECT_FALSE(r->message.empty());
  }
  EXPECT_EQ(state.seq(), 1u);
  auto empty = state.apply(ops({}), 2);
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->code, v1::REJECT_CODE_BAD_OP);
}

TEST_F(BoardStateTest, ObjectAndOpLimits) {
  for (int i = 0; i < 5; ++i) ASSERT_FALSE(apply({create_note("n" + std::to_string(i), "x")}));
  auto r = apply({create_note("n5", "x")});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, v1::REJECT_CODE_TOO_MANY_OBJECTS);
  ASSERT_FALSE(apply({delete_object("n0")}));  // room again
  EXPECT_FALSE(apply({create_note("n5", "x")}));

  google::protobuf::RepeatedPtrField<v1::Op> many;
  for (int i = 0; i < 11; ++i) *many.Add() = update_text("n1", "x");
  r = state.apply(many, state.seq() + 1);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, v1::REJECT_CODE_BAD_OP);
}

TEST_F(BoardStateTest, SnapshotRoundTripsAndIsDeterministic) {
  ASSERT_FALSE(apply({create_note("b", "2"), create_note("a", "1")}));
  ASSERT_FALSE(apply({update_text("b", "two")}));
  ASSERT_FALSE(apply({create_note("c", "3")}));
  ASSERT_FALSE(apply({delete_object("c")}));
  v1::BoardSnapshot snap = state.snapshot();
  ASSERT_EQ(snap.objects_size(), 3);
  EXPECT_EQ(snap.objects(0).id(), "a");  // sorted by id
  EXPECT_TRUE(snap.objects(2).deleted());

  BoardState other(schema, StateLimits{5, 10});
  other.load(snap);
  EXPECT_EQ(other.snapshot().SerializeAsString(), snap.SerializeAsString());
  EXPECT_EQ(other.live_objects(), 2u);
  auto r = other.apply(ops({update_text("c", "x")}), other.seq() + 1);  // tombstone survives
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, v1::REJECT_CODE_DELETED);
}

TEST_F(BoardStateTest, ReplayingTheSameChangesGivesTheSameBytes) {
  BoardState a(schema), b(schema);
  std::vector<v1::SequencedChange> log;
  for (int i = 0; i < 50; ++i) {
    v1::SequencedChange c;
    c.set_seq(i + 1);
    *c.add_ops() = (i % 3 == 0) ? create_note("n" + std::to_string(i), "t") : update_text("n0", "v" + std::to_string(i));
    log.push_back(c);
  }
  for (const auto& c : log) ASSERT_FALSE(a.replay(c));
  for (const auto& c : log) ASSERT_FALSE(b.replay(c));
  EXPECT_EQ(a.snapshot().SerializeAsString(), b.snapshot().SerializeAsString());
}

}  // namespace
}  // namespace tandem::model
