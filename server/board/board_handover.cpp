// Board: its side of placement (placement.hpp): the claim's outcome, what a board that
// another node serves answers (CLUSTER-2, -5), a lost lease (CLUSTER-3), and moving a
// board to another node, the source side (CLUSTER-4). The new owner's side (the claim,
// writing the shipment, moving the lease) is the placement's.
//
// hand_over: stop accepting (members closed with 4008, joins refused with 4008, submits
// dropped, HTTP 503, promotes kRetry), wait until everything already queued is durable
// (an empty committer request: the committer answers in submit order), then read every
// stored key on the blocking pool and answer them as a v1::BoardShipment. The board
// stays kMoving until handover_done (wipe the local copy, retire without releasing the
// lease, which is the new owner's) or until its timer expires (accept again: the next
// request reloads and the claim decides who owns it).
#include <boost/asio/post.hpp>

#include <chrono>

#include "board/board_actor.hpp"
#include "board/board_directory.hpp"
#include "log.hpp"
#include "tandem/v1/cluster.pb.h"

namespace tandem {

namespace net = boost::asio;

namespace {
// How long a board waits for handover_done before it accepts again (CLUSTER-4).
constexpr std::chrono::seconds kMoveTimeout{10};
}  // namespace

void Board::on_claimed(std::uint64_t epoch, Claim claim) {
  if (claim.outcome == ClaimOutcome::kOwned) {
    lease_epoch_ = claim.epoch;
    return load_store(epoch);
  }
  static log::Limiter limiter(1, 5);  // a refused join's retry comes back here (OPS-3)
  log::limited(limiter, log::Level::kInfo, log::Fields().board(id_), "board %s: not served here: %s", id_.c_str(),
               claim.why.c_str());
  elsewhere_ = claim.outcome;
  phase_ = Phase::kElsewhere;
  run_deferred();
  retire_elsewhere();
}

// A board another node serves closes here at once, without releasing any lease (it
// holds none): the next request claims again (CLUSTER-2).
void Board::retire_elsewhere() {
  promote_timer_.cancel();
  move_timer_.cancel();
  if (deps_.directory && deps_.directory->erase_if(id_, this)) {
    retired_ = true;
  } else {
    phase_ = Phase::kNew;
  }
}

void Board::lose_lease() {
  log::line(log::Level::kWarn, log::Fields().board(id_), "board %s: lease %llu lost, members closed, nothing more acked",
            id_.c_str(), static_cast<unsigned long long>(lease_epoch_));
  // What it queued may still land: the next load waits for it (load_store).
  settle_before_load_ = true;
  // The changes stay pending on their clients (REJ-2), who resend them to the owner.
  drop_board("the board moved to another server; resend after reconnecting", wire::kCloseMoved,
             "board moved; reconnect");
}

v1::ErrorCode Board::elsewhere_code() const {
  return elsewhere_ == ClaimOutcome::kUnavailable ? v1::ERROR_CODE_BOARD_UNAVAILABLE : v1::ERROR_CODE_BOARD_MOVED;
}

std::uint16_t Board::elsewhere_close() const {
  return elsewhere_ == ClaimOutcome::kUnavailable ? wire::kCloseUnavailable : wire::kCloseMoved;
}

// Names no node and no address (CLUSTER-2): the balancer knows where to go.
const char* Board::elsewhere_message() const {
  return elsewhere_ == ClaimOutcome::kUnavailable ? "board unavailable; retry" : "board moved; retry";
}

void Board::do_hand_over(HandoverCallback done) {
  switch (phase_) {
    case Phase::kReady: break;
    case Phase::kMoving: return ship(std::move(done));  // asked again: the same data again
    case Phase::kMissing:
      done(404, "no such board");
      return maybe_retire();
    case Phase::kElsewhere: return done(409, "not on this node");
    case Phase::kBroken: return done(503, "storage unavailable: " + broken_reason_);
    default: return done(503, "board busy; retry");  // not reached: run_or_defer waits for these
  }
  phase_ = Phase::kMoving;
  elsewhere_ = ClaimOutcome::kMoved;
  // Clients reconnect through the balancer, which routes them to the new owner; what
  // they sent and was not acked they resend there (IDEM-*: nothing twice).
  members_.close_where(nullptr, wire::kCloseMoved, "board moved; reconnect");
  move_timer_.expires_after(kMoveTimeout);
  move_timer_.async_wait([self = shared_from_this(), epoch = epoch_](const boost::system::error_code& ec) {
    if (ec || epoch != self->epoch_ || self->phase_ != Phase::kMoving) return;
    self->end_move();
  });
  ship(std::move(done));
}

void Board::ship(HandoverCallback done) {
  // Every write of this board queued so far is done when this empty one is.
  deps_.committer.submit(id_, {}, [self = shared_from_this(), epoch = epoch_, done = std::move(done)](const Status& s) {
    net::post(self->strand_, [self, epoch, s, done]() mutable {
      if (epoch != self->epoch_ || self->phase_ != Phase::kMoving)
        return done(503, "the board changed while moving; retry");
      if (!s.ok()) return done(503, "storage unavailable: " + s.message());
      auto shipment = std::make_shared<v1::BoardShipment>();
      shipment->set_board_id(self->id_);
      shipment->set_epoch(self->lease_epoch_);
      shipment->set_head_seq(self->durable_seq_);
      net::post(self->deps_.blocking, [self, shipment, done = std::move(done)]() mutable {
        std::vector<storage::Write> keys;
        Status r = self->deps_.store.read_board_keys(self->id_, &keys);
        for (storage::Write& w : keys) {
          v1::ShippedKey* k = shipment->add_keys();
          k->set_cf(static_cast<std::uint32_t>(w.cf));
          k->set_key(std::move(w.key));
          k->set_value(std::move(w.value));
        }
        std::string bytes = r.ok() ? shipment->SerializeAsString() : std::string();
        net::post(self->strand_, [r, bytes = std::move(bytes), done = std::move(done)]() mutable {
          if (!r.ok()) return done(503, "storage unavailable: " + r.message());
          done(200, std::move(bytes));
        });
      });
    });
  });
}

void Board::do_handover_done(std::uint64_t new_epoch, HandoverCallback done) {
  if (phase_ != Phase::kMoving) return done(409, "no hand-over in progress");
  log::line(log::Level::kInfo, log::Fields().board(id_), "board %s: handed over (lease epoch %llu)", id_.c_str(),
            static_cast<unsigned long long>(new_epoch));
  move_timer_.cancel();
  ++epoch_;  // nothing of the old actor's state is answered any more
  phase_ = Phase::kElsewhere;  // until it retires: requests are answered "moved"
  elsewhere_ = ClaimOutcome::kMoved;
  deps_.committer.submit(id_, storage::wipe_board_writes(id_), [self = shared_from_this(), done = std::move(done)](const Status& s) {
    net::post(self->strand_, [self, s, done] {
      // The lease is the new owner's: not released (CLUSTER-4).
      self->retire_elsewhere();
      if (!s.ok()) return done(503, "storage unavailable: " + s.message());
      done(200, "");
    });
  });
}

void Board::end_move() {
  log::line(log::Level::kWarn, log::Fields().board(id_), "board %s: hand-over not completed; accepting again",
            id_.c_str());
  // Nothing was acked that is not durable here: drop the state, give up the lease and
  // close; the next request reloads and its claim decides where the board lives.
  drop_board("board moved; retry", wire::kCloseMoved, "board moved; reconnect");
  if (deps_.placement) deps_.placement->release(id_, lease_epoch_, true);
  retire_elsewhere();
}

}  // namespace tandem
