// CatchupWindow: a board's recent durable changes, for joiners slightly behind
// (SPEC JOIN-2, JOIN-3). Bounded by BoardLimits (changes and bytes). Owned by the
// board actor, touched on its strand only.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "board/reply_queue.hpp"
#include "board/welcome_snapshot.hpp"
#include "config.hpp"

namespace tandem {

class CatchupWindow {
 public:
  explicit CatchupWindow(const BoardLimits& limits) : limits_(limits) {}

  // A durable change, in seq order with no gaps. `sensitive`: it may read
  // differently per recipient (visibility.hpp), so a welcome passes it through `view`.
  void remember(std::uint64_t seq, std::string bytes, bool sensitive = false);
  void clear();

  // Sensitive changes (they may read differently per recipient, visibility.hpp) go
  // into a welcome as `view` makes them for its recipient (VIS-*); the others as logged.
  using View = std::function<std::string(const std::string& change_bytes)>;
  // The body of a Welcome (wire.hpp fields) for a client that has seen `last_seen`,
  // covering up to `head`: the changes after last_seen (from this window and the
  // sequenced changes still in `pending`, JOIN-2); or, when the client is new, too far
  // behind, or the changes would be larger, a snapshot (JOIN-3): `cached` followed by
  // the changes after cached->seq when this window still holds them within the limits,
  // otherwise the one `build()` makes at `head`. A snapshot's parts (JOIN-8) follow
  // the Welcome: `parts`, announced in the body (Welcome.snapshot_parts).
  struct Body {
    std::string bytes;
    wire::Parts parts;
  };
  Body welcome_body(std::uint64_t last_seen, std::uint64_t head, std::uint64_t durable, const ReplyQueue& pending,
                    const EncodedSnapshot* cached, const std::function<EncodedSnapshot()>& build,
                    const View& view) const;

 private:
  // Appends the changes after `after` up to `head` to *body; false when this window
  // no longer holds all of them or they exceed the limits (*body is then unspecified).
  bool append_changes(std::string* body, std::uint64_t after, std::uint64_t head, std::uint64_t durable,
                      const ReplyQueue& pending, const View& view) const;

  const BoardLimits& limits_;
  struct Entry {
    std::uint64_t seq = 0;
    std::string bytes;  // SequencedChange
    bool sensitive = false;
  };
  std::deque<Entry> recent_;
  std::size_t bytes_ = 0;
};

}  // namespace tandem
