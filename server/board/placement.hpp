// Placement: which node owns a board (SPEC CLUSTER-*, docs/CLUSTER.md). The one seam
// between this node and the others: BoardDirectory and Board ask it; nothing else in
// the server knows other nodes exist.
//
// A board is owned by the node holding its lease. A Board claims the lease before it
// loads (claim), checks it before every write and ack (holds), and gives it up when it
// closes (release). On a single node (SingleNodePlacement) every claim succeeds at once
// with epoch 0 and nothing is fenced. The cluster placement (server/cluster/) keeps
// leases in Redis and pulls a board's data from the node that has it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "board/promote_outbox.hpp"

namespace tandem {

enum class ClaimOutcome {
  kOwned,        // this node holds the lease: load the board from the local store
  kMoved,        // another node serves it (or this one is draining): close 4008, reconnect
  kUnavailable,  // its data is on a node that does not answer: close 4009, retry later
};

struct Claim {
  ClaimOutcome outcome = ClaimOutcome::kOwned;
  std::uint64_t epoch = 0;  // kOwned: the lease's epoch (0 on a single node: no fencing)
  std::string why;          // otherwise: for the log and the close reason; nothing secret
};

class Placement {
 public:
  using ClaimDone = std::function<void(Claim)>;
  using PromoteDone = std::function<void(PromoteOutcome outcome, std::string error)>;

  virtual ~Placement() = default;

  // Whether other nodes exist. False: every board is here and nothing is fenced.
  virtual bool clustered() const = 0;

  // Makes this node the owner of `board_id` before a Board loads it (CLUSTER-2): takes
  // its lease and, when another node holds the board's data, has that node ship it here
  // first (CLUSTER-4). `pull` false: never pull (the board is loaded only to be handed
  // over; a node that does not hold it answers kMoved). Calls `done` exactly once, on
  // any thread; never blocks the caller.
  virtual void claim(const std::string& board_id, bool pull, ClaimDone done) = 0;

  // Whether changes of `board_id` may still be written and acked under `epoch`: this
  // node holds that lease and its local deadline has not passed (CLUSTER-3). Any
  // thread; no I/O.
  virtual bool holds(const std::string& board_id, std::uint64_t epoch) const = 0;

  // The board closed here (LIFE-1) or was handed over: the lease under `epoch` goes.
  // `exists` false: there is no such board (an unknown id was joined): its placement
  // record is forgotten too, so whichever node creates it later owns it.
  virtual void release(const std::string& board_id, std::uint64_t epoch, bool exists) = 0;

  // A promote to a backlog board that is not open on this node: delivered to the node
  // that owns it (CLUSTER-6), answered kRetry when that cannot be done now. `done` once,
  // any thread.
  virtual void forward_promote(const std::string& backlog_board, const PromoteRequest& req, PromoteDone done) = 0;
};

// The single-node placement: this node owns every board, unfenced.
class SingleNodePlacement final : public Placement {
 public:
  bool clustered() const override { return false; }
  void claim(const std::string&, bool, ClaimDone done) override { done(Claim{}); }
  bool holds(const std::string&, std::uint64_t) const override { return true; }
  void release(const std::string&, std::uint64_t, bool) override {}
  void forward_promote(const std::string&, const PromoteRequest&, PromoteDone done) override {
    done(PromoteOutcome::kRefused, "the backlog board is not on this server");
  }
};

}  // namespace tandem
