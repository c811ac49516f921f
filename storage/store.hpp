// Store: Tandem's RocksDB database (one per server) and the reads a board needs.
//
// Owns the DB and its column families (keys.hpp). Reads are thread-safe and may run
// on any thread except a network thread (they touch disk); they share db_mu_ with
// the reopen that follows a failed write. Writes go through
// `write`, which the GroupCommitter calls from its storage thread; tests may call it
// directly. Nothing here is cached: RocksDB's block cache does that.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "client_record.hpp"
#include "keys.hpp"
#include "status.hpp"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class Env;
}  // namespace rocksdb

namespace tandem::storage {

// One Put in one column family, or (kDeleteRange) the removal of the keys in
// [key, value) of it.
struct Write {
  Cf cf = Cf::kDefault;
  std::string key;
  std::string value;
  enum class Kind { kPut, kDeleteRange } kind = Kind::kPut;
};

// Writes that remove every stored key of `board_id` (all column families, the fence
// record too): put first in a batch that then writes a shipped board (CLUSTER-4), or
// alone when a board was handed over to another node.
std::vector<Write> wipe_board_writes(std::string_view board_id);
// The fence record of a log batch written under lease `epoch` (CLUSTER-3).
Write fence_write(std::string_view board_id, std::uint64_t epoch);

// When an acknowledged write is safe (DESIGN section 2, "Ack after durable").
enum class Durability {
  kSync,  // the WAL is fsynced before the write returns: survives power loss
  kWal,   // the WAL is written to the OS, not fsynced: survives a killed process
};
std::optional<Durability> parse_durability(std::string_view s);
const char* durability_name(Durability d);

// What a board needs to open: its metadata, newest snapshot and the log after it.
struct BoardImage {
  std::optional<std::string> meta;      // BoardMeta bytes; nullopt: no such board
  std::optional<std::string> snapshot;  // BoardSnapshot bytes, the newest one
  std::uint64_t snapshot_seq = 0;       // 0 when there is no snapshot
  // SequencedChange bytes with seq > first_seq - 1, in seq order, no gaps. Starts up
  // to `tail_hint` changes before the snapshot so recent catch-up can be served.
  std::vector<std::string> changes;
  std::uint64_t first_seq = 0;          // seq of changes[0]; 0 when changes is empty
  std::unordered_map<std::string, ClientRecord> clients;
  std::unordered_map<std::string, std::string> invites;  // nonce -> InviteRecord bytes
};

// A board's stored state at some seq (Store::load_history).
struct HistoryImage {
  std::optional<std::string> meta;      // BoardMeta bytes; nullopt: no such board
  std::uint64_t head_seq = 0;           // the newest logged seq (0: none)
  // The oldest seq whose state can be built: 1 while the log is whole, else the oldest
  // snapshot kept (LOG-3 retention); 0 when the board has no change.
  std::uint64_t first_seq = 0;
  std::uint64_t seq = 0;                // the seq built: min(asked, head_seq)
  std::optional<std::string> snapshot;  // BoardSnapshot bytes, the newest at or before `seq`
  std::uint64_t snapshot_seq = 0;
  std::vector<std::string> changes;     // SequencedChange bytes snapshot_seq + 1 .. seq
  bool in_range = true;                 // false: `seq` is outside first_seq..head_seq (nothing read)
};

// How often the storage thread tries to make the log writable again after a failed
// write (docs/ARCHITECTURE.md, storage faults): the first retry at once, then after
// `first`, doubling up to `max`.
struct RetryBackoff {
  std::chrono::milliseconds first{50};
  std::chrono::milliseconds max{1000};
};

class Store {
 public:
  using Clock = std::chrono::steady_clock;

