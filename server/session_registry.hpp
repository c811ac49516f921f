// SessionRegistry: every open WebSocket session, so shutdown can close them all.
// Thread-safe: mu_ guards sessions_.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "subscriber.hpp"

namespace tandem {

class SessionRegistry {
 public:
  void add(std::uint64_t id, std::weak_ptr<Subscriber> s) {
    std::lock_guard<std::mutex> lock(mu_);
    sessions_[id] = std::move(s);
  }
  void remove(std::uint64_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    sessions_.erase(id);
    if (sessions_.empty()) cv_.notify_all();
  }
  void close_all(std::uint16_t code, const std::string& reason) {
    std::vector<std::shared_ptr<Subscriber>> open;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto& [id, w] : sessions_)
        if (auto s = w.lock()) open.push_back(std::move(s));
    }
    for (auto& s : open) s->close(code, reason);
  }
  // True when every session ended before `timeout`.
  bool wait_empty(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [this] { return sessions_.empty(); });
  }
  std::size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sessions_.size();
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::unordered_map<std::uint64_t, std::weak_ptr<Subscriber>> sessions_;  // GUARDED_BY(mu_)
};

}  // namespace tandem
