// Store and GroupCommitter on a failing disk (tests/support/faulty_fs.hpp): every
// call is answered, the log is made writable again by itself (docs/ARCHITECTURE.md).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <future>
#include <thread>

#include "storage/group_committer.hpp"
#include "storage/store.hpp"
#include "support/faulty_fs.hpp"
#include "support/temp_dir.hpp"

namespace tandem::storage {
namespace {

using namespace std::chrono_literals;

constexpr RetryBackoff kFast{5ms, 40ms};

std::vector<Write> change(const std::string& board, std::uint64_t seq) {
  return {{Cf::kOps, seq_key(board, seq), "change-" + std::to_string(seq)}};
}

Status write_now(Store& store, const std::vector<Write>& writes) {
  std::vector<const Write*> ptrs;
  for (const auto& w : writes) ptrs.push_back(&w);
  return store.write(ptrs, Durability::kSync);
}

Status submit_and_wait(GroupCommitter& c, const std::string& board, std::vector<Write> writes) {
  std::promise<Status> p;
  c.submit(board, std::move(writes), [&](const Status& s) { p.set_value(s); });
  auto f = p.get_future();
  if (f.wait_for(30s) != std::future_status::ready) return Status::Unavailable("no answer in 30 s");
  return f.get();
}

template <typename Pred>
bool wait_for(Pred pred, std::chrono::milliseconds deadline = 10s) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(2ms);  // polling a condition, with a deadline
  }
  return true;
}

TEST(StoreFault, ADiskThatStaysFullAnswersEveryCallThenResumes) {
  testing::TempDir dir;
  auto fs = std::make_shared<testing::FaultyFs>();
  std::unique_ptr<Store> store;
  ASSERT_TRUE(Store::open(dir.path(), &store, testing::FaultyFs::env(fs), kFast).ok());
  ASSERT_TRUE(write_now(*store, {{Cf::kBoards, board_key("b"), "meta"}}).ok());
  ASSERT_TRUE(write_now(*store, change("b", 1)).ok());

  fs->fail(true);
  for (int attempt = 0; attempt < 5; ++attempt) {
    Status s = write_now(*store, change("b", 2));
    EXPECT_FALSE(s.ok()) << "attempt " << attempt;
    EXPECT_TRUE(store->needs_recovery());
  }
  // Reads go on from a read-only handle while the disk is full.
  BoardImage img;
  ASSERT_TRUE(store->load_board("b", 0, &img).ok());
  EXPECT_EQ(img.changes.size(), 1u);
  EXPECT_EQ(store->count_keys(Cf::kOps), std::optional<std::uint64_t>(1));

  // Not even a read-only handle: every call answers with an error, none crashes
  // (the store used to keep a null handle and crash on the next call).
  fs->fail_reads(true);
  EXPECT_FALSE(write_now(*store, change("b", 2)).ok());
  EXPECT_FALSE(store->load_board("b", 0, &img).ok());
  std::vector<std::string> out;
  EXPECT_FALSE(store->read_changes("b", 1, 10, 10, &out).ok());
  std::optional<ClientRecord> rec;
  EXPECT_FALSE(store->get_client("b", "c", &rec).ok());
  EXPECT_EQ(store->count_keys(Cf::kOps), std::nullopt);
  EXPECT_FALSE(write_now(*store, change("b", 2)).ok());

  fs->fail_reads(false);
  fs->fail(false);
  Status s = write_now(*store, change("b", 2));  // waits for the next retry (at most 40 ms)
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_FALSE(store->needs_recovery());
  ASSERT_TRUE(store->load_board("b", 0, &img).ok());
  ASSERT_EQ(img.changes.size(), 2u);
  EXPECT_EQ(img.changes.back(), "change-2");
}

TEST(StoreFault, WritesResumeByThemselvesWhenSpaceReturns) {
  testing::TempDir dir;
  auto fs = std::make_shared<testing::FaultyFs>();
  std::unique_ptr<Store> store;
  ASSERT_TRUE(Store::open(dir.path(), &store, testing::FaultyFs::env(fs), kFast).ok());
  GroupCommitter committer(*store, Durability::kSync);
  ASSERT_TRUE(submit_and_wait(committer, "b", change("b", 1)).ok());

  fs->fail(true);
  EXPECT_FALSE(submit_and_wait(committer, "b", change("b", 2)).ok());
  // The poisoned board's next request fails at once, without touching the disk.
  EXPECT_FALSE(submit_and_wait(committer, "b", change("b", 2)).ok());
  EXPECT_TRUE(store->needs_recovery());
  // The storage thread keeps retrying on its backoff; the disk stays full meanwhile.
  std::this_thread::sleep_for(100ms);  // time for several failing retries, not a sync point
  EXPECT_TRUE(store->needs_recovery());

  fs->fail(false);
  const auto room = std::chrono::steady_clock::now();
  // Nothing is submitted: the storage thread makes the log writable by itself.
  EXPECT_TRUE(wait_for([&] { return !store->needs_recovery(); }));
  std::printf("writable again %lld ms after the disk had room (backoff 5..40 ms)\n",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::steady_clock::now() - room).count()));
  EXPECT_TRUE(submit_and_wait(committer, "other", change("other", 1)).ok());
  committer.clear_poison("b");  // what a board does when it reloads
  EXPECT_TRUE(submit_and_wait(committer, "b", change("b", 2)).ok());
  EXPECT_EQ(store->count_keys(Cf::kOps), std::optional<std::uint64_t>(3));
}

TEST(StoreFault, CountKeysAndLoadsFailCleanlyWhenTheScanFails) {
  testing::TempDir dir;
  auto fs = std::make_shared<testing::FaultyFs>();
  for (int round = 0; round < 2; ++round) {  // the second open flushes the WAL to a table file
    std::unique_ptr<Store> store;
    ASSERT_TRUE(Store::open(dir.path(), &store, testing::FaultyFs::env(fs), kFast).ok());
    if (round == 0) {
      ASSERT_TRUE(write_now(*store, {{Cf::kBoards, board_key("b"), "meta"}}).ok());
      for (std::uint64_t seq = 1; seq <= 200; ++seq) ASSERT_TRUE(write_now(*store, change("b", seq)).ok());
    }
  }
  std::unique_ptr<Store> store;
  ASSERT_TRUE(Store::open(dir.path(), &store, testing::FaultyFs::env(fs), kFast).ok());
  fs->fail_reads(true);  // the table's data blocks are not cached yet: the scan reads them
  EXPECT_EQ(store->count_keys(Cf::kOps), std::nullopt);
  BoardImage img;
  EXPECT_FALSE(store->load_board("b", 0, &img).ok());
  fs->fail_reads(false);
  EXPECT_EQ(store->count_keys(Cf::kOps), std::optional<std::uint64_t>(200));
}

}  // namespace
}  // namespace tandem::storage
