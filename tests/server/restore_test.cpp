// Restore of a deleted object on the board's sequencer and at the broadcast boundary
// (protocol/SPEC.md MODEL-9, ROLE-2, FAC-7, FAC-9, VIS-1): roles and locks as for a
// delete, the member id logged where replay needs it, private restores filtered.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "board/sequencer.hpp"
#include "board/visibility.hpp"
#include "support/ops.hpp"

namespace tandem {
namespace {

using namespace tandem::testing;
using Kind = Sequencer::Answer::Kind;

v1::Op restore_op(const std::string& id, const std::string& text) {
  v1::Op op;
  op.mutable_restore()->set_id(id);
  *op.mutable_restore()->add_fields() = text_field("text", text);
  return op;
}

class RestoreSequencer : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::BoardMeta meta;
    meta.set_kind(v1::BOARD_KIND_DISCOVERY);
    seq.state().reset(meta);
  }
  Sequencer::Answer send(const Sender& s, std::vector<v1::Op> ops) {
    v1::Change c;
    c.set_client_seq(++client_seq);
    for (auto& op : ops) *c.add_ops() = op;
    auto a = seq.submit(s, c, 1767225600000 + static_cast<std::int64_t>(client_seq) * 1000);
    if (a.kind == Kind::kApplied) {
      v1::SequencedChange sc;
      EXPECT_TRUE(sc.ParseFromString(a.change));
      log.push_back(sc);
    }
    return a;
  }

  model::Schema schema;
  Sequencer seq{schema, {}, nullptr};
  std::uint64_t client_seq = 0;
  std::vector<v1::SequencedChange> log;
  const Sender fay{"m-fay", "Fay", "c-fay", v1::ROLE_FACILITATOR};
  const Sender ed{"m-ed", "Ed", "c-ed", v1::ROLE_EDITOR};
  const Sender bob{"m-bob", "Bob", "c-bob", v1::ROLE_EDITOR};
  const Sender vera{"m-vera", "Vera", "c-vera", v1::ROLE_VIEWER};
};

TEST_F(RestoreSequencer, AViewerMayNotRestore) {
  ASSERT_EQ(send(ed, {create_note("n1", "a")}).kind, Kind::kApplied);
  ASSERT_EQ(send(ed, {delete_object("n1")}).kind, Kind::kApplied);
  auto a = send(vera, {restore_op("n1", "a")});
  EXPECT_EQ(a.kind, Kind::kRejected);
  EXPECT_EQ(a.code, v1::REJECT_CODE_NOT_ALLOWED);
  EXPECT_TRUE(seq.state().find("n1")->deleted);
}

TEST_F(RestoreSequencer, LocksApplyAsToADelete) {
  ASSERT_EQ(send(ed, {create_note("n1", "a"), create_note("n2", "b")}).kind, Kind::kApplied);
  ASSERT_EQ(send(fay, {set_lock("n1", true)}).kind, Kind::kApplied);
  ASSERT_EQ(send(fay, {delete_object("n1")}).kind, Kind::kApplied);
  auto a = send(ed, {restore_op("n1", "a")});  // its tombstone is still locked
  EXPECT_EQ(a.code, v1::REJECT_CODE_BOARD_LOCKED);
  ASSERT_EQ(send(ed, {delete_object("n2")}).kind, Kind::kApplied);
  ASSERT_EQ(send(fay, {set_lock("", true)}).kind, Kind::kApplied);
  a = send(ed, {restore_op("n2", "b")});
  EXPECT_EQ(a.code, v1::REJECT_CODE_BOARD_LOCKED);
  EXPECT_EQ(send(fay, {restore_op("n2", "b")}).kind, Kind::kApplied);
  EXPECT_EQ(send(fay, {restore_op("n1", "a")}).kind, Kind::kApplied);
}

TEST_F(RestoreSequencer, APrivateRestoreIsLoggedForReplayAndHiddenFromOthers) {
  ASSERT_EQ(send(fay, {private_writing(true)}).kind, Kind::kApplied);
  ASSERT_EQ(send(ed, {create_note("p1", "mine")}).kind, Kind::kApplied);
  ASSERT_EQ(send(ed, {delete_object("p1")}).kind, Kind::kApplied);
  EXPECT_EQ(send(bob, {restore_op("p1", "stolen")}).code, v1::REJECT_CODE_NOT_ALLOWED);
  ASSERT_EQ(send(ed, {restore_op("p1", "mine")}).kind, Kind::kApplied);
  const v1::SequencedChange& restored = log.back();
  EXPECT_EQ(restored.author_id(), "m-ed");  // replay checks the owner (FAC-9)
  ASSERT_EQ(restored.ops_size(), 2);
  EXPECT_EQ(restored.ops(1).private_count().count(), 1u);

  // The log replays to the live state (SEQ-3).
  model::BoardState replica(schema);
  v1::BoardMeta meta;
  meta.set_kind(v1::BOARD_KIND_DISCOVERY);
  replica.reset(meta);
  for (const auto& c : log) ASSERT_FALSE(replica.replay(c)) << "seq " << c.seq();
  EXPECT_EQ(replica.snapshot().SerializeAsString(), seq.state().snapshot().SerializeAsString());

  // VIS-1: Bob gets the change without the op naming Ed's private note; Ed gets it.
  auto for_bob = visibility::view(restored, seq.state(), visibility::viewer("m-bob", v1::ROLE_EDITOR), "m-ed");
  for (const auto& op : for_bob.ops()) EXPECT_FALSE(op.has_restore());
  auto for_ed = visibility::view(restored, seq.state(), visibility::viewer("m-ed", v1::ROLE_EDITOR), "m-ed");
  ASSERT_GE(for_ed.ops_size(), 1);
  EXPECT_TRUE(for_ed.ops(0).has_restore());
}

}  // namespace
}  // namespace tandem
