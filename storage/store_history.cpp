// Store::load_history: a board's state at a past seq, for export and history (issue 13,
// protocol/SPEC.md EXPORT-*). Read in one RocksDB snapshot so a write or a trim (LOG-3)
// landing meanwhile cannot mix two versions of the board. Runs off the network threads.
#include <rocksdb/db.h>

#include <limits>
#include <memory>

#include "snapshot_guard.hpp"
#include "store.hpp"

namespace tandem::storage {
namespace {

Status rocks(const rocksdb::Status& s) {
  if (s.ok()) return Status::Ok();
  if (s.IsCorruption()) return Status::Corruption(s.ToString());
  return Status::IoError(s.ToString());
}

}  // namespace

Status Store::load_history(std::string_view board_id, std::uint64_t seq, HistoryImage* out) const {
  std::shared_lock lock(db_mu_);
  if (!db_) return Status::Unavailable("the log is closed: the disk could not be written");
  *out = HistoryImage{};
  SnapshotGuard guard{db_.get(), db_->GetSnapshot()};
  rocksdb::ReadOptions ro;
  ro.snapshot = guard.snap;

  std::string meta;
  rocksdb::Status s = db_->Get(ro, cf(Cf::kBoards), board_key(board_id), &meta);
  if (s.IsNotFound()) return Status::Ok();
  if (!s.ok()) return rocks(s);
  out->meta = std::move(meta);

  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t first_op = 0, oldest_snap = 0;
  {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(Cf::kOps)));
    it->SeekForPrev(seq_key(board_id, kMax));
    if (it->Valid())
      if (auto k = parse_seq_key(it->key().ToStringView(), board_id)) out->head_seq = *k;
    it->Seek(seq_key(board_id, 0));
    if (it->Valid())
      if (auto k = parse_seq_key(it->key().ToStringView(), board_id)) first_op = *k;
    if (!it->status().ok()) return rocks(it->status());
  }
  {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(Cf::kSnapshots)));
    it->Seek(seq_key(board_id, 0));
    if (it->Valid())
      if (auto k = parse_seq_key(it->key().ToStringView(), board_id)) oldest_snap = *k;
    if (!it->status().ok()) return rocks(it->status());
  }
  if (out->head_seq == 0) out->first_seq = 0;
  else if (first_op <= 1) out->first_seq = 1;
  else out->first_seq = oldest_snap ? oldest_snap : first_op;  // trimmed: starts at a snapshot (LOG-3)

  out->seq = seq == kMax ? out->head_seq : seq;
  if (out->seq > out->head_seq || out->seq < out->first_seq) {
    out->in_range = false;
    return Status::Ok();
  }
  {  // The newest snapshot at or before `seq`.
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(Cf::kSnapshots)));
    it->SeekForPrev(seq_key(board_id, out->seq));
    if (it->Valid())
      if (auto k = parse_seq_key(it->key().ToStringView(), board_id)) {
        out->snapshot_seq = *k;
        out->snapshot = it->value().ToString();
      }
    if (!it->status().ok()) return rocks(it->status());
  }
  {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(Cf::kOps)));
    std::uint64_t expect = out->snapshot_seq + 1;
    for (it->Seek(seq_key(board_id, expect)); it->Valid(); it->Next()) {
      auto k = parse_seq_key(it->key().ToStringView(), board_id);
      if (!k || *k > out->seq) break;
      if (*k != expect)
        return Status::Corruption("board " + std::string(board_id) + ": gap in log at seq " + std::to_string(expect));
      out->changes.push_back(it->value().ToString());
      ++expect;
    }
    if (!it->status().ok()) return rocks(it->status());
    if (expect != out->seq + 1)
      return Status::Corruption("board " + std::string(board_id) + ": log ends before seq " + std::to_string(out->seq));
  }
  return Status::Ok();
}

}  // namespace tandem::storage
