// Store and GroupCommitter against a real RocksDB in a temp folder.
#include "storage/store.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "storage/group_committer.hpp"
#include "support/temp_dir.hpp"

namespace tandem::storage {
namespace {

std::unique_ptr<Store> open_store(const std::filesystem::path& p) {
  std::unique_ptr<Store> s;
  Status st = Store::open(p, &s);
  EXPECT_TRUE(st.ok()) << st.to_string();
  return s;
}

ClientRecord record(std::uint64_t client_seq, std::uint64_t seq) {
  ClientRecord r;
  r.member_id = "m";
  r.record(client_seq, {Outcome::Kind::kApplied, seq});
  return r;
}

std::vector<Write> change_writes(const std::string& board, std::uint64_t seq, const std::string& client,
                                 std::uint64_t client_seq) {
  return {{Cf::kOps, seq_key(board, seq), "change-" + std::to_string(seq)},
          {Cf::kClients, client_key(board, client), encode_client_record(record(client_seq, seq))}};
}

Status write_now(Store& store, const std::vector<Write>& writes) {
  std::vector<const Write*> ptrs;
  for (const auto& w : writes) ptrs.push_back(&w);
  return store.write(ptrs, Durability::kSync);
}

TEST(Store, LogReadsBackAfterReopen) {
  testing::TempDir dir;
  {
    auto store = open_store(dir.path());
    ASSERT_TRUE(write_now(*store, {{Cf::kBoards, board_key("b1"), "meta"}}).ok());
    for (std::uint64_t seq = 1; seq <= 300; ++seq) ASSERT_TRUE(write_now(*store, change_writes("b1", seq, "c1", seq)).ok());
    ASSERT_TRUE(write_now(*store, change_writes("b2", 1, "c1", 1)).ok());  // another board
  }
  auto store = open_store(dir.path());
  std::vector<std::string> out;
  ASSERT_TRUE(store->read_changes("b1", 100, 104, 1000, &out).ok());
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out.front(), "change-100");
  EXPECT_EQ(out.back(), "change-104");
  ASSERT_TRUE(store->read_changes("b1", 299, 10000, 1000, &out).ok());
  EXPECT_EQ(out.size(), 2u);  // 299, 300: board b2's seq 1 is not read

  BoardImage img;
  ASSERT_TRUE(store->load_board("b1", 0, &img).ok());
  ASSERT_TRUE(img.meta.has_value());
  EXPECT_EQ(img.changes.size(), 300u);
  EXPECT_EQ(img.first_seq, 1u);
  EXPECT_FALSE(img.snapshot.has_value());
}

TEST(Store, LoadBoardStartsAtNewestSnapshotWithTail) {
  testing::TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(write_now(*store, {{Cf::kBoards, board_key("b"), "meta"}}).ok());
  for (std::uint64_t seq = 1; seq <= 50; ++seq) {
    auto w = change_writes("b", seq, "c", seq);
    if (seq == 20 || seq == 40) w.push_back({Cf::kSnapshots, seq_key("b", seq), "snap-" + std::to_string(seq)});
    ASSERT_TRUE(write_now(*store, w).ok());
  }
  BoardImage img;
  ASSERT_TRUE(store->load_board("b", 5, &img).ok());
  EXPECT_EQ(img.snapshot_seq, 40u);
  EXPECT_EQ(img.snapshot, "snap-40");
  EXPECT_EQ(img.first_seq, 36u);  // 5 changes of tail before the snapshot
  EXPECT_EQ(img.changes.size(), 15u);
  EXPECT_EQ(img.changes.back(), "change-50");
}

TEST(Store, UnknownBoardHasNoMeta) {
  testing::TempDir dir;
  auto store = open_store(dir.path());
  BoardImage img;
  ASSERT_TRUE(store->load_board("nope", 10, &img).ok());
  EXPECT_FALSE(img.meta.has_value());
}

TEST(Store, DedupRecordIsWrittenWithTheChange) {
  testing::TempDir dir;
  {
    auto store = open_store(dir.path());
    ASSERT_TRUE(write_now(*store, {{Cf::kBoards, board_key("b"), "meta"}}).ok());
    ASSERT_TRUE(write_now(*store, change_writes("b", 1, "client-a", 7)).ok());
    ASSERT_TRUE(write_now(*store, change_writes("b", 2, "client-a", 9)).ok());
    ASSERT_TRUE(write_now(*store, change_writes("b", 3, "client-b", 1)).ok());
  }
  auto store = open_store(dir.path());
  std::optional<ClientRecord> rec;
  ASSERT_TRUE(store->get_client("b", "client-a", &rec).ok());
  ASSERT_TRUE(rec.has_value());
  EXPECT_EQ(*rec, record(9, 2));
  BoardImage img;
  ASSERT_TRUE(store->load_board("b", 0, &img).ok());
  EXPECT_EQ(img.clients.size(), 2u);
  EXPECT_EQ(img.clients.at("client-b"), record(1, 3));
}

TEST(GroupCommitter, WritesEveryRequestAndCallsDoneInOrder) {
  testing::TempDir dir;
  auto store = open_store(dir.path());
  GroupCommitter committer(*store, Durability::kSync);
  constexpr int kThreads = 4, kPerThread = 250;
  std::mutex mu;
  std::vector<std::uint64_t> done_order[kThreads];
  std::vector<std::promise<void>> finished(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string board = "board-" + std::to_string(t);
      for (int i = 1; i <= kPerThread; ++i) {
        committer.submit(board, change_writes(board, i, "c", i), [&, t, i](const Status& s) {
          EXPECT_TRUE(s.ok()) << s.to_string();
          std::lock_guard<std::mutex> lock(mu);
          done_order[t].push_back(i);
          if (i == kPerThread) finished[t].set_value();
        });
      }
    });
  }
  for (auto& th : threads) th.join();
  for (auto& f : finished) ASSERT_EQ(f.get_future().wait_for(std::chrono::seconds(30)), std::future_status::ready);
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(done_order[t].size(), static_cast<std::size_t>(kPerThread));
    for (int i = 0; i < kPerThread; ++i) EXPECT_EQ(done_order[t][i], static_cast<std::uint64_t>(i + 1));
  }
  auto stats = committer.stats();
  EXPECT_EQ(stats.requests, static_cast<std::uint64_t>(kThreads * kPerThread));
  EXPECT_LE(stats.batches, stats.requests);  // grouped, never more batches than requests
  EXPECT_EQ(store->count_keys(Cf::kOps), static_cast<std::uint64_t>(kThreads * kPerThread));
}

TEST(GroupCommitter, SubmitAfterStopFailsAtOnce) {
  testing::TempDir dir;
  auto store = open_store(dir.path());
  GroupCommitter committer(*store, Durability::kWal);
  committer.stop();
  bool called = false;
  committer.submit("b", change_writes("b", 1, "c", 1), [&](const Status& s) {
    called = true;
    EXPECT_FALSE(s.ok());
  });
  EXPECT_TRUE(called);
  EXPECT_EQ(store->count_keys(Cf::kOps), 0u);
}

}  // namespace
}  // namespace tandem::storage
