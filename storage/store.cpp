#include "store.hpp"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <mutex>
#include <thread>

namespace tandem::storage {
namespace {

Status from_rocks(const rocksdb::Status& s) {
  if (s.ok()) return Status::Ok();
  if (s.IsNotFound()) return Status::NotFound(s.ToString());
  if (s.IsCorruption()) return Status::Corruption(s.ToString());
  if (s.IsInvalidArgument()) return Status::InvalidArgument(s.ToString());
  if (s.IsIOError() || s.IsNoSpace()) return Status::IoError(s.ToString());
  return Status::Unavailable(s.ToString());
}

// The database could not be opened again after a failed write (a disk that stays
// full): every call answers with an error until a write reopens it.
Status closed() { return Status::Unavailable("the log is closed: the disk could not be written"); }

}  // namespace

std::optional<Durability> parse_durability(std::string_view s) {
  if (s == "sync") return Durability::kSync;
  if (s == "wal") return Durability::kWal;
  return std::nullopt;
}

const char* durability_name(Durability d) { return d == Durability::kSync ? "sync" : "wal"; }

Status Store::open(const std::filesystem::path& dir, std::unique_ptr<Store>* out, std::shared_ptr<rocksdb::Env> env,
                   RetryBackoff backoff) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IoError("cannot create " + dir.string() + ": " + ec.message());
  std::unique_ptr<Store> store(new Store());
  store->dir_ = dir;
  store->env_ = std::move(env);
  store->backoff_ = backoff;
  Status s = store->open_db();
  if (!s.ok()) return s;
  *out = std::move(store);
  return Status::Ok();
}

Status Store::open_db(bool read_only) {
  rocksdb::DBOptions db_opts;
  db_opts.create_if_missing = true;
  db_opts.create_missing_column_families = true;
  db_opts.max_background_jobs = 2;
  db_opts.keep_log_file_num = 5;
  if (env_) db_opts.env = env_.get();

  rocksdb::ColumnFamilyOptions cf_opts;
  cf_opts.OptimizeLevelStyleCompaction(64 << 20);
  std::vector<rocksdb::ColumnFamilyDescriptor> descs;
  for (const char* name : kCfNames) descs.emplace_back(name, cf_opts);

  rocksdb::DB* raw = nullptr;
  handles_.clear();
  rocksdb::Status s = read_only ? rocksdb::DB::OpenForReadOnly(db_opts, dir_.string(), descs, &handles_, &raw)
                                : rocksdb::DB::Open(db_opts, dir_.string(), descs, &handles_, &raw);
  if (!s.ok()) return from_rocks(s);
  db_.reset(raw);
  read_only_ = read_only;
  return Status::Ok();
}

void Store::close_db() {
  if (!db_) return;
  for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  handles_.clear();
  db_->Close().PermitUncheckedError();
  db_.reset();
}

Store::~Store() { close_db(); }

Status Store::load_board(std::string_view board_id, std::uint64_t tail_hint, BoardImage* out) const {
  std::shared_lock lock(db_mu_);
  if (!db_) return closed();
  *out = BoardImage{};
  std::string meta;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(Cf::kBoards), board_key(board_id), &meta);
  if (s.IsNotFound()) return Status::Ok();
  if (!s.ok()) return from_rocks(s);
  out->meta = std::move(meta);

  {  // The newest snapshot: the last key with this board's prefix.
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(Cf::kSnapshots)));
    it->SeekForPrev(seq_key(board_id, std::numeric_limits<std::uint64_t>::max()));
    if (it->Valid()) {
      if (auto seq = parse_seq_key(it->key().ToStringView(), board_id)) {
        out->snapshot_seq = *seq;
        out->snapshot = it->value().ToString();
      }
    }
    if (!it->status().ok()) return from_rocks(it->status());
  }

  std::uint64_t from = out->snapshot_seq + 1;
  from = from > tail_hint ? from - tail_hint : 1;
  {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(Cf::kOps)));
    std::uint64_t expect = 0;
    for (it->Seek(seq_key(board_id, from)); it->Valid(); it->Next()) {
      auto seq = parse_seq_key(it->key().ToStringView(), board_id);
      if (!seq) break;
      if (expect == 0) {
        out->first_seq = *seq;
        // The log may be trimmed before the snapshot, never after it.
        if (*seq > out->snapshot_seq + 1)
          return Status::Corruption("board " + std::string(board_id) + ": log starts at " +
                                    std::to_string(*seq) + " after snapshot " +
                                    std::to_string(out->snapshot_seq));
      } else if (*seq != expect) {
        return Status::Corruption("board " + std::string(board_id) + ": gap in log at seq " +
                                  std::to_string(expect));
      }
      expect = *seq + 1;
      out->changes.push_back(it->value().ToString());
    }
    if (!it->status().ok()) return from_rocks(it->status());
  }

  {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(Cf::kClients)));
    const std::string prefix = board_prefix(board_id);
    for (it->Seek(prefix); it->Valid(); it->Next()) {
      auto client = parse_client_key(it->key().ToStringView(), board_id);
      if (!client) break;
      auto rec = decode_client_record(it->value().ToStringView());
      if (!rec) return Status::Corruption("bad client record for " + *client);
      out->clients.emplace(std::move(*client), *rec);
    }
    if (!it->status().ok()) return from_rocks(it->status());
  }

  {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(Cf::kInvites)));
    for (it->Seek(board_prefix(board_id)); it->Valid(); it->Next()) {
      auto nonce = parse_client_key(it->key().ToStringView(), board_id);
      if (!nonce) break;
      out->invites.emplace(std::move(*nonce), it->value().ToString());
    }
    if (!it->status().ok()) return from_rocks(it->status());
  }
  return Status::Ok();
}

