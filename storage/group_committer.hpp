// GroupCommitter: the one storage thread that writes every board's log.
//
// Any thread may call submit(); it never blocks on disk (only on a short mutex).
// The storage thread takes everything queued since its last write, writes it as one
// RocksDB WriteBatch (group commit: one fsync for many ops of many boards), then
// calls each request's `done` on the storage thread, in submit order. `done` must
// only hand the result off (post to a strand), never block.
//
// A failed write poisons the boards in it: their queued and later requests fail at
// once with the same error until clear_poison(board) is called by whoever reloaded
// that board from disk. So a board's log never gets a gap (seq 11 written, 10 lost).
//
// After a failed write the storage thread also retries making the log writable on
// the store's backoff while nothing is queued (Store::recover), so writes resume by
// themselves when the disk has room again.
//
// Guarded by mu_: queue_, poisoned_, stopping_. stats are atomics.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "store.hpp"

namespace tandem::storage {

class GroupCommitter {
 public:
  using Done = std::function<void(const Status&)>;

  struct Stats {
    std::uint64_t batches = 0;   // WriteBatches written
    std::uint64_t requests = 0;  // submit() calls written
    std::uint64_t writes = 0;    // Puts written
    std::uint64_t write_ns = 0;  // time inside Store::write
  };

  // Told of each group commit on the storage thread, after the write: the requests
  // (changes) in it, the nanoseconds inside Store::write (write and sync), and its
  // status. It must only count or log (metrics and logs, docs/OPERATIONS.md).
  using BatchObserver = std::function<void(std::size_t requests, std::uint64_t write_ns, const Status& status)>;

  GroupCommitter(Store& store, Durability durability, BatchObserver observer = {});
  ~GroupCommitter();  // stop()
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Queues `writes` of `board_id` to be written atomically, then calls done(status).
  // After stop(), done is called at once with Unavailable.
  void submit(const std::string& board_id, std::vector<Write> writes, Done done);

  // Lets a board that failed write again (call after reloading it from disk).
  void clear_poison(const std::string& board_id);

  // Writes everything queued, then ends the storage thread. Idempotent.
  void stop();

  Durability durability() const { return durability_; }
  Stats stats() const;

 private:
  struct Request {
    std::string board_id;
    std::vector<Write> writes;
    Done done;
  };

  void run();
  void write_group(std::vector<Request>& group);

  Store& store_;
  const Durability durability_;
  const BatchObserver observer_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Request> queue_;               // GUARDED_BY(mu_)
  std::unordered_set<std::string> poisoned_;  // GUARDED_BY(mu_)
  bool stopping_ = false;                    // GUARDED_BY(mu_)
  bool idle_ = false;                        // GUARDED_BY(mu_): the storage thread waits on cv_

  std::atomic<std::uint64_t> batches_{0}, requests_{0}, writes_{0}, write_ns_{0};
  std::thread thread_;
};

}  // namespace tandem::storage