  // `env`: where RocksDB does its I/O; null for the default. Tests pass an Env
  // whose files fail on demand (a full disk, a power loss).
  static Status open(const std::filesystem::path& dir, std::unique_ptr<Store>* out,
                     std::shared_ptr<rocksdb::Env> env = nullptr, RetryBackoff backoff = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Reads a board: see BoardImage. `tail_hint`: how many changes before the snapshot
  // to include as well (for catch-up of clients slightly behind it).
  Status load_board(std::string_view board_id, std::uint64_t tail_hint, BoardImage* out) const;

  // Reads the logged changes with seq in [from, to], at most `max` of them.
  Status read_changes(std::string_view board_id, std::uint64_t from, std::uint64_t to,
                      std::size_t max, std::vector<std::string>* out) const;

  // History (issue 13, SPEC EXPORT-*; store_history.cpp): the stored state of a board
  // at `seq` (UINT64_MAX: the newest) as the newest snapshot at or before it and the
  // changes after that snapshot up to it, read in one consistent view. See HistoryImage.
  Status load_history(std::string_view board_id, std::uint64_t seq, HistoryImage* out) const;

  Status get_client(std::string_view board_id, std::string_view client_id,
                    std::optional<ClientRecord>* out) const;

  // Writes all `writes` in one atomic WriteBatch. After a failed write RocksDB
  // stops writing; the next call first makes the log writable again (recover()),
  // waiting for the next retry of the backoff if one is due (at most
  // RetryBackoff::max), and fails if it cannot. Storage thread only.
  Status write(const std::vector<const Write*>& writes, Durability durability);

  // Whether the last write failed and the log has not been made writable since
  // (any thread).
  bool needs_recovery() const { return needs_resume_.load(); }
  // When recover() may try next (meaningful while needs_recovery()).
  Clock::time_point next_retry() const { return next_retry_; }  // storage thread
  // Makes the log writable again after a failed write: RocksDB's Resume, else close
  // and open again (which replays the WAL: only what was written whole is kept).
  // If that fails, the database is opened read-only (boards still load) or, if even
  // that fails, every call answers Unavailable; the next try is after the backoff.
  // Ok when nothing needed recovering. Storage thread only.
  Status recover();

  // Every board's metadata record (BoardMeta bytes, deleted ones too) with its newest
  // logged seq (0: none), in id order: `tandem board list`, GET /api/boards (SPEC API-7).
  struct BoardListing {
    std::string meta;
    std::uint64_t head_seq = 0;
  };
  Status list_boards(std::vector<BoardListing>* out) const;

  // Cluster (issue 14, SPEC CLUSTER-*; store_placement.cpp):
  // Every stored key of `board_id` in every column family (metadata, log, snapshots,
  // client records, invites, fence), read in one consistent view, as Puts that
  // recreate it on another node. Empty when the board has nothing stored.
  Status read_board_keys(std::string_view board_id, std::vector<Write>* out) const;
  // The lease epoch of the board's newest log batch (its fence record); 0 when none.
  Status read_fence(std::string_view board_id, std::uint64_t* epoch) const;

  // Counts the keys of one column family (tests and tools; scans the CF);
  // nullopt when the scan failed (the iterator's status) or the log is closed.
  std::optional<std::uint64_t> count_keys(Cf cf) const;

 private:
  Store() = default;
  Status open_db(bool read_only = false);  // db_mu_ held exclusively, or no other thread yet
  void close_db();    // the same
  rocksdb::ColumnFamilyHandle* cf(Cf c) const { return handles_[static_cast<int>(c)]; }

  std::filesystem::path dir_;
  std::shared_ptr<rocksdb::Env> env_;  // outlives db_
  // Readers hold db_mu_ shared; reopening after a failed write holds it exclusively.
  mutable std::shared_mutex db_mu_;
  std::unique_ptr<rocksdb::DB> db_;                    // GUARDED_BY(db_mu_)
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // GUARDED_BY(db_mu_)
  std::atomic<bool> needs_resume_{false};  // written by the storage thread only
  bool read_only_ = false;     // opened for reading only: the disk had no room (storage thread)
  RetryBackoff backoff_;
  Clock::duration delay_{};       // the current backoff; zero: retry at once (storage thread)
  Clock::time_point next_retry_;  // storage thread
  std::string last_error_;        // why the log is not writable (storage thread)
};

}  // namespace tandem::storage
