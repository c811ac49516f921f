// Status: the result of a storage operation, a value that must be looked at.
//
// Every fallible call in storage/ returns a Status marked [[nodiscard]]; check it at
// once (`if (!s.ok()) return s;`). The one named way to drop an error on purpose is
// `s.ignore_error()`. Thread-compatible: a Status is a plain value.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace tandem {

class [[nodiscard]] Status {
 public:
  enum class Code { kOk, kNotFound, kInvalidArgument, kCorruption, kIoError, kUnavailable };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status InvalidArgument(std::string msg) { return Status(Code::kInvalidArgument, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status IoError(std::string msg) { return Status(Code::kIoError, std::move(msg)); }
  static Status Unavailable(std::string msg) { return Status(Code::kUnavailable, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  bool is_not_found() const { return code_ == Code::kNotFound; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string to_string() const;

  // Drops this status on purpose; the caller has decided the error does not matter.
  void ignore_error() const {}

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

inline std::string Status::to_string() const {
  switch (code_) {
    case Code::kOk: return "OK";
    case Code::kNotFound: return "NotFound: " + message_;
    case Code::kInvalidArgument: return "InvalidArgument: " + message_;
    case Code::kCorruption: return "Corruption: " + message_;
    case Code::kIoError: return "IOError: " + message_;
    case Code::kUnavailable: return "Unavailable: " + message_;
  }
  return message_;
}

}  // namespace tandem
