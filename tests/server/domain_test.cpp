// Discovery and backlog boards through the real server: templates, promote across
// two boards (PROMOTE-*), and a promote racing a delete of its note.
#include <gtest/gtest.h>

#include "server.hpp"
#include "storage/keys.hpp"
#include "storage/store.hpp"
#include "support/ops.hpp"
#include "support/sync_client.hpp"
#include "support/server_fixture.hpp"
#include "support/temp_dir.hpp"

namespace tandem {
namespace {

using namespace std::chrono_literals;
using namespace tandem::testing;
using Ops = google::protobuf::RepeatedPtrField<v1::Op>;

class DomainTest : public SyncServerFixture {
 protected:
  // Edit rights on a backlog board, for a promote (ROLE-4).
  std::string edit(const std::string& board) { return server->member_token(board, v1::ROLE_EDITOR, "promoter"); }
};

TEST_F(DomainTest, ABoardFromATemplateStartsWithItsLayout) {  // TPL-1
  auto meta = board_meta(v1::BOARD_KIND_DISCOVERY, v1::BOARD_TEMPLATE_OPPORTUNITY_SOLUTION_EXPERIMENT);
  auto a = client("ose", "a", &meta);
  EXPECT_EQ(a->state().seq(), 1u);  // the template is the first change
  std::vector<std::string> lanes;
  auto snap = a->state().snapshot();
  bool has_experiment = false;
  for (const auto& o : snap.objects()) {
    if (o.type() == v1::OBJECT_TYPE_GROUP)
      for (const auto& f : o.fields())
        if (f.name() == "title") lanes.push_back(f.value().text());
    has_experiment |= o.type() == v1::OBJECT_TYPE_EXPERIMENT;
  }
  EXPECT_EQ(lanes, (std::vector<std::string>{"Opportunities", "Solutions", "Experiments"}));
  EXPECT_TRUE(has_experiment);
  // A second client sees the same board, and it survives a restart.
  auto b = client("ose", "b");
  EXPECT_EQ(b->state().snapshot().SerializeAsString(), snap.SerializeAsString());
  restart();
  auto c = client("ose", "c");
  EXPECT_EQ(c->state().snapshot().SerializeAsString(), snap.SerializeAsString());
}

TEST_F(DomainTest, APromotedNoteBecomesALinkedBacklogItem) {  // PROMOTE-1, PROMOTE-2
  auto backlog_meta = board_meta(v1::BOARD_KIND_BACKLOG);
  auto discovery_meta = board_meta(v1::BOARD_KIND_DISCOVERY);
  auto po = client("backlog", "po", &backlog_meta);
  auto team = client("discovery", "team", &discovery_meta);
  team->send(one(create_note("n1", "Export to spreadsheet")));
  team->send(one(promote("n1", "backlog", "item-n1", edit("backlog"))));
  ASSERT_TRUE(team->settle(0, 10s));
  EXPECT_EQ(team->rejected(), 0u);

  // The backlog gets the item, linked to the note, at the bottom, in the first column.
  ASSERT_TRUE(until(*po, [](const model::BoardState& s) { return s.find("item-n1") != nullptr; }));
  const model::Object* item = po->state().find("item-n1");
  EXPECT_EQ(item->text("title"), "Export to spreadsheet");
  EXPECT_EQ(item->text("source_board"), "discovery");
  EXPECT_EQ(item->text("source_note"), "n1");
  EXPECT_EQ(item->text("status"), "todo");
  // The note links to it and its outbox empties once the backlog answered.
  ASSERT_TRUE(until(*team, [](const model::BoardState& s) { return s.outbox().empty() && s.seq() >= 3; }));
  EXPECT_EQ(team->state().find("n1")->text("promoted_item"), "item-n1");
  EXPECT_EQ(team->state().find("n1")->text("promoted_board"), "backlog");

  // Promoting it again is refused; promoting to a board that is not a backlog
  // frees the note with an error.
  team->send(one(promote("n1", "backlog", "item-again", edit("backlog"))));
  team->send(one(create_note("n2", "Dark mode")));
  team->send(one(promote("n2", "discovery", "item-n2", edit("discovery"))));
  ASSERT_TRUE(team->settle(0, 10s));
  EXPECT_EQ(team->rejected(), 1u);
  ASSERT_TRUE(until(*team, [](const model::BoardState& s) {
    const auto* n2 = s.find("n2");
    return n2 && !n2->text("promote_error").empty();
  }));
  EXPECT_EQ(team->state().find("n2")->text("promoted_item"), "");
  EXPECT_NE(team->state().find("n2")->text("promote_error").find("not a backlog"), std::string::npos);
}

TEST_F(DomainTest, APromoteRacingADeleteEndsTheSameWayEverywhere) {  // PROMOTE-5
  auto backlog_meta = board_meta(v1::BOARD_KIND_BACKLOG);
  auto discovery_meta = board_meta(v1::BOARD_KIND_DISCOVERY);
  auto po = client("race-backlog", "po", &backlog_meta);
  auto alice = client("race", "alice", &discovery_meta);
  auto bob = client("race", "bob");
  constexpr int kRounds = 40;
  int promoted = 0, deleted_first = 0;
  for (int i = 0; i < kRounds; ++i) {
    const std::string note = "note-" + std::to_string(i), item = "item-" + std::to_string(i);
    alice->send(one(create_note(note, "idea " + std::to_string(i))));
    ASSERT_TRUE(alice->settle(0, 10s));
    ASSERT_TRUE(until(*bob, [&](const model::BoardState& s) { return s.find(note) != nullptr; }));
    // Both at once, in either order on the wire.
    if (i % 2) {
      alice->send(one(promote(note, "race-backlog", item, edit("race-backlog"))));
      bob->send(one(delete_object(note)));
    } else {
      bob->send(one(delete_object(note)));
      alice->send(one(promote(note, "race-backlog", item, edit("race-backlog"))));
    }
    const auto rejected_before = alice->rejected();
    ASSERT_TRUE(alice->settle(0, 10s));
    ASSERT_TRUE(bob->settle(0, 10s));
    const bool promote_won = alice->rejected() == rejected_before;
    if (promote_won) {
      ++promoted;
      // The item exists, linked to the (now deleted) note, exactly once.
      ASSERT_TRUE(until(*po, [&](const model::BoardState& s) { return s.find(item) != nullptr; }));
      EXPECT_EQ(po->state().find(item)->text("source_note"), note);
      ASSERT_TRUE(until(*alice, [](const model::BoardState& s) { return s.outbox().empty(); }));
    } else {
      ++deleted_first;
      EXPECT_TRUE(alice->state().outbox().empty());  // nothing was sent to the backlog
    }
    EXPECT_TRUE(alice->state().find(note)->deleted || promote_won);
  }
  // Everything agrees after the dust settles: a fresh look at both boards.
  std::uint64_t items = 0;
  auto check = client("race-backlog", "auditor");
  auto snap = check->state().snapshot();
  for (const auto& o : snap.objects()) items += o.type() == v1::OBJECT_TYPE_BACKLOG_ITEM;
  EXPECT_EQ(items, static_cast<std::uint64_t>(promoted));
  EXPECT_EQ(promoted + deleted_first, kRounds);
  std::printf("promote won %d times, delete won %d times\n", promoted, deleted_first);
}

TEST_F(DomainTest, APromoteLoggedBeforeAStopIsDeliveredExactlyOnceAfterIt) {  // PROMOTE-3
  auto backlog_meta = board_meta(v1::BOARD_KIND_BACKLOG);
  auto discovery_meta = board_meta(v1::BOARD_KIND_DISCOVERY);
  {
    auto po = client("outbox-backlog", "po", &backlog_meta);
    auto team = client("outbox", "team", &discovery_meta);
    Ops ops;
    for (int i = 0; i < 20; ++i) *ops.Add() = create_note("n" + std::to_string(i), "idea");
    team->send(ops);
    for (int i = 0; i < 20; ++i) team->send(one(promote("n" + std::to_string(i), "outbox-backlog", "i" + std::to_string(i), edit("outbox-backlog"))));
    ASSERT_TRUE(team->settle(0, 10s));  // all 20 promotes acked: in the log
  }
  restart();  // some promotes may not have reached the backlog before the stop
  auto team = client("outbox", "team2");  // loading the board resends its outbox
  ASSERT_TRUE(until(*team, [](const model::BoardState& s) { return s.outbox().empty(); }));
  auto po = client("outbox-backlog", "po2");
  int items = 0;
  auto snap = po->state().snapshot();
  for (const auto& o : snap.objects()) items += o.type() == v1::OBJECT_TYPE_BACKLOG_ITEM && !o.deleted();
  EXPECT_EQ(items, 20);
}

TEST_F(DomainTest, AnUnansweredPromoteInTheLogIsResentOnLoad) {  // PROMOTE-3
  auto backlog_meta = board_meta(v1::BOARD_KIND_BACKLOG);
  client("crash-backlog", "po", &backlog_meta).reset();
  server->shutdown();
  server.reset();
  {
    // The log as a crash leaves it: the promote is logged, its answer is not.
    std::unique_ptr<storage::Store> store;
    ASSERT_TRUE(storage::Store::open(dir.path() / "db", &store).ok());
    v1::BoardMeta meta = board_meta(v1::BOARD_KIND_DISCOVERY);
    meta.set_id("crash");
    v1::SequencedChange c1, c2;
    c1.set_seq(1);
    c1.set_author("alice");
    *c1.add_ops() = create_note("n1", "Onboarding is confusing");
    c2.set_seq(2);
    c2.set_author("alice");
    *c2.add_ops() = promote("n1", "crash-backlog", "item-1", "");
    std::vector<storage::Write> writes = {
        {storage::Cf::kBoards, storage::board_key("crash"), meta.SerializeAsString()},
        {storage::Cf::kOps, storage::seq_key("crash", 1), c1.SerializeAsString()},
        {storage::Cf::kOps, storage::seq_key("crash", 2), c2.SerializeAsString()}};
    std::vector<const storage::Write*> ptrs;
    for (const auto& w : writes) ptrs.push_back(&w);
    ASSERT_TRUE(store->write(ptrs, storage::Durability::kSync).ok());
  }
  for (int round = 0; round < 2; ++round) {  // the second load finds nothing to resend
    start();
    auto team = client("crash", "team");
    ASSERT_TRUE(until(*team, [](const model::BoardState& s) { return s.outbox().empty(); }));
    EXPECT_EQ(team->state().seq(), 3u);  // the promote_done, logged once
    auto po = client("crash-backlog", "po");
    ASSERT_NE(po->state().find("item-1"), nullptr);
    EXPECT_EQ(po->state().find("item-1")->text("title"), "Onboarding is confusing");
    EXPECT_EQ(po->state().seq(), 1u);  // created once
    team.reset();
    po.reset();
    server->shutdown();
    server.reset();
  }
  start();
}

}  // namespace
}  // namespace tandem
