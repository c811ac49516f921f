// Board: promote (SPEC PROMOTE-*): the outbox of a discovery board and the backlog
// board's side of a promote.
#include "board/board_actor.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <utility>

#include "board/board_directory.hpp"

namespace tandem {

namespace net = boost::asio;

void Board::dispatch_outbox() {
  if (phase_ != Phase::kReady || seq_.state().outbox().empty() || !deps_.directory) return;
  const bool forward = clustered_;
  for (PromoteRequest& req : outbox_.due(id_, seq_.state().outbox(), durable_seq_)) {
    const std::uint64_t seq = req.promote_seq;
    req.promoter_invite = seq_.take_promote_invite(req.item_id);
    const std::string& backlog = seq_.state().outbox().at(seq).backlog_board();
    auto answer = [self = shared_from_this(), seq](PromoteOutcome outcome, std::string error) {
      net::post(self->strand_, [self, seq, outcome, error = std::move(error)]() mutable {
        self->on_promote_result(seq, outcome, std::move(error));
      });
    };
    // CLUSTER-6: on a cluster the backlog board's owner may be another node; the
    // placement delivers it there (through the balancer), answered the same way.
    if (forward) {
      deps_.placement->forward_promote(backlog, req, std::move(answer));
      continue;
    }
    auto target = deps_.directory->find_or_open(backlog);
    if (!target) {
      on_promote_result(seq, PromoteOutcome::kRefused, "the backlog board is served by another node");
      continue;
    }
    target->promote_in(std::move(req), std::move(answer));
  }
}

void Board::arm_promote_retry() {
  if (promote_retry_armed_) return;
  promote_retry_armed_ = true;
  promote_timer_.expires_after(promote_backoff_);
  promote_backoff_ = std::min(promote_backoff_ * 2, std::chrono::milliseconds(30'000));
  promote_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    self->promote_retry_armed_ = false;
    if (ec || self->retired_) return;
    self->dispatch_outbox();
    if (self->members_.empty()) self->maybe_retire();
  });
}

void Board::on_promote_result(std::uint64_t promote_seq, PromoteOutcome outcome, std::string error) {
  outbox_.answered(promote_seq);
  // kRetry (PROMOTE-6): nothing logged; the entry stays in the outbox and is sent
  // again by the retry timer (1 s doubling to 30 s, CLUSTER-6), the next dispatch
  // (after a durable change here) or the next load (PROMOTE-3).
  if (outcome == PromoteOutcome::kRetry && phase_ == Phase::kReady) arm_promote_retry();
  if (outcome != PromoteOutcome::kRetry) promote_backoff_ = std::chrono::milliseconds(1000);
  if (outcome == PromoteOutcome::kRetry || phase_ != Phase::kReady || !seq_.state().outbox().count(promote_seq))
    return maybe_retire();
  google::protobuf::RepeatedPtrField<v1::Op> ops;
  auto* done = ops.Add()->mutable_promote_done();
  done->set_promote_seq(promote_seq);
  done->set_ok(outcome == PromoteOutcome::kCreated);
  done->set_error(std::move(error));
  std::vector<storage::Write> writes;
  if (!apply_system(ops, &writes)) return;
  commit(std::move(writes));
  drain_replies();
}

std::function<void()> Board::answer_when_durable(PromoteCallback done) {
  std::erase_if(promotes_waiting_, [](const auto& w) { return !*w; });
  auto slot = std::make_shared<PromoteCallback>(std::move(done));
  promotes_waiting_.push_back(slot);
  return [slot] {
    if (*slot) std::exchange(*slot, nullptr)(PromoteOutcome::kCreated, "");
  };
}

void Board::answer_waiting_promotes(const std::string& why) {
  auto waiting = std::move(promotes_waiting_);
  promotes_waiting_.clear();
  for (auto& slot : waiting)
    if (*slot) std::exchange(*slot, nullptr)(PromoteOutcome::kRetry, why);
}

void Board::do_promote_in(PromoteRequest req, PromoteCallback done) {
  constexpr auto kRefused = PromoteOutcome::kRefused;
  if (phase_ == Phase::kMissing) {
    maybe_retire();
    return done(kRefused, "no such backlog board");
  }
  // Cannot load now (its disk, PROMOTE-6): not a refusal, the promote comes again.
  if (phase_ == Phase::kBroken) return done(PromoteOutcome::kRetry, broken_reason_);
  // Served by another node, or moving (CLUSTER-6): the sender forwards it again.
  if (phase_ == Phase::kElsewhere || phase_ == Phase::kMoving) return done(PromoteOutcome::kRetry, elsewhere_message());
  const model::BoardState& state = seq_.state();
  if (state.kind() != v1::BOARD_KIND_BACKLOG) return done(kRefused, "the target is not a backlog board");
  if (const model::Object* item = state.find(req.item_id)) {
    // A resend (after a restart of either side): the item exists, created by this
    // very promote. Answer once it is durable.
    if (item->type == v1::OBJECT_TYPE_BACKLOG_ITEM && item->text("source_board") == req.source_board &&
        item->text("source_note") == req.note_id) {
      replies_.push(ReplyItem{item->created_seq, 0, nullptr, 0, answer_when_durable(std::move(done))});
      return drain_replies();
    }
    return done(kRefused, "backlog item id " + req.item_id + " is taken");
  }
  if (req.promoter_invite && !invites_.admits(*req.promoter_invite))
    return done(kRefused, "the promoter no longer has edit rights on the backlog board");
  google::protobuf::RepeatedPtrField<v1::Op> ops;
  *ops.Add() = backlog_item_op(state, req);
  std::vector<storage::Write> writes;
  if (!apply_system(ops, &writes, answer_when_durable(std::move(done)))) {
    // Only an applied change runs its `then`: a refused one is answered here.
    auto slot = std::move(promotes_waiting_.back());
    promotes_waiting_.pop_back();
    return std::exchange(*slot, nullptr)(kRefused, "the backlog refused the item");
  }
  commit(std::move(writes));
  drain_replies();
}

}  // namespace tandem
