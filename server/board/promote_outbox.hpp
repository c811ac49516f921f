// PromoteOutbox: the discovery side's delivery of promotes (SPEC PROMOTE-2, -3), and
// the backlog side's item (backlog_item_op). The outbox entries themselves are board
// state (BoardState::outbox, in snapshots); this tracks which are being delivered
// now. Owned by the board actor, touched on its strand only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/board_state.hpp"

namespace tandem {

// How a backlog board answered a promote (SPEC PROMOTE-3, -4, -6).
enum class PromoteOutcome {
  kCreated,  // the item is durable
  kRefused,  // never: PromoteDone{ok: false}
  kRetry,    // not decided (the backlog's log failed, it cannot load, or its node is away): resend later
};

// A promote as the backlog board receives it.
struct PromoteRequest {
  std::string source_board;
  std::uint64_t promote_seq = 0;
  std::string note_id;
  std::string item_id;
  std::string title;
  // The invite of the promoter's backlog membership, when known: the backlog refuses
  // the promote if it was revoked meanwhile (AUTH-4).
  std::optional<std::string> promoter_invite;
};

class PromoteOutbox {
 public:
  // The durable entries of `outbox` not being delivered yet; marks them in flight.
  std::vector<PromoteRequest> due(const std::string& board_id,
                                  const std::map<std::uint64_t, v1::PendingPromote>& outbox,
                                  std::uint64_t durable_seq);
  void answered(std::uint64_t promote_seq) { in_flight_.erase(promote_seq); }
  bool idle() const { return in_flight_.empty(); }
  void clear() { in_flight_.clear(); }

 private:
  std::set<std::uint64_t> in_flight_;
};

// The system op creating the item of `req` on the backlog board `backlog`: title,
// first column, after the last item, with its source link.
v1::Op backlog_item_op(const model::BoardState& backlog, const PromoteRequest& req);

}  // namespace tandem
