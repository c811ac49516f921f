// FaultyFs: RocksDB's real file system, except that writes fail while fail(true)
// is set (a full disk, on demand), and reads fail while fail_reads(true) is set (a
// dying disk: opening files, and reading the files it opened meanwhile).
#pragma once

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include <atomic>
#include <memory>

namespace tandem::testing {

class FaultyFs : public rocksdb::FileSystemWrapper {
 public:
  FaultyFs() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  static const char* kClassName() { return "TandemFaultyFs"; }
  const char* Name() const override { return kClassName(); }

  void fail(bool on) { failing_->store(on); }
  // The disk fills up right after the next `n` successful syncs (a write that was
  // synced, then the next one finds no room).
  void fail_after_syncs(int n) { syncs_left_->store(n); }
  void fail_reads(bool on) { reads_failing_->store(on); }

  rocksdb::IOStatus NewSequentialFile(const std::string& f, const rocksdb::FileOptions& o,
                                      std::unique_ptr<rocksdb::FSSequentialFile>* r, rocksdb::IODebugContext* dbg) override {
    if (reads_failing_->load()) return read_error();
    return target()->NewSequentialFile(f, o, r, dbg);
  }
  rocksdb::IOStatus NewRandomAccessFile(const std::string& f, const rocksdb::FileOptions& o,
                                        std::unique_ptr<rocksdb::FSRandomAccessFile>* r,
                                        rocksdb::IODebugContext* dbg) override {
    if (reads_failing_->load()) return read_error();
    rocksdb::IOStatus s = target()->NewRandomAccessFile(f, o, r, dbg);
    if (s.ok()) *r = std::make_unique<ReadFile>(std::move(*r), reads_failing_);
    return s;
  }

  rocksdb::IOStatus NewWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                    std::unique_ptr<rocksdb::FSWritableFile>* r, rocksdb::IODebugContext* dbg) override {
    if (failing_->load()) return no_space();
    rocksdb::IOStatus s = target()->NewWritableFile(f, o, r, dbg);
    if (s.ok()) *r = std::make_unique<File>(std::move(*r), failing_, syncs_left_);
    return s;
  }
  rocksdb::IOStatus ReopenWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                       std::unique_ptr<rocksdb::FSWritableFile>* r, rocksdb::IODebugContext* dbg) override {
    if (failing_->load()) return no_space();
    rocksdb::IOStatus s = target()->ReopenWritableFile(f, o, r, dbg);
    if (s.ok()) *r = std::make_unique<File>(std::move(*r), failing_, syncs_left_);
    return s;
  }

  // An Env for RocksDB's options that does its file I/O through `fs`.
  static std::shared_ptr<rocksdb::Env> env(const std::shared_ptr<FaultyFs>& fs) {
    return std::shared_ptr<rocksdb::Env>(rocksdb::NewCompositeEnv(fs).release());
  }

 private:
  static rocksdb::IOStatus read_error() { return rocksdb::IOStatus::IOError("injected: read error"); }
  static rocksdb::IOStatus no_space() {
    auto s = rocksdb::IOStatus::NoSpace("injected: no space left on device");
    s.SetRetryable(false);
    return s;
  }

  class File : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(std::unique_ptr<rocksdb::FSWritableFile>&& f, std::shared_ptr<std::atomic<bool>> failing,
         std::shared_ptr<std::atomic<int>> syncs_left)
        : FSWritableFileOwnerWrapper(std::move(f)), failing_(std::move(failing)), syncs_left_(std::move(syncs_left)) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& d, const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
      return failing_->load() ? no_space() : FSWritableFileOwnerWrapper::Append(d, o, dbg);
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& d, const rocksdb::IOOptions& o, const rocksdb::DataVerificationInfo& v,
                             rocksdb::IODebugContext* dbg) override {
      return failing_->load() ? no_space() : FSWritableFileOwnerWrapper::Append(d, o, v, dbg);
    }
    rocksdb::IOStatus Sync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
      return synced(failing_->load() ? no_space() : FSWritableFileOwnerWrapper::Sync(o, dbg));
    }
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
      return synced(failing_->load() ? no_space() : FSWritableFileOwnerWrapper::Fsync(o, dbg));
    }

   private:
    rocksdb::IOStatus synced(rocksdb::IOStatus s) {
      if (s.ok() && syncs_left_->load() > 0 && syncs_left_->fetch_sub(1) == 1) failing_->store(true);
      return s;
    }
    std::shared_ptr<std::atomic<bool>> failing_;
    std::shared_ptr<std::atomic<int>> syncs_left_;
  };

  class ReadFile : public rocksdb::FSRandomAccessFileOwnerWrapper {
   public:
    ReadFile(std::unique_ptr<rocksdb::FSRandomAccessFile>&& f, std::shared_ptr<std::atomic<bool>> failing)
        : FSRandomAccessFileOwnerWrapper(std::move(f)), failing_(std::move(failing)) {}
    rocksdb::IOStatus Read(uint64_t offset, size_t n, const rocksdb::IOOptions& o, rocksdb::Slice* result,
                           char* scratch, rocksdb::IODebugContext* dbg) const override {
      if (failing_->load()) return read_error();
      return FSRandomAccessFileOwnerWrapper::Read(offset, n, o, result, scratch, dbg);
    }
    rocksdb::IOStatus MultiRead(rocksdb::FSReadRequest* reqs, size_t num, const rocksdb::IOOptions& o,
                                rocksdb::IODebugContext* dbg) override {
      if (failing_->load()) return read_error();
      return FSRandomAccessFileOwnerWrapper::MultiRead(reqs, num, o, dbg);
    }

   private:
    std::shared_ptr<std::atomic<bool>> failing_;
  };

  std::shared_ptr<std::atomic<bool>> failing_ = std::make_shared<std::atomic<bool>>(false);
  std::shared_ptr<std::atomic<bool>> reads_failing_ = std::make_shared<std::atomic<bool>>(false);
  std::shared_ptr<std::atomic<int>> syncs_left_ = std::make_shared<std::atomic<int>>(0);
};

}  // namespace tandem::testing
