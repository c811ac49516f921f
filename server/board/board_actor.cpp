#include "board/board_actor.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <unordered_map>

#include "board/board_directory.hpp"
#include "log.hpp"
#include "model/templates.hpp"
#include "storage/keys.hpp"

namespace tandem {

namespace net = boost::asio;

std::int64_t Board::now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Board::Board(std::string id, net::any_io_executor executor, Deps deps)
    : id_(std::move(id)),
      strand_(net::make_strand(executor)),
      deps_(deps),
      clustered_(deps.placement && deps.placement->clustered()),
      seq_(deps.schema, deps.limits.state, deps.tokens),
      snapshots_(deps.limits),
      presence_timer_(strand_),
      move_timer_(strand_),
      promote_timer_(strand_),
      catchup_(deps.limits),
      welcomes_(deps.limits.welcome_part_bytes) {}

// ---------- public entry points: post to the strand ----------

// A retired Board (closed while idle, SPEC LIFE-1) forwards what still reaches it
// through an old pointer to the board's current actor, in the order it came.
template <typename Fn>
void Board::on_strand(bool open, Fn fn) {
  net::post(strand_, [self = shared_from_this(), open, fn = std::move(fn)]() mutable {
    if (!self->retired_) return self->run_or_defer([self, fn = std::move(fn)]() mutable { fn(*self, false); });
    if (auto next = self->successor(open)) return fn(*next, true);
    fn(*self, true);  // no current actor (another node serves it): fn answers
  });
}

void Board::join(std::shared_ptr<Subscriber> sub, JoinRequest req) {
  on_strand(true, [sub = std::move(sub), req = std::move(req)](Board& b, bool forwarded) mutable {
    if (!forwarded) return b.do_join(std::move(sub), std::move(req));
    if (b.retired_) return sub->join_failed(wire::error_entry(v1::ERROR_CODE_UNKNOWN_BOARD, "board is served by another node"));
    b.join(std::move(sub), std::move(req));
  });
}

void Board::submit(std::uint64_t conn_id, v1::Submit submit) {
  on_strand(true, [conn_id, submit = std::move(submit)](Board& b, bool forwarded) mutable {
    if (!forwarded) return b.do_submit(conn_id, std::move(submit));
    if (!b.retired_) b.submit(conn_id, std::move(submit));
  });
}

void Board::presence(std::uint64_t conn_id, v1::Presence presence) {
  on_strand(false, [conn_id, presence = std::move(presence)](Board& b, bool forwarded) mutable {
    if (!forwarded) return b.do_presence(conn_id, std::move(presence));
    if (!b.retired_) b.presence(conn_id, std::move(presence));
  });
}

void Board::leave(std::uint64_t conn_id) {
  on_strand(false, [conn_id](Board& b, bool forwarded) {
    if (!forwarded) return b.do_leave(conn_id);
    if (!b.retired_) b.leave(conn_id);
  });
}

void Board::promote_in(PromoteRequest req, PromoteCallback done) {
  on_strand(true, [req = std::move(req), done = std::move(done)](Board& b, bool forwarded) mutable {
    if (!forwarded) return b.do_promote_in(std::move(req), std::move(done));
    if (b.retired_) return done(PromoteOutcome::kRefused, "board is served by another node");
    b.promote_in(std::move(req), std::move(done));
  });
}

void Board::admin(AdminRequest req, AdminCallback done) {
  on_strand(true, [req = std::move(req), done = std::move(done)](Board& b, bool forwarded) mutable {
    if (!forwarded) return b.do_admin(std::move(req), std::move(done));
    if (b.retired_) return done(AdminResult{503, "board is served by another node"});
    b.admin(std::move(req), std::move(done));
  });
}

// CLUSTER-4 (board_handover.cpp).
void Board::hand_over(std::string to_node, HandoverCallback done) {
  net::post(strand_, [self = shared_from_this(), to = std::move(to_node), done = std::move(done)]() mutable {
    // Loaded only to be handed over: never pulled from another node first.
    if (!self->retired_ && self->phase_ == Phase::kNew) self->pull_ = false;
    self->on_strand(true, [to = std::move(to), done = std::move(done)](Board& b, bool forwarded) mutable {
      if (!forwarded) {
        log::line(log::Level::kInfo, log::Fields().board(b.id_), "board %s: handing over to %s", b.id_.c_str(),
                  to.c_str());
        return b.do_hand_over(std::move(done));
      }
      if (b.retired_) return done(409, "not on this node");
      b.hand_over(std::move(to), std::move(done));
    });
  });
}

void Board::handover_done(std::uint64_t new_epoch, HandoverCallback done) {
  on_strand(false, [new_epoch, done = std::move(done)](Board& b, bool forwarded) mutable {
    if (!forwarded) return b.do_handover_done(new_epoch, std::move(done));
    if (b.retired_) return done(409, "no hand-over in progress");
    b.handover_done(new_epoch, std::move(done));
  });
}

std::shared_ptr<Board> Board::successor(bool open) {
  if (!deps_.directory) return nullptr;
  return open ? deps_.directory->find_or_open(id_) : deps_.directory->find(id_);
}

void Board::maybe_retire() {
  if (retired_ || !deps_.directory) return;
  if (phase_ != Phase::kReady && phase_ != Phase::kMissing) return;
  // A promote waiting for its retry timer is work still to do (CLUSTER-6, PROMOTE-6).
  if (!members_.empty() || !replies_.empty() || !deferred_.empty() || deferred_left_ || !outbox_.idle() ||
      promote_retry_armed_)
    return;
  // Nothing in memory that is not on disk, and nobody here: close the board. Its
  // next user loads it again (LIFE-1), so idle and unknown boards cost no memory.
  if (!deps_.directory->erase_if(id_, this)) return;
  retired_ = true;
  // The lease goes with it (CLUSTER-2); an unknown id leaves no placement record.
  if (deps_.placement) deps_.placement->release(id_, lease_epoch_, phase_ != Phase::kMissing);
}


// ---------- lifecycle: load, ready ----------

void Board::run_or_defer(std::function<void()> fn) {
  if (phase_ == Phase::kReady || phase_ == Phase::kMissing || phase_ == Phase::kBroken ||
      phase_ == Phase::kElsewhere || phase_ == Phase::kMoving) {
    fn();
    return;
  }
  deferred_.push_back(std::move(fn));
  if (phase_ == Phase::kNew) start_load();
}

void Board::run_deferred() {
  auto fns = std::move(deferred_);
  deferred_.clear();
  // The board must not retire between two of them (a leave that empties it, then
  // a join): the join would land on a retired actor and its member be lost.
  for (std::size_t i = 0; i < fns.size(); ++i) {
    deferred_left_ = fns.size() - i - 1;
    run_or_defer(std::move(fns[i]));
  }
  deferred_left_ = 0;
  if (members_.empty()) maybe_retire();
}

void Board::start_load() {
  phase_ = Phase::kLoading;
  const std::uint64_t epoch = ++epoch_;
  if (!deps_.placement) return load_store(epoch);
  // CLUSTER-2: this node must hold the board's lease before it loads it (the claim
  // may first pull the board's data from the node that had it, CLUSTER-4).
  const bool pull = std::exchange(pull_, true);
  deps_.placement->claim(id_, pull, [self = shared_from_this(), epoch](Claim claim) mutable {
    net::post(self->strand_, [self, epoch, claim = std::move(claim)]() mutable {
      if (epoch != self->epoch_) return;
      self->on_claimed(epoch, std::move(claim));
    });
  });
}

void Board::load_store(std::uint64_t epoch) {
  if (settle_before_load_) {
    // CLUSTER-3: writes queued before the lease was lost may still land; the committer
    // answers in submit order, so an empty request done means they are all done.
    settle_before_load_ = false;
    deps_.committer.submit(id_, {}, [self = shared_from_this(), epoch](const Status&) {
      net::post(self->strand_, [self, epoch] {
        if (epoch == self->epoch_) self->load_store(epoch);
      });
    });
    return;
  }
  // Nothing of this board is queued for writing now: earlier requests either
  // completed or were failed by the poison, so it is safe to write again.
  deps_.committer.clear_poison(id_);
  net::post(deps_.blocking, [self = shared_from_this(), epoch] {
    auto image = std::make_shared<storage::BoardImage>();
    Status s = self->deps_.store.load_board(self->id_, self->deps_.limits.catchup_max_changes, image.get());
    net::post(self->strand_, [self, epoch, s, image] {
      if (epoch != self->epoch_) return;
      self->on_loaded(s, std::move(*image));
    });
  });
}

void Board::become_broken(std::string why) {
  std::fprintf(stderr, "tandem: board %s: %s\n", id_.c_str(), why.c_str());
  broken_reason_ = std::move(why);
  phase_ = Phase::kBroken;
  run_deferred();
  phase_ = Phase::kNew;  // the next request tries loading again
}

void Board::on_loaded(Status s, storage::BoardImage image) {
  if (!s.ok()) return become_broken("cannot load: " + s.to_string());
  model::BoardState& state = seq_.state();
  if (image.meta && !meta_.ParseFromString(*image.meta)) return become_broken("cannot load: bad board metadata");
  if (!image.meta || meta_.deleted()) {
    phase_ = Phase::kMissing;
    run_deferred();
    return;
  }
  state.reset(meta_);
  anonymous_possible_ = false;
  if (image.snapshot) {
    v1::BoardSnapshot snap;
    if (!snap.ParseFromString(*image.snapshot)) return become_broken("cannot load: bad snapshot");
    state.load(snap);
    for (const v1::ObjectState& o : snap.objects())
      for (const v1::Field& f : o.fields())
        if (f.name() == "anonymous" && f.value().kind_case() == v1::Value::kFlag && f.value().flag())
          anonymous_possible_ = true;
  }
  catchup_.clear();
  welcomes_.clear();
  seq_.clients() = std::move(image.clients);
  for (std::string& bytes : image.changes) {
    v1::SequencedChange change;
    if (!change.ParseFromString(bytes)) return become_broken("cannot load: bad logged change");
    seq_.recall(change);  // older applied outcomes get their seq back (storage/client_record.hpp)
    if (change.seq() > state.seq()) {
      if (change.seq() != state.seq() + 1)
        return become_broken("cannot load: log does not follow snapshot at " + std::to_string(state.seq()));
      if (auto r = state.replay(change))
        return become_broken("cannot load: logged change " + std::to_string(change.seq()) + " rejected: " + r->message);
    }
    // Parsed anyway: whether a joiner gets it as logged or filtered (VIS-*).
    const bool sensitive = classify(bytes, &change);
    catchup_.remember(change.seq(), std::move(bytes), sensitive);
  }
  if (!invites_.load(image.invites)) return become_broken("cannot load: bad invite record");
  durable_seq_ = state.seq();
  snapshots_.loaded(image.snapshot_seq, SnapshotPolicy::Clock::now());
  become_ready();
}

void Board::become_ready() {
  phase_ = Phase::kReady;
  outbox_.clear();
  dispatch_outbox();  // promotes logged before a restart and not yet answered
  run_deferred();
}

// ---------- requests ----------

void Board::do_submit(std::uint64_t conn_id, v1::Submit submit) {
  if (phase_ != Phase::kReady) return;  // kMoving (CLUSTER-4): its members are being closed
  PresenceRelay::Member* me = members_.find(conn_id);
  if (!me) return;  // not joined (or left): nothing to answer
  const Sender sender{me->info.member_id(), me->info.user_name(), me->info.client_id(), me->info.role()};
  std::vector<storage::Write> writes;
  bool record_changed = false;
  const std::int64_t time_ms = now_ms();
  for (v1::Change& change : *submit.mutable_changes()) {
    const std::uint64_t cseq = change.client_seq();
    Sequencer::Answer a = seq_.submit(sender, change, time_ms);
    record_changed |= a.recorded;
    switch (a.kind) {
      case Sequencer::Answer::Kind::kApplied:
        queue_change(std::move(a), conn_id, cseq, &writes);
        break;
      case Sequencer::Answer::Kind::kDuplicate:
        bump(deps_.metrics.changes_duplicate);
        replies_.push(ReplyItem{a.seq, conn_id, wire::ack_entry(cseq, a.seq, true), 1, {}});
        break;
      case Sequencer::Answer::Kind::kRejected:
        bump(deps_.metrics.changes_rejected);
        count_reject(deps_.metrics, a.code);
        replies_.push(ReplyItem{seq_.state().seq(), conn_id, wire::reject_entry(cseq, a.code, std::move(a.message)), 1, {}});
        break;
    }
  }
  // The client's record once per submit, in the same batch as its changes (IDEM-1).
  if (record_changed) writes.push_back(seq_.client_write(id_, sender.client_id));
  maybe_rebalance(&writes);
  if (!writes.empty()) commit(std::move(writes));
  drain_replies();
}

void Board::queue_change(Sequencer::Answer a, std::uint64_t conn_id, std::uint64_t client_seq,
                         std::vector<storage::Write>* writes, std::function<void()> then) {
  writes->push_back({storage::Cf::kOps, storage::seq_key(id_, a.seq), a.change});
  // The metadata record keeps the current title: listing boards reads it (SPEC API-7).
  if (!meta_.deleted() && seq_.state().settings().title() != meta_.title()) {
    meta_.set_title(seq_.state().settings().title());
    writes->push_back({storage::Cf::kBoards, storage::board_key(id_), meta_.SerializeAsString()});
  }
  const bool sensitive = classify(a.change, nullptr);
  wire::SharedBytes entry = wire::change_entry(a.change);
  const auto now = SnapshotPolicy::Clock::now();
  if (snapshots_.due(a.seq, now)) {
    // In the same batch as the change it covers: never a snapshot of a lost change,
    // and the trims it allows with it (LOG-3).
    writes->push_back({storage::Cf::kSnapshots, storage::seq_key(id_, a.seq),
                       seq_.state().snapshot().SerializeAsString()});
    snapshots_.taken(id_, a.seq, now, writes);
  }
  replies_.push(ChangeItem{a.seq, conn_id, client_seq, a.time_ms, std::move(entry), std::move(a.change), std::move(then),
                           sensitive, a.derived ? a.user_ops : -1});
}

bool Board::apply_system(const google::protobuf::RepeatedPtrField<v1::Op>& ops, std::vector<storage::Write>* writes,
                         std::function<void()> then) {
  Sequencer::Answer a = seq_.apply_system(ops, now_ms());
  if (a.kind != Sequencer::Answer::Kind::kApplied) {
    std::fprintf(stderr, "tandem: board %s: system change refused: %s\n", id_.c_str(), a.message.c_str());
    return false;
  }
  queue_change(std::move(a), 0, 0, writes, std::move(then));
  return true;
}

void Board::maybe_rebalance(std::vector<storage::Write>* writes) {
  if (!seq_.state().needs_rebalance()) return;
  google::protobuf::RepeatedPtrField<v1::Op> ops;
  *ops.Add() = seq_.state().rebalance_op();
  apply_system(ops, writes);
}

v1::BoardMeta Board::current_meta() const {
  v1::BoardMeta m = meta_;
  m.set_title(seq_.state().settings().title());
  return m;
}

void Board::do_leave(std::uint64_t conn_id) {
  members_.remove(conn_id);
  if (members_.empty()) maybe_retire();
}

// ---------- durability and fan-out ----------

void Board::commit(std::vector<storage::Write> writes, std::function<void(const Status&)> after) {
  if (clustered_) {
    // CLUSTER-3: a node that lost the lease writes nothing more; every batch that is
    // written carries the epoch it was written under.
    if (!deps_.placement->holds(id_, lease_epoch_)) {
      lose_lease();
      if (after) net::post(strand_, [after = std::move(after)] { after(Status::Unavailable("board moved; retry")); });
      return;
    }
    writes.push_back(storage::fence_write(id_, lease_epoch_));
  }
  deps_.committer.submit(id_, std::move(writes),
                         [self = shared_from_this(), epoch = epoch_, upto = seq_.state().seq(),
                          after = std::move(after)](const Status& s) mutable {
                           net::post(self->strand_, [self, epoch, upto, s, after = std::move(after)] {
                             self->on_durable(epoch, upto, s);
                             if (after) after(s);
                           });
                         });
}

void Board::on_durable(std::uint64_t epoch, std::uint64_t upto, Status s) {
  if (epoch != epoch_) return;
  if (!s.ok()) return fail_storage(s);
  // CLUSTER-3: durable, but not acked unless the lease is still this node's.
  if (clustered_ && !deps_.placement->holds(id_, lease_epoch_)) return lose_lease();
  if (upto <= durable_seq_) return drain_replies();
  durable_seq_ = upto;
  // Fan-out latency: from the batch durable to its frames handed to every member.
  const auto t0 = std::chrono::steady_clock::now();
  drain_replies();
  deps_.metrics.fanout_ns.observe(static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count()));
}

