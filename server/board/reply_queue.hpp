// ReplyQueue: what a board sends once the log holds it (SPEC ACK-1..3, JOIN-2).
//
// Every answer of the board waits here until the change it follows is durable,
// then leaves in the order it was queued: so acks and rejects reach a connection in
// client_seq order, and a joiner's welcome comes before any change after it. Owned
// by the board actor, touched on its strand only.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <variant>

#include "net/wire.hpp"

namespace tandem {

// A sequenced change: fanned out to every member, acked to its sender.
struct ChangeItem {
  std::uint64_t seq = 0;
  std::uint64_t conn_id = 0;  // the sender's connection; 0 for a system change
  std::uint64_t client_seq = 0;
  std::int64_t time_ms = 0;
  wire::SharedBytes entry;    // the change as a frame entry
  std::string change;         // SequencedChange bytes (for the catch-up window)
  std::function<void()> then; // run once durable (promote answers)
  bool sensitive = false;     // may read differently per recipient: encoded per view (VIS-6)
  int user_ops = -1;          // >= 0: the change has derived ops after this many (the ack carries them, ACK-4)
};

// An answer to one connection (a reject or a duplicate ack), or only a callback.
struct ReplyItem {
  std::uint64_t after_seq = 0;
  std::uint64_t conn_id = 0;
  wire::SharedBytes entry;    // null: nothing to send
  std::size_t credit = 0;     // changes of the connection it answers (FLOW-2)
  std::function<void()> then;
};

// A welcome, its body prepared at join time covering up to after_seq.
struct WelcomeItem {
  std::uint64_t after_seq = 0;
  std::uint64_t conn_id = 0;
  std::string body;
  wire::Parts parts;  // JOIN-8: the snapshot parts that follow the Welcome
  std::uint64_t last_client_seq = 0;
};

using QueuedReply = std::variant<ChangeItem, ReplyItem, WelcomeItem>;

inline std::uint64_t after_seq(const QueuedReply& r) {
  return std::visit([](const auto& i) {
    if constexpr (std::is_same_v<std::decay_t<decltype(i)>, ChangeItem>) return i.seq;
    else return i.after_seq;
  }, r);
}

class ReplyQueue {
 public:
  void push(QueuedReply r) { items_.push_back(std::move(r)); }
  bool empty() const { return items_.empty(); }
  void clear() { items_.clear(); }
  const std::deque<QueuedReply>& items() const { return items_; }

  // Pops, in order, every reply whose seq is durable, handing each to `visit`.
  template <typename Visit>
  void drain(std::uint64_t durable_seq, Visit&& visit) {
    while (!items_.empty() && after_seq(items_.front()) <= durable_seq) {
      QueuedReply r = std::move(items_.front());
      items_.pop_front();
      visit(r);
    }
  }

 private:
  std::deque<QueuedReply> items_;
};

}  // namespace tandem
