// Restore of a deleted object in the board model (protocol/SPEC.md MODEL-9, MODEL-4,
// MODEL-5, FAC-4): the same object comes back; what a client may not forge stays the
// server's.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/board_state.hpp"
#include "support/apply_context.hpp"
#include "support/ops.hpp"

namespace tandem::model {
namespace {

using namespace tandem::testing;

v1::Op restore_op(const std::string& id, std::initializer_list<v1::Field> fields) {
  v1::Op op;
  op.mutable_restore()->set_id(id);
  for (const auto& f : fields) *op.mutable_restore()->add_fields() = f;
  return op;
}

class RestoreTest : public ::testing::Test {
 protected:
  void SetUp() override { reset(); }
  void reset(StateLimits limits = {}) {
    state = std::make_unique<BoardState>(schema, limits);
    v1::BoardMeta m;
    m.set_kind(v1::BOARD_KIND_DISCOVERY);
    state->reset(m);
  }
  // A member's change, as the sequencer applies it (derived ops appended).
  std::optional<Rejection> as(const std::string& member, const std::string& name, std::vector<v1::Op> list) {
    ops = google::protobuf::RepeatedPtrField<v1::Op>(list.begin(), list.end());
    return state->apply_live(&ops, context_of(state->seq() + 1, name, 1000 * (state->seq() + 1), false, member));
  }
  std::optional<Rejection> alice(std::vector<v1::Op> list) { return as("m-alice", "Alice", std::move(list)); }
  std::string bytes() const { return state->snapshot().SerializeAsString(); }

  Schema schema;
  std::unique_ptr<BoardState> state;
  google::protobuf::RepeatedPtrField<v1::Op> ops;
};

TEST_F(RestoreTest, TheSameObjectComesBackWithItsAuthorAndCreation) {
  ASSERT_FALSE(alice({create_note("n1", "keep", 10, 20), create_note("n2", "other")}));
  ASSERT_FALSE(as("m-bob", "Bob", {comment_on("k1", "n1", "why?")}));
  const std::int64_t comment_ms = state->find("k1")->get("created_ms")->integer();
  ASSERT_FALSE(alice({delete_object("n1")}));
  ASSERT_FALSE(as("m-bob", "Bob", {delete_object("k1")}));
  // The tombstones keep the server's fields only (MODEL-4).
  EXPECT_EQ(state->find("n1")->text("author"), "Alice");
  EXPECT_EQ(state->find("n1")->get("text"), nullptr);
  EXPECT_EQ(state->find("k1")->get("created_ms")->integer(), comment_ms);
  EXPECT_EQ(state->live_objects(), 1u);

  ASSERT_FALSE(as("m-carol", "Carol", {restore_op("n1", {text_field("text", "keep"), number_field("x", 10)})}));
  ASSERT_FALSE(as("m-carol", "Carol", {restore_op("k1", {text_field("target", "n1"), text_field("text", "why?")})}));
  const Object* n1 = state->find("n1");
  ASSERT_NE(n1, nullptr);
  EXPECT_FALSE(n1->deleted);
  EXPECT_EQ(n1->text("author"), "Alice");  // not Carol, who restored it
  EXPECT_EQ(n1->text("text"), "keep");
  EXPECT_EQ(n1->created_seq, 1u);
  EXPECT_EQ(n1->updated_seq, state->seq() - 1);
  const Object* k1 = state->find("k1");
  EXPECT_EQ(k1->text("author"), "Bob");
  EXPECT_EQ(k1->get("created_ms")->integer(), comment_ms);
  EXPECT_EQ(state->live_objects(), 3u);
  // A restored object may be deleted and restored again.
  ASSERT_FALSE(alice({delete_object("n1")}));
  ASSERT_FALSE(alice({restore_op("n1", {text_field("text", "again")})}));
  EXPECT_EQ(state->find("n1")->text("text"), "again");
}

TEST_F(RestoreTest, RefusesWhatIsNotATombstoneOrForged) {
  ASSERT_FALSE(alice({create_note("n1", "a"), create_note("n2", "b")}));
  ASSERT_FALSE(alice({delete_object("n1")}));
  const std::string before = bytes();
  auto code = [&](std::vector<v1::Op> list) {
    auto r = alice(std::move(list));
    EXPECT_EQ(bytes(), before);
    return r ? r->code : v1::REJECT_CODE_UNSPECIFIED;
  };
  EXPECT_EQ(code({restore_op("n2", {text_field("text", "x")})}), v1::REJECT_CODE_DUPLICATE_ID);
  EXPECT_EQ(code({restore_op("nope", {})}), v1::REJECT_CODE_UNKNOWN_OBJECT);
  EXPECT_EQ(code({restore_op("n1", {text_field("author", "Mallory")})}), v1::REJECT_CODE_BAD_FIELD);
  EXPECT_EQ(code({restore_op("n1", {text_field("promoted_item", "i1")})}), v1::REJECT_CODE_BAD_FIELD);
  EXPECT_EQ(code({restore_op("n1", {text_field("text", "a"), text_field("text", "b")})}), v1::REJECT_CODE_BAD_FIELD);
  EXPECT_EQ(code({restore_op("n1", {text_field("nonsense", "a")})}), v1::REJECT_CODE_BAD_FIELD);
  EXPECT_EQ(code({restore_op("n1", {text_field("parent", "n2")})}), v1::REJECT_CODE_BAD_FIELD);  // not a group
  // All or nothing (MODEL-5): a valid restore with a refused op leaves n1 a tombstone.
  EXPECT_EQ(code({restore_op("n1", {text_field("text", "a")}), update_text("nope", "x")}),
            v1::REJECT_CODE_UNKNOWN_OBJECT);
  EXPECT_TRUE(state->find("n1")->deleted);
  // Ids are still never reused for other objects (MODEL-2).
  EXPECT_EQ(code({create_note("n1", "a copy")}), v1::REJECT_CODE_DUPLICATE_ID);
}

TEST_F(RestoreTest, ReferencesMustBeLiveAndVotesAreNotRestored) {
  ASSERT_FALSE(alice({create_note("n1", "a"), create_note("n2", "b"),
                      create_object("c1", v1::OBJECT_TYPE_CONNECTOR, {text_field("from", "n1"), text_field("to", "n2")}),
                      add_vote("v1", "n1")}));
  ASSERT_FALSE(alice({delete_object("c1"), delete_object("n1")}));
  const v1::Op c1 = restore_op("c1", {text_field("from", "n1"), text_field("to", "n2")});
  auto r = alice({c1, restore_op("n1", {text_field("text", "a")})});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, v1::REJECT_CODE_DELETED);
  ASSERT_FALSE(alice({restore_op("n1", {text_field("text", "a")}), c1}));
  EXPECT_FALSE(state->find("c1")->deleted);
  EXPECT_FALSE(state->find("v1")->deleted);  // never deleted with its note: inert, then live again (MODEL-7)
  ASSERT_FALSE(alice({remove_vote("v1")}));
  r = alice({restore_op("v1", {})});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, v1::REJECT_CODE_BAD_OP);
}

