// Storage faults through the real server (issue 12; docs/ARCHITECTURE.md): a promote
// whose backlog board cannot write its log is answered and sent again (PROMOTE-6),
// and log retention trims the log and superseded snapshots while a board still
// loads equal (LOG-3).
#include <gtest/gtest.h>

#include "server.hpp"
#include "storage/keys.hpp"
#include "storage/store.hpp"
#include "support/faulty_fs.hpp"
#include "support/server_fixture.hpp"
#include "support/ops.hpp"
#include "support/sync_client.hpp"
#include "support/temp_dir.hpp"

namespace tandem {
namespace {

using namespace std::chrono_literals;
using namespace tandem::testing;

// The server starts when a test has set up its disk (cfg.storage_env, limits).
class StorageFaultTest : public SyncServerFixture {
 protected:
  void SetUp() override {}
};

TEST_F(StorageFaultTest, APromoteToABacklogWhoseDiskFailsIsAnsweredAndSentAgain) {  // PROMOTE-6
  auto fs = std::make_shared<FaultyFs>();
  cfg.storage_env = FaultyFs::env(fs);
  start();
  auto backlog_meta = board_meta(v1::BOARD_KIND_BACKLOG);
  auto discovery_meta = board_meta(v1::BOARD_KIND_DISCOVERY);
  client("backlog", "po", &backlog_meta)->disconnect();
  auto team = client("discovery", "team", &discovery_meta);
  team->send(one(create_note("n1", "Export to spreadsheet")));
  ASSERT_TRUE(team->settle(0, 10s));
  const std::string edit = server->member_token("backlog", v1::ROLE_EDITOR, "promoter");
  TestClient watcher(server->port());  // a member of the backlog board
  watcher.join("backlog", "watcher", 0, server->member_token("backlog", v1::ROLE_EDITOR, "watcher"));

  // The promote itself is written (synced); the disk is full right after it, so the
  // backlog board's item cannot be written.
  fs->fail_after_syncs(1);
  team->send(one(promote("n1", "backlog", "item-n1", edit)));
  ASSERT_TRUE(team->settle(0, 10s));
  EXPECT_EQ(team->rejected(), 0u);
  // The backlog board failed its log: its member is closed (CLOSE-3 4003).
  EXPECT_EQ(watcher.wait_closed(), 4003);
  team->pump();
  EXPECT_FALSE(team->state().outbox().empty());  // not decided: no PromoteDone logged
  EXPECT_EQ(team->state().find("n1")->text("promote_error"), "");

  // Room again. The promote was answered (not left in flight), so the discovery
  // board closes when its last member leaves and sends it again when it loads
  // (PROMOTE-3); it used to wait for a restart.
  fs->fail(false);
  team->disconnect();
  team.reset();
  auto again = client("discovery", "team-2");
  ASSERT_TRUE(until(*again, [](const model::BoardState& s) { return s.outbox().empty(); }));
  EXPECT_EQ(again->state().find("n1")->text("promoted_item"), "item-n1");
  EXPECT_EQ(again->state().find("n1")->text("promote_error"), "");
  auto po2 = client("backlog", "po-2");
  ASSERT_NE(po2->state().find("item-n1"), nullptr);
  EXPECT_EQ(po2->state().find("item-n1")->text("source_note"), "n1");
}

TEST_F(StorageFaultTest, RetentionTrimsTheLogAndOldSnapshotsAndTheBoardLoadsEqual) {  // LOG-2, LOG-3
  cfg.board.snapshot_every_changes = 10;
  cfg.board.snapshot_every_ms = 0;
  cfg.board.log_retention_changes = 25;
  cfg.board.catchup_max_changes = 20;
  start();
  auto meta = board_meta(v1::BOARD_KIND_DISCOVERY);
  auto a = client("kept", "a", &meta);
  a->send(one(create_note("n", "v0")));
  for (int i = 1; i <= 120; ++i) a->send(one(update_text("n", "v" + std::to_string(i))));
  ASSERT_TRUE(a->settle(0, 30s));
  ASSERT_EQ(a->rejected(), 0u);
  const std::uint64_t head = a->state().seq();
  const std::string snapshot = a->state().snapshot().SerializeAsString();
  ASSERT_GE(head, 121u);
  stop();

  // Snapshots at every 10th seq; the newest S; the log kept from the newest
  // snapshot P with P + 25 <= S, and no snapshot before P.
  const std::uint64_t s_newest = head / 10 * 10;
  const std::uint64_t p = (s_newest - 25) / 10 * 10;
  {
    std::unique_ptr<storage::Store> store;
    ASSERT_TRUE(storage::Store::open(dir.path() / "db", &store).ok());
    EXPECT_EQ(store->count_keys(storage::Cf::kOps), std::optional<std::uint64_t>(head - p));
    EXPECT_EQ(store->count_keys(storage::Cf::kSnapshots), std::optional<std::uint64_t>((s_newest - p) / 10 + 1));
    storage::BoardImage img;
    ASSERT_TRUE(store->load_board("kept", 1u << 30, &img).ok());
    EXPECT_EQ(img.first_seq, p + 1);  // the log follows the oldest kept snapshot
    EXPECT_EQ(img.snapshot_seq, s_newest);
  }

  // The board loads from the newest snapshot and its tail: the same board (LOG-2),
  // and it goes on.
  start();
  auto b = client("kept", "b");
  EXPECT_EQ(b->state().seq(), head);
  EXPECT_EQ(b->state().snapshot().SerializeAsString(), snapshot);
  b->send(one(update_text("n", "after")));
  ASSERT_TRUE(b->settle(0, 10s));
  EXPECT_EQ(b->state().find("n")->text("text"), "after");
}

TEST_F(StorageFaultTest, KeepAllByDefault) {  // LOG-3
  cfg.board.snapshot_every_changes = 10;
  start();
  auto meta = board_meta(v1::BOARD_KIND_DISCOVERY);
  auto a = client("all", "a", &meta);
  a->send(one(create_note("n", "v0")));
  for (int i = 1; i <= 40; ++i) a->send(one(update_text("n", "v" + std::to_string(i))));
  ASSERT_TRUE(a->settle(0, 30s));
  const std::uint64_t head = a->state().seq();
  stop();
  std::unique_ptr<storage::Store> store;
  ASSERT_TRUE(storage::Store::open(dir.path() / "db", &store).ok());
  EXPECT_EQ(store->count_keys(storage::Cf::kOps), std::optional<std::uint64_t>(head));
  EXPECT_EQ(store->count_keys(storage::Cf::kSnapshots), std::optional<std::uint64_t>(head / 10));
}

}  // namespace
}  // namespace tandem
