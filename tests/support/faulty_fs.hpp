// FaultyFs: RocksDB's real file system, except that writes fail while fail(true)
// is set: a full disk, on demand. Only the write path is wrapped; reads work.
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

  rocksdb::IOStatus NewWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                    std::unique_ptr<rocksdb::FSWritableFile>* r, rocksdb::IODebugContext* dbg) override {
    if (failing_->load()) return no_space();
    rocksdb::IOStatus s = target()->NewWritableFile(f, o, r, dbg);
    if (s.ok()) *r = std::make_unique<File>(std::move(*r), failing_);
    return s;
  }
  rocksdb::IOStatus ReopenWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                       std::unique_ptr<rocksdb::FSWritableFile>* r, rocksdb::IODebugContext* dbg) override {
    if (failing_->load()) return no_space();
    rocksdb::IOStatus s = target()->ReopenWritableFile(f, o, r, dbg);
    if (s.ok()) *r = std::make_unique<File>(std::move(*r), failing_);
    return s;
  }

  // An Env for RocksDB's options that does its file I/O through `fs`.
  static std::shared_ptr<rocksdb::Env> env(const std::shared_ptr<FaultyFs>& fs) {
    return std::shared_ptr<rocksdb::Env>(rocksdb::NewCompositeEnv(fs).release());
  }

 private:
  static rocksdb::IOStatus no_space() {
    auto s = rocksdb::IOStatus::NoSpace("injected: no space left on device");
    s.SetRetryable(false);
    return s;
  }

  class File : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(std::unique_ptr<rocksdb::FSWritableFile>&& f, std::shared_ptr<std::atomic<bool>> failing)
        : FSWritableFileOwnerWrapper(std::move(f)), failing_(std::move(failing)) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& d, const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
      return failing_->load() ? no_space() : FSWritableFileOwnerWrapper::Append(d, o, dbg);
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& d, const rocksdb::IOOptions& o, const rocksdb::DataVerificationInfo& v,
                             rocksdb::IODebugContext* dbg) override {
      return failing_->load() ? no_space() : FSWritableFileOwnerWrapper::Append(d, o, v, dbg);
    }
    rocksdb::IOStatus Sync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
      return failing_->load() ? no_space() : FSWritableFileOwnerWrapper::Sync(o, dbg);
    }
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
      return failing_->load() ? no_space() : FSWritableFileOwnerWrapper::Fsync(o, dbg);
    }

   private:
    std::shared_ptr<std::atomic<bool>> failing_;
  };

  std::shared_ptr<std::atomic<bool>> failing_ = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace tandem::testing