void Board::fail_storage(const Status& s) {
  bump(deps_.metrics.storage_failures);
  log::line(log::Level::kError, log::Fields().board(id_), "board %s: log write failed, members closed, reloading: %s",
            id_.c_str(), s.to_string().c_str());
  drop_board("the board's log could not be written: " + s.message(), wire::kCloseStorageFailure,
             "storage failure; reconnect");
}

void Board::drop_board(const std::string& why, std::uint16_t close_code, const std::string& close_reason) {
  // Nothing waiting in replies_ was seen by anyone: reject the changes, close every
  // member (clients reconnect and resend), and reload from what the log holds.
  for (const QueuedReply& r : replies_.items()) {
    const auto* c = std::get_if<ChangeItem>(&r);
    if (!c || !c->conn_id) continue;
    bump(deps_.metrics.changes_rejected);
    count_reject(deps_.metrics, v1::REJECT_CODE_STORAGE_UNAVAILABLE);
    reply(c->conn_id, wire::reject_entry(c->client_seq, v1::REJECT_CODE_STORAGE_UNAVAILABLE, why), 1);
  }
  members_.close_where(nullptr, close_code, close_reason);
  // Promotes waiting for their item are answered too: not decided, the discovery
  // board sends them again (PROMOTE-6). Their `then` in replies_ is then a no-op.
  answer_waiting_promotes(why);
  replies_.clear();
  catchup_.clear();
  welcomes_.clear();
  seq_.clients().clear();
  outbox_.clear();
  invites_.clear();
  seq_.state().reset(meta_);
  durable_seq_ = 0;
  ++epoch_;
  phase_ = Phase::kNew;
}

}  // namespace tandem
