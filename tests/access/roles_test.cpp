// The roles table (protocol/SPEC.md ROLE-1..8) and the invite book (AUTH-4), cell by cell.
#include "access/invite_book.hpp"
#include "access/roles.hpp"

#include <gtest/gtest.h>

#include <map>

namespace tandem::access {
namespace {

TEST(Roles, EveryCellOfTheSpecTable) {
  using A = Action;
  // Rows as in protocol/SPEC.md: viewer, editor, facilitator, owner.
  const std::map<A, std::array<bool, 4>> table = {
      {A::kRead, {true, true, true, true}},
      {A::kEditObjects, {false, true, true, true}},
      {A::kUpdateBoard, {false, false, true, true}},
      {A::kPromote, {false, true, true, true}},
      {A::kManageInvites, {false, false, true, true}},
      {A::kManageOwnerInvites, {false, false, false, true}},
      {A::kDeleteBoard, {false, false, true, true}},
      {A::kFacilitate, {false, false, true, true}},  // ROLE-8
  };
  const v1::Role roles[] = {v1::ROLE_VIEWER, v1::ROLE_EDITOR, v1::ROLE_FACILITATOR, v1::ROLE_OWNER};
  for (const auto& [action, row] : table)
    for (int i = 0; i < 4; ++i)
      EXPECT_EQ(may(roles[i], action), row[i]) << role_name(roles[i]) << " action " << static_cast<int>(action);
  for (const auto& [action, row] : table) EXPECT_FALSE(may(v1::ROLE_UNSPECIFIED, action));
}

TEST(Roles, OpsNeedTheirAction) {
  v1::Op op;
  op.mutable_create()->set_id("n");
  EXPECT_EQ(action_of(op), Action::kEditObjects);
  op.mutable_add_vote()->set_id("v");
  EXPECT_EQ(action_of(op), Action::kEditObjects);
  op.mutable_update_board()->set_title("t");
  EXPECT_EQ(action_of(op), Action::kUpdateBoard);
  op.mutable_promote()->set_note_id("n");
  EXPECT_EQ(action_of(op), Action::kPromote);
  // ROLE-8: the workshop ops; SetReady is anyone's who may edit (FAC-1)
  op.mutable_set_agenda();
  EXPECT_EQ(action_of(op), Action::kFacilitate);
  op.mutable_set_phase();
  EXPECT_EQ(action_of(op), Action::kFacilitate);
  op.mutable_timer();
  EXPECT_EQ(action_of(op), Action::kFacilitate);
  op.mutable_set_private_writing();
  EXPECT_EQ(action_of(op), Action::kFacilitate);
  op.mutable_show_names();
  EXPECT_EQ(action_of(op), Action::kFacilitate);
  op.mutable_open_voting();
  EXPECT_EQ(action_of(op), Action::kFacilitate);
  op.mutable_close_voting();
  EXPECT_EQ(action_of(op), Action::kFacilitate);
  op.mutable_set_lock();
  EXPECT_EQ(action_of(op), Action::kFacilitate);
  op.mutable_set_follow();
  EXPECT_EQ(action_of(op), Action::kFacilitate);
  op.mutable_set_options();
  EXPECT_EQ(action_of(op), Action::kFacilitate);
  op.mutable_set_ready();
  EXPECT_EQ(action_of(op), Action::kEditObjects);
  op.mutable_turnout();  // derived ops: refused by the model (BAD_OP) for whoever may edit
  EXPECT_EQ(action_of(op), Action::kEditObjects);
  EXPECT_EQ(invite_action(v1::ROLE_OWNER), Action::kManageOwnerInvites);
  EXPECT_EQ(invite_action(v1::ROLE_FACILITATOR), Action::kManageInvites);
}

TEST(Roles, NamesRoundTripAndNothingElseParses) {
  for (v1::Role r : {v1::ROLE_VIEWER, v1::ROLE_EDITOR, v1::ROLE_FACILITATOR, v1::ROLE_OWNER})
    EXPECT_EQ(parse_role(role_name(r)), r);
  EXPECT_FALSE(parse_role("admin"));
  EXPECT_FALSE(parse_role(""));
  EXPECT_FALSE(parse_role("Owner"));
}

TEST(InviteBook, AdmitsTheCreatorAndUnrevokedInvitesOnly) {
  InviteBook book;
  EXPECT_TRUE(book.admits(""));           // the board's creator
  EXPECT_FALSE(book.admits("unknown"));   // never recorded
  v1::InviteRecord r;
  r.set_nonce("n1");
  r.set_role(v1::ROLE_EDITOR);
  r.set_created_ms(2);
  book.put(r);
  EXPECT_TRUE(book.admits("n1"));
  r.set_revoked(true);
  book.put(r);
  EXPECT_FALSE(book.admits("n1"));
}

TEST(InviteBook, LoadsRecordsAndRefusesCorruptOnes) {
  v1::InviteRecord a, b;
  a.set_nonce("a");
  a.set_created_ms(5);
  b.set_nonce("b");
  b.set_created_ms(1);
  InviteBook book;
  ASSERT_TRUE(book.load({{"a", a.SerializeAsString()}, {"b", b.SerializeAsString()}}));
  auto list = book.list();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]->nonce(), "b");  // oldest first
  EXPECT_FALSE(book.load({{"x", a.SerializeAsString()}}));  // key and record disagree
  EXPECT_FALSE(book.load({{"x", "\xff\xff garbage"}}));
}

}  // namespace
}  // namespace tandem::access
