// A board's keys for moving it to another node (issue 14, protocol/SPEC.md CLUSTER-*):
// read whole in one RocksDB snapshot, and the writes that remove or fence it.
#include <rocksdb/db.h>

#include <memory>

#include "snapshot_guard.hpp"
#include "store.hpp"

namespace tandem::storage {
namespace {

// The key range of `board_id` in column family `c`: [begin, end).
std::pair<std::string, std::string> board_range(Cf c, std::string_view board_id) {
  switch (c) {
    case Cf::kBoards: return {board_key(board_id), board_key(board_id) + '\0'};
    case Cf::kDefault: return {fence_key(board_id), fence_key(board_id) + '\0'};
    default: return {board_prefix(board_id), board_end(board_id)};
  }
}

}  // namespace

std::vector<Write> wipe_board_writes(std::string_view board_id) {
  std::vector<Write> out;
  for (int i = 0; i < kCfCount; ++i) {
    auto [begin, end] = board_range(static_cast<Cf>(i), board_id);
    out.push_back({static_cast<Cf>(i), std::move(begin), std::move(end), Write::Kind::kDeleteRange});
  }
  return out;
}

Write fence_write(std::string_view board_id, std::uint64_t epoch) {
  std::string v;
  put_u64be(&v, epoch);
  return {Cf::kDefault, fence_key(board_id), std::move(v)};
}

Status Store::read_board_keys(std::string_view board_id, std::vector<Write>* out) const {
  out->clear();
  std::shared_lock lock(db_mu_);
  if (!db_) return Status::Unavailable("the log is closed: the disk could not be written");
  SnapshotGuard guard{db_.get(), db_->GetSnapshot()};
  rocksdb::ReadOptions ro;
  ro.snapshot = guard.snap;
  for (int i = 0; i < kCfCount; ++i) {
    const Cf c = static_cast<Cf>(i);
    auto [begin, end] = board_range(c, board_id);
    rocksdb::Slice upper(end);
    ro.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(c)));
    for (it->Seek(begin); it->Valid(); it->Next())
      out->push_back({c, it->key().ToString(), it->value().ToString()});
    if (!it->status().ok()) return Status::IoError(it->status().ToString());
  }
  return Status::Ok();
}

Status Store::read_fence(std::string_view board_id, std::uint64_t* epoch) const {
  *epoch = 0;
  std::shared_lock lock(db_mu_);
  if (!db_) return Status::Unavailable("the log is closed: the disk could not be written");
  std::string v;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(Cf::kDefault), fence_key(board_id), &v);
  if (s.IsNotFound()) return Status::Ok();
  if (!s.ok()) return Status::IoError(s.ToString());
  if (v.size() != 8) return Status::Corruption("bad fence record of board " + std::string(board_id));
  *epoch = get_u64be(v);
  return Status::Ok();
}

}  // namespace tandem::storage
