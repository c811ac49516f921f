// WelcomeSnapshots (board/welcome_snapshot.hpp): the snapshot encoded object by object
// and cut into SnapshotPart frames (SPEC JOIN-8) is, once its parts are merged, the
// very snapshot BoardState::snapshot() makes, filtered per viewer as filter_snapshot()
// filters it (VIS-1..4), after every kind of change (objects re-encoded when changed).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "board/visibility.hpp"
#include "board/welcome_snapshot.hpp"
#include "model/board_state.hpp"
#include "support/ops.hpp"

namespace tandem {
namespace {

using namespace tandem::testing;

constexpr std::size_t kPart = 4096;

class WelcomeSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::BoardMeta m;
    m.set_id("b");
    m.set_title("Workshop");
    m.set_kind(v1::BOARD_KIND_DISCOVERY);
    state.reset(m);
  }
  // Applies a change of `member` the way the sequencer does; false when refused.
  bool as(const std::string& member, std::vector<v1::Op> list) {
    google::protobuf::RepeatedPtrField<v1::Op> ops(list.begin(), list.end());
    model::ApplyContext ctx;
    ctx.seq = state.seq() + 1;
    ctx.author = "name-" + member;
    ctx.author_id = member;
    ctx.client_id = "c-" + member;
    return !state.apply_live(&ops, ctx);
  }
  void notes(int from, int to, const std::string& member = "m-fac") {
    for (int i = from; i < to; ++i)
      ASSERT_TRUE(as(member, {create_note("n" + std::to_string(1000 + i), "note text number " + std::to_string(i))}));
  }
  // The snapshot a client assembles from `e`: head, then every part's objects.
  static v1::BoardSnapshot assemble(const EncodedSnapshot& e, std::size_t* parts = nullptr) {
    v1::BoardSnapshot s;
    EXPECT_TRUE(s.ParseFromString(*e.head));
    if (parts) *parts = e.parts ? e.parts->size() : 0;
    if (!e.parts) return s;
    for (const wire::SharedBytes& p : *e.parts) {
      v1::ServerFrame f;
      EXPECT_TRUE(f.ParseFromString(*p));
      EXPECT_EQ(f.messages_size(), 1);
      for (const v1::ObjectState& o : f.messages(0).snapshot_part().objects()) *s.add_objects() = o;
      if (f.messages(0).snapshot_part().objects_size() > 1) {
        EXPECT_LE(p->size(), kPart + 16) << "a part over its size";
      }
    }
    return s;
  }
  static v1::BoardSnapshot filtered(v1::BoardSnapshot s, const visibility::Viewer& v) {
    const bool had = s.has_facilitation();
    visibility::filter_snapshot(&s, v);
    if (!had) s.clear_facilitation();
    return s;
  }
  void expect_views_equal(const std::string& when) {
    const v1::BoardSnapshot full = state.snapshot();
    EXPECT_EQ(assemble(encoder.build("", state, nullptr)).SerializeAsString(), full.SerializeAsString()) << when;
    for (const visibility::Viewer& v : viewers) {
      const v1::BoardSnapshot got = assemble(encoder.build(v.member_id, state, &v));
      EXPECT_EQ(got.SerializeAsString(), filtered(full, v).SerializeAsString()) << when << ", as " << v.member_id;
    }
  }

  model::Schema schema;
  model::BoardState state{schema};
  WelcomeSnapshots encoder{kPart};
  const std::vector<visibility::Viewer> viewers = {{"m-fac", true}, {"m-alice", false}, {"m-bob", false}};
};

TEST_F(WelcomeSnapshotTest, ASmallBoardKeepsItsObjectsInTheWelcome) {
  notes(0, 5);
  std::size_t parts = 9;
  const EncodedSnapshot e = encoder.build("", state, nullptr);
  EXPECT_EQ(assemble(e, &parts).SerializeAsString(), state.snapshot().SerializeAsString());
  EXPECT_EQ(parts, 0u);
  EXPECT_EQ(e.seq, state.seq());
  EXPECT_EQ(encoder.cached("")->head, e.head) << "kept for the next joiner";
  EXPECT_EQ(encoder.cached("other"), nullptr);
}

TEST_F(WelcomeSnapshotTest, ABigBoardIsCutIntoPartsThatMergeIntoTheSnapshot) {
  notes(0, 400);
  std::size_t parts = 0;
  const EncodedSnapshot e = encoder.build("", state, nullptr);
  const v1::BoardSnapshot got = assemble(e, &parts);
  EXPECT_EQ(got.SerializeAsString(), state.snapshot().SerializeAsString());
  EXPECT_GE(parts, state.snapshot().ByteSizeLong() / kPart);
  EXPECT_EQ(got.objects_size(), 400);
}

TEST_F(WelcomeSnapshotTest, ChangedObjectsAreEncodedAgain) {
  notes(0, 300);
  expect_views_equal("fresh");
  ASSERT_TRUE(as("m-fac", {update_text("n1005", "edited"), delete_object("n1007")}));
  ASSERT_TRUE(as("m-fac", {move_object("n1009", "a0"), comment_on("c1", "n1010", "a comment")}));
  ASSERT_TRUE(as("m-alice", {add_vote("v1", "n1011")}));
  ASSERT_TRUE(as("m-fac", {set_lock("n1012", true)}));
  expect_views_equal("after edits, deletes, moves, votes and locks");
  // A refused change leaves nothing behind, in the state or in what is encoded.
  ASSERT_FALSE(as("m-fac", {create_note("n9999", "made"), update_text("missing", "x")}));
  expect_views_equal("after a refused change");
}

TEST_F(WelcomeSnapshotTest, PrivateAndAnonymousObjectsAreFilteredPerViewer) {  // VIS-1..4
  notes(0, 200);
  ASSERT_TRUE(as("m-fac", {anonymous_phase("p1"), set_phase("p1"), private_writing(true)}));
  ASSERT_TRUE(as("m-alice", {create_note("alice-secret", "ALICE PRIVATE TEXT")}));
  ASSERT_TRUE(as("m-bob", {create_note("bob-secret", "BOB PRIVATE TEXT")}));
  ASSERT_TRUE(as("m-alice", {update_text("alice-secret", "ALICE EDITED")}));
  ASSERT_TRUE(as("m-fac", {open_voting("s1", "Vote", 3, 2, {"n1001", "alice-secret"}, true)}));
  ASSERT_TRUE(as("m-bob", {add_vote("bv", "n1001")}));
  expect_views_equal("private writing and a vote open");
  const std::string as_bob = assemble(encoder.build("m-bob", state, &viewers[2])).SerializeAsString();
  EXPECT_EQ(as_bob.find("ALICE EDITED"), std::string::npos);
  EXPECT_NE(as_bob.find("BOB PRIVATE TEXT"), std::string::npos);

  ASSERT_TRUE(as("m-fac", {private_writing(false)}));  // the reveal
  expect_views_equal("after the reveal");
  ASSERT_TRUE(as("m-fac", {close_voting(), show_names(true)}));
  expect_views_equal("names shown");
}

}  // namespace
}  // namespace tandem
