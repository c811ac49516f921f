// SnapshotPolicy: when a board writes a snapshot, and what of its log and older
// snapshots it may then trim (SPEC LOG-3; docs/ARCHITECTURE.md).
//
// A snapshot is due every `snapshot_every_changes` changes, or with the first change
// `snapshot_every_ms` after the last one. With `log_retention_changes` R > 0, taking
// snapshot S trims, in the same batch, the log up to the newest known snapshot P with
// P + R <= S, and every snapshot older than P: what is kept always starts at a
// snapshot (P) followed by the whole log after it, so a history replay from P and a
// load from the newest snapshot both work. R = 0 keeps everything. Owned by the
// board actor, touched on its strand only.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "config.hpp"
#include "storage/keys.hpp"
#include "storage/store.hpp"

namespace tandem {

class SnapshotPolicy {
 public:
  using Clock = std::chrono::steady_clock;

  explicit SnapshotPolicy(const BoardLimits& limits) : limits_(limits) {}

  // After a load: the newest snapshot on disk (0: none). Older ones on disk are
  // trimmed by the first trim range anyway.
  void loaded(std::uint64_t snapshot_seq, Clock::time_point now) {
    seqs_.clear();
    if (snapshot_seq) seqs_.push_back(snapshot_seq);
    trimmed_upto_ = 0;
    last_time_ = now;
  }

  std::uint64_t last_seq() const { return seqs_.empty() ? 0 : seqs_.back(); }

  // Whether the change at `seq` gets a snapshot in its batch.
  bool due(std::uint64_t seq, Clock::time_point now) const {
    if (seq <= last_seq()) return false;
    if (seq - last_seq() >= limits_.snapshot_every_changes) return true;
    return limits_.snapshot_every_ms > 0 &&
           now - last_time_ >= std::chrono::milliseconds(limits_.snapshot_every_ms);
  }

  // Records a snapshot at `seq` written in the batch of `writes`, and adds to it the
  // trims that retention allows.
  void taken(const std::string& board_id, std::uint64_t seq, Clock::time_point now,
             std::vector<storage::Write>* writes) {
    seqs_.push_back(seq);
    last_time_ = now;
    const std::uint64_t keep = limits_.log_retention_changes;
    if (keep == 0 || seq < keep) return;
    // The newest snapshot at least `keep` changes before this one.
    auto it = std::upper_bound(seqs_.begin(), seqs_.end(), seq - keep);
    if (it == seqs_.begin()) return;
    const std::uint64_t p = *std::prev(it);
    if (p <= trimmed_upto_) return;
    writes->push_back({storage::Cf::kOps, storage::seq_key(board_id, 0), storage::seq_key(board_id, p + 1),
                       storage::Write::Kind::kDeleteRange});
    writes->push_back({storage::Cf::kSnapshots, storage::seq_key(board_id, 0), storage::seq_key(board_id, p),
                       storage::Write::Kind::kDeleteRange});
    seqs_.erase(seqs_.begin(), std::prev(it));
    trimmed_upto_ = p;
  }

 private:
  const BoardLimits& limits_;
  std::vector<std::uint64_t> seqs_;  // the board's snapshots known since its load, ascending
  std::uint64_t trimmed_upto_ = 0;   // the log is trimmed up to this seq (this session)
  Clock::time_point last_time_{};
};

}  // namespace tandem
