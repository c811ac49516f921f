#include "group_committer.hpp"

#include <chrono>

namespace tandem::storage {

GroupCommitter::GroupCommitter(Store& store, Durability durability, BatchObserver observer)
    : store_(store), durability_(durability), observer_(std::move(observer)), thread_([this] { run(); }) {}

GroupCommitter::~GroupCommitter() { stop(); }

void GroupCommitter::submit(const std::string& board_id, std::vector<Write> writes, Done done) {
  Status refused;
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) {
      refused = Status::Unavailable("storage is shutting down");
    } else if (poisoned_.count(board_id)) {
      refused = Status::Unavailable("an earlier write of board " + board_id + " failed");
    } else {
      queue_.push_back(Request{board_id, std::move(writes), std::move(done)});
      // Only the first request of a group wakes the storage thread, and only when it
      // sleeps; the notify is made after unlocking, so the woken thread does not block
      // on mu_ at once (one context switch per group, not two).
      wake = queue_.size() == 1 && idle_;
      if (!wake) return;
    }
  }
  if (wake) return cv_.notify_one();
  done(refused);
}

void GroupCommitter::clear_poison(const std::string& board_id) {
  std::lock_guard<std::mutex> lock(mu_);
  poisoned_.erase(board_id);
}

void GroupCommitter::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    cv_.notify_one();
  }
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

GroupCommitter::Stats GroupCommitter::stats() const {
  return Stats{batches_.load(), requests_.load(), writes_.load(), write_ns_.load()};
}

void GroupCommitter::run() {
  std::vector<Request> group;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (!stopping_ && queue_.empty()) {
        idle_ = true;
        if (!store_.needs_recovery()) {
          cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        } else if (!cv_.wait_until(lock, store_.next_retry(), [this] { return stopping_ || !queue_.empty(); })) {
          // A failed write left the log unwritable and nothing is queued: retry on
          // the backoff by ourselves, so writes resume when the disk has room again.
          idle_ = false;
          lock.unlock();
          store_.recover().ignore_error();  // failed: the next try is after the backoff
          continue;
        }
        idle_ = false;
      }
      if (queue_.empty()) return;  // stopping and drained
      group.swap(queue_);
    }
    write_group(group);
    group.clear();
  }
}

void GroupCommitter::write_group(std::vector<Request>& group) {
  std::vector<const Write*> writes;
  for (const Request& r : group)
    for (const Write& w : r.writes) writes.push_back(&w);

  const auto t0 = std::chrono::steady_clock::now();
  Status s = store_.write(writes, durability_);
  const auto t1 = std::chrono::steady_clock::now();
  batches_.fetch_add(1, std::memory_order_relaxed);
  requests_.fetch_add(group.size(), std::memory_order_relaxed);
  writes_.fetch_add(writes.size(), std::memory_order_relaxed);
  const auto ns = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
  write_ns_.fetch_add(ns, std::memory_order_relaxed);
  if (observer_) observer_(group.size(), ns, s);

  std::vector<Request> also_failed;
  if (!s.ok()) {
    // Poison every board in the failed batch and fail what they have queued since.
    std::lock_guard<std::mutex> lock(mu_);
    for (const Request& r : group) poisoned_.insert(r.board_id);
    std::vector<Request> keep;
    for (Request& r : queue_) (poisoned_.count(r.board_id) ? also_failed : keep).push_back(std::move(r));
    queue_.swap(keep);
  }
  for (Request& r : group) r.done(s);
  for (Request& r : also_failed) r.done(s);
}

}  // namespace tandem::storage
