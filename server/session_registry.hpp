// SessionRegistry: every open WebSocket session, so shutdown can close them all,
// and how many each client address holds (a limit per address).
// Thread-safe: mu_ guards sessions_ and per_address_.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "board/subscriber.hpp"

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
  // Counts one more connection of `address`; false (and nothing counted) past `limit`.
  bool try_reserve(const std::string& address, std::size_t limit) {
    std::lock_guard<std::mutex> lock(mu_);
    std::size_t& n = per_address_[address];
    if (n >= limit) {
      if (n == 0) per_address_.erase(address);
      return false;
    }
    ++n;
    return true;
  }
  void release(const std::string& address) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = per_address_.find(address);
    if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
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
  std::unordered_map<std::string, std::size_t> per_address_;               // GUARDED_BY(mu_)
};

}  // namespace tandem