TEST_F(RestoreTest, CountsAgainstTheObjectLimit) {
  reset(StateLimits{.max_objects = 2});
  ASSERT_FALSE(alice({create_note("n1", "a"), create_note("n2", "b")}));
  ASSERT_FALSE(alice({delete_object("n1")}));
  ASSERT_FALSE(alice({create_note("n3", "c")}));
  auto r = alice({restore_op("n1", {text_field("text", "a")})});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, v1::REJECT_CODE_TOO_MANY_OBJECTS);
}

TEST_F(RestoreTest, APrivateObjectIsRestoredByItsMemberOnlyAndStaysPrivate) {
  ASSERT_FALSE(as("m-fay", "Fay", {private_writing(true)}));
  ASSERT_FALSE(alice({create_note("p1", "mine")}));
  ASSERT_FALSE(alice({delete_object("p1")}));
  EXPECT_EQ(state->find("p1")->text("private_to"), "m-alice");
  auto r = as("m-bob", "Bob", {restore_op("p1", {text_field("text", "mine")})});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, v1::REJECT_CODE_NOT_ALLOWED);
  ASSERT_FALSE(alice({restore_op("p1", {text_field("text", "mine")})}));
  EXPECT_EQ(state->find("p1")->text("private_to"), "m-alice");
  // The change is followed by Alice's private count (FAC-4).
  ASSERT_EQ(ops.size(), 2);
  ASSERT_TRUE(ops[1].has_private_count());
  EXPECT_EQ(ops[1].private_count().member_id(), "m-alice");
  EXPECT_EQ(ops[1].private_count().count(), 1u);
}

TEST_F(RestoreTest, ALockedObjectStaysLocked) {
  ASSERT_FALSE(alice({create_note("n1", "a")}));
  ASSERT_FALSE(as("m-fay", "Fay", {set_lock("n1", true)}));
  ASSERT_FALSE(as("m-fay", "Fay", {delete_object("n1")}));
  ASSERT_FALSE(as("m-fay", "Fay", {restore_op("n1", {text_field("text", "a")})}));
  const v1::Value* locked = state->find("n1")->get("locked");
  ASSERT_NE(locked, nullptr);
  EXPECT_TRUE(locked->flag());
}

}  // namespace
}  // namespace tandem::model
