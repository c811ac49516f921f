// CatchupWindow: a board's recent durable changes, for joiners slightly behind
// (SPEC JOIN-2, JOIN-3). Bounded by BoardLimits (changes and bytes). Owned by the
// board actor, touched on its strand only.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <utility>

#include "board/reply_queue.hpp"
#include "config.hpp"

namespace tandem {

class CatchupWindow {
 public:
  explicit CatchupWindow(const BoardLimits& limits) : limits_(limits) {}

  // A durable change, in seq order with no gaps.
  void remember(std::uint64_t seq, std::string bytes);
  void clear();

  // The body of a Welcome (wire.hpp fields) for a client that has seen `last_seen`,
  // covering up to `head`: the changes after last_seen (from this window and the
  // sequenced changes still in `pending`), or the snapshot `snapshot()` makes when
  // the client is new, too far behind, or the changes would be larger.
  std::string welcome_body(std::uint64_t last_seen, std::uint64_t head, std::uint64_t durable,
                           const ReplyQueue& pending, const std::function<std::string()>& snapshot) const;

 private:
  const BoardLimits& limits_;
  std::deque<std::pair<std::uint64_t, std::string>> recent_;  // (seq, SequencedChange bytes)
  std::size_t bytes_ = 0;
};

}  // namespace tandem