Status Store::read_changes(std::string_view board_id, std::uint64_t from, std::uint64_t to,
                           std::size_t max, std::vector<std::string>* out) const {
  std::shared_lock lock(db_mu_);
  if (!db_) return closed();
  out->clear();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(Cf::kOps)));
  for (it->Seek(seq_key(board_id, from)); it->Valid() && out->size() < max; it->Next()) {
    auto seq = parse_seq_key(it->key().ToStringView(), board_id);
    if (!seq || *seq > to) break;
    out->push_back(it->value().ToString());
  }
  return from_rocks(it->status());
}

Status Store::get_client(std::string_view board_id, std::string_view client_id,
                         std::optional<ClientRecord>* out) const {
  std::shared_lock lock(db_mu_);
  if (!db_) return closed();
  out->reset();
  std::string v;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(Cf::kClients), client_key(board_id, client_id), &v);
  if (s.IsNotFound()) return Status::Ok();
  if (!s.ok()) return from_rocks(s);
  *out = decode_client_record(v);
  if (!*out) return Status::Corruption("bad client record");
  return Status::Ok();
}

Status Store::recover() {
  if (!needs_resume_) return Status::Ok();
  // RocksDB refuses writes after a failed one; some errors it can resume from,
  // a failed WAL write it cannot: then the database is closed and opened again.
  if (!db_ || read_only_ || !db_->Resume().ok()) {
    std::unique_lock lock(db_mu_);
    close_db();
    Status r = open_db();
    if (!r.ok()) {
      // Still no room: keep reading (boards load, members join) until a retry
      // finds room again. If even that fails, calls answer closed().
      open_db(/*read_only=*/true).ignore_error();
      last_error_ = r.message();
      delay_ = delay_ == Clock::duration::zero()
                   ? Clock::duration(backoff_.first)
                   : std::min<Clock::duration>(delay_ * 2, backoff_.max);
      next_retry_ = Clock::now() + delay_;
      return Status::Unavailable("the log is not writable: " + last_error_);
    }
  }
  needs_resume_ = false;
  delay_ = Clock::duration::zero();
  std::fprintf(stderr, "tandem: storage: the log is writable again\n");
  return Status::Ok();
}

Status Store::write(const std::vector<const Write*>& writes, Durability durability) {
  if (needs_resume_ || !db_) {
    needs_resume_ = true;
    // The writes wait for the next retry (bounded by the backoff's max), so a disk
    // that has room again soon costs latency, not errors.
    if (Clock::now() < next_retry_) std::this_thread::sleep_until(next_retry_);
    Status r = recover();
    if (!r.ok()) return r;
  }
  std::shared_lock lock(db_mu_);
  // One batch per writing thread (the storage thread), reused: its buffer keeps its
  // capacity, so a group costs no allocation and no regrowth (measured in "A lean op
  // path", docs/PERFORMANCE.md). Dropped when a rare large group made it big.
  thread_local rocksdb::WriteBatch batch;
  if (batch.GetDataSize() > (4u << 20)) batch = rocksdb::WriteBatch();
  batch.Clear();
  for (const Write* w : writes) {
    rocksdb::Status s = w->kind == Write::Kind::kPut ? batch.Put(cf(w->cf), w->key, w->value)
                                                     : batch.DeleteRange(cf(w->cf), w->key, w->value);
    if (!s.ok()) return from_rocks(s);
  }
  rocksdb::WriteOptions wo;
  wo.sync = durability == Durability::kSync;
  wo.disableWAL = false;
  Status s = from_rocks(db_->Write(wo, &batch));
  if (!s.ok()) {
    needs_resume_ = true;
    next_retry_ = Clock::now();  // the first retry at once, on the next write or by the committer
    last_error_ = s.message();
  }
  return s;
}

Status Store::list_boards(std::vector<BoardListing>* out) const {
  out->clear();
  std::shared_lock lock(db_mu_);
  if (!db_) return Status::Unavailable("the log is closed");
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(Cf::kBoards)));
  std::unique_ptr<rocksdb::Iterator> ops(db_->NewIterator(rocksdb::ReadOptions(), cf(Cf::kOps)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string id = it->key().ToString();
    BoardListing b{it->value().ToString(), 0};
    // The newest op of the board: the last key before board_end(id).
    ops->Seek(board_end(id));
    if (ops->Valid()) ops->Prev();
    else ops->SeekToLast();
    if (ops->Valid())
      if (auto seq = parse_seq_key(std::string_view(ops->key().data(), ops->key().size()), id)) b.head_seq = *seq;
    if (!ops->status().ok()) return Status::IoError(ops->status().ToString());
    out->push_back(std::move(b));
  }
  if (!it->status().ok()) return Status::IoError(it->status().ToString());
  return Status::Ok();
}

std::optional<std::uint64_t> Store::count_keys(Cf c) const {
  std::shared_lock lock(db_mu_);
  if (!db_) return std::nullopt;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(c)));
  std::uint64_t n = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++n;
  if (!it->status().ok()) return std::nullopt;
  return n;
}

}  // namespace tandem::storage
