// PowerLossFs: RocksDB's real file system that remembers how much of each file it
// wrote was synced, to play a power loss (docs/ARCHITECTURE.md, durability):
//   power_off()   from now on nothing reaches the disk: every write, sync, new file,
//                 rename and delete fails (the machine is off; the process may go on)
//   drop_unsynced()  what the disk keeps: every file written through this file
//                 system is cut back to its last synced length (never synced: empty)
// Not modelled: directory entries (a new or renamed file is kept even if its folder
// was not synced) and torn sectors; RocksDB syncs its folders and checksums records.
#pragma once

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace tandem::testing {

class PowerLossFs : public rocksdb::FileSystemWrapper {
 public:
  PowerLossFs() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  static const char* kClassName() { return "TandemPowerLossFs"; }
  const char* Name() const override { return kClassName(); }

  void power_off() { state_->off.store(true); }

  // Cuts every file back to what was synced; call after power_off() and closing the DB.
  void drop_unsynced() {
    std::lock_guard<std::mutex> lock(state_->mu);
    for (const auto& [name, synced] : state_->synced) {
      std::error_code ec;
      if (std::filesystem::exists(name, ec) && std::filesystem::file_size(name, ec) > synced) {
        state_->dropped_bytes += std::filesystem::file_size(name, ec) - synced;
        std::filesystem::resize_file(name, synced, ec);
      }
    }
  }
  std::uint64_t dropped_bytes() const {
    std::lock_guard<std::mutex> lock(state_->mu);
    return state_->dropped_bytes;
  }

  rocksdb::IOStatus NewWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                    std::unique_ptr<rocksdb::FSWritableFile>* r, rocksdb::IODebugContext* dbg) override {
    if (state_->off.load()) return off();
    rocksdb::IOStatus s = target()->NewWritableFile(f, o, r, dbg);
    if (s.ok()) wrap(f, 0, r);
    return s;
  }
  rocksdb::IOStatus ReopenWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                       std::unique_ptr<rocksdb::FSWritableFile>* r, rocksdb::IODebugContext* dbg) override {
    if (state_->off.load()) return off();
    std::error_code ec;
    const auto size = std::filesystem::exists(f, ec) ? std::filesystem::file_size(f, ec) : 0;
    rocksdb::IOStatus s = target()->ReopenWritableFile(f, o, r, dbg);
    if (s.ok()) wrap(f, size, r);  // what was there before is on the disk
    return s;
  }
  rocksdb::IOStatus ReuseWritableFile(const std::string& f, const std::string& old, const rocksdb::FileOptions& o,
                                      std::unique_ptr<rocksdb::FSWritableFile>* r, rocksdb::IODebugContext* dbg) override {
    if (state_->off.load()) return off();
    rocksdb::IOStatus s = target()->ReuseWritableFile(f, old, o, r, dbg);
    if (s.ok()) {
      forget(old);
      wrap(f, 0, r);
    }
    return s;
  }
  rocksdb::IOStatus RenameFile(const std::string& src, const std::string& dst, const rocksdb::IOOptions& o,
                               rocksdb::IODebugContext* dbg) override {
    if (state_->off.load()) return off();
    rocksdb::IOStatus s = target()->RenameFile(src, dst, o, dbg);
    if (s.ok()) {
      std::lock_guard<std::mutex> lock(state_->mu);
      auto it = state_->synced.find(src);
      if (it != state_->synced.end()) {
        state_->synced[dst] = it->second;
        state_->synced.erase(src);
      } else {
        state_->synced.erase(dst);
      }
    }
    return s;
  }
  rocksdb::IOStatus DeleteFile(const std::string& f, const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
    if (state_->off.load()) return off();
    rocksdb::IOStatus s = target()->DeleteFile(f, o, dbg);
    if (s.ok()) forget(f);
    return s;
  }

  // An Env for RocksDB's options that does its file I/O through `fs`.
  static std::shared_ptr<rocksdb::Env> env(const std::shared_ptr<PowerLossFs>& fs) {
    return std::shared_ptr<rocksdb::Env>(rocksdb::NewCompositeEnv(fs).release());
  }

 private:
  struct State {
    std::atomic<bool> off{false};
    mutable std::mutex mu;
    std::map<std::string, std::uint64_t> synced;  // GUARDED_BY(mu): bytes on the disk per file
    std::uint64_t dropped_bytes = 0;              // GUARDED_BY(mu)
  };

  static rocksdb::IOStatus off() { return rocksdb::IOStatus::IOError("injected: the power is off"); }

  void forget(const std::string& f) {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->synced.erase(f);
  }
  void wrap(const std::string& f, std::uint64_t size, std::unique_ptr<rocksdb::FSWritableFile>* r) {
    {
      std::lock_guard<std::mutex> lock(state_->mu);
      state_->synced[f] = size;
    }
    *r = std::make_unique<File>(std::move(*r), state_, f, size);
  }

  class File : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(std::unique_ptr<rocksdb::FSWritableFile>&& f, std::shared_ptr<State> state, std::string name,
         std::uint64_t size)
        : FSWritableFileOwnerWrapper(std::move(f)), state_(std::move(state)), name_(std::move(name)), size_(size) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& d, const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
      if (state_->off.load()) return off();
      rocksdb::IOStatus s = FSWritableFileOwnerWrapper::Append(d, o, dbg);
      if (s.ok()) size_ += d.size();
      return s;
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& d, const rocksdb::IOOptions& o, const rocksdb::DataVerificationInfo& v,
                             rocksdb::IODebugContext* dbg) override {
      if (state_->off.load()) return off();
      rocksdb::IOStatus s = FSWritableFileOwnerWrapper::Append(d, o, v, dbg);
      if (s.ok()) size_ += d.size();
      return s;
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& d, uint64_t offset, const rocksdb::IOOptions& o,
                                       rocksdb::IODebugContext* dbg) override {
      if (state_->off.load()) return off();
      rocksdb::IOStatus s = FSWritableFileOwnerWrapper::PositionedAppend(d, offset, o, dbg);
      if (s.ok()) size_ = std::max<std::uint64_t>(size_, offset + d.size());
      return s;
    }
    rocksdb::IOStatus Truncate(uint64_t size, const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
      if (state_->off.load()) return off();
      rocksdb::IOStatus s = FSWritableFileOwnerWrapper::Truncate(size, o, dbg);
      if (s.ok()) size_ = size;
      return s;
    }
    rocksdb::IOStatus Flush(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
      return state_->off.load() ? off() : FSWritableFileOwnerWrapper::Flush(o, dbg);
    }
    rocksdb::IOStatus Sync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
      return synced(state_->off.load() ? off() : FSWritableFileOwnerWrapper::Sync(o, dbg));
    }
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
      return synced(state_->off.load() ? off() : FSWritableFileOwnerWrapper::Fsync(o, dbg));
    }
    // A range sync starts write-back; it promises nothing: not counted as synced.
    rocksdb::IOStatus RangeSync(uint64_t offset, uint64_t nbytes, const rocksdb::IOOptions& o,
                                rocksdb::IODebugContext* dbg) override {
      return state_->off.load() ? off() : FSWritableFileOwnerWrapper::RangeSync(offset, nbytes, o, dbg);
    }

   private:
    rocksdb::IOStatus synced(rocksdb::IOStatus s) {
      if (s.ok()) {
        std::lock_guard<std::mutex> lock(state_->mu);
        auto it = state_->synced.find(name_);
        if (it != state_->synced.end()) it->second = size_;
      }
      return s;
    }
    std::shared_ptr<State> state_;
    std::string name_;
    std::uint64_t size_;  // bytes written through this handle's file so far
  };

  std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace tandem::testing
