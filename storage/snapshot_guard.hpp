// SnapshotGuard: a RocksDB snapshot held for one consistent read across column families
// (store_history.cpp, store_placement.cpp), released when the read is done.
#pragma once

#include <rocksdb/db.h>

namespace tandem::storage {

struct SnapshotGuard {
  rocksdb::DB* db;
  const rocksdb::Snapshot* snap;
  ~SnapshotGuard() { db->ReleaseSnapshot(snap); }
};

}  // namespace tandem::storage
