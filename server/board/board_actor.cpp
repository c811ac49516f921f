#include "board/board_actor.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <unordered_map>

#include "board/board_directory.hpp"
#include "model/templates.hpp"
#include "storage/keys.hpp"

namespace tandem {

namespace net = boost::asio;

namespace {

// An encoded snapshot at least this big is reused with the changes after it (JOIN-3).
constexpr std::size_t kMinStaleSnapshotBytes = 64 << 10;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

wire::SharedBytes ack_entry(std::uint64_t client_seq, std::uint64_t seq, bool duplicate, std::int64_t time_ms = 0) {
  v1::ServerMessage m;
  v1::Ack* a = m.mutable_ack();
  a->set_client_seq(client_seq);
  a->set_seq(seq);
  a->set_duplicate(duplicate);
  a->set_server_time_ms(time_ms);
  return wire::entry(m);
}

wire::SharedBytes reject_entry(std::uint64_t client_seq, v1::RejectCode code, std::string message) {
  v1::ServerMessage m;
  v1::Reject* r = m.mutable_reject();
  r->set_client_seq(client_seq);
  r->set_code(code);
  r->set_message(std::move(message));
  return wire::entry(m);
}

}  // namespace

Board::Board(std::string id, net::any_io_executor executor, Deps deps)
    : id_(std::move(id)),
      strand_(net::make_strand(executor)),
      deps_(deps),
      seq_(deps.schema, deps.limits.state, deps.tokens),
      presence_timer_(strand_),
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
    if (b.retired_) return done(false, "board is served by another node");
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

std::shared_ptr<Board> Board::successor(bool open) {
  if (!deps_.directory) return nullptr;
  return open ? deps_.directory->find_or_open(id_) : deps_.directory->find(id_);
}

void Board::maybe_retire() {
  if (retired_ || !deps_.directory) return;
  if (phase_ != Phase::kReady && phase_ != Phase::kMissing) return;
  if (!members_.empty() || !replies_.empty() || !deferred_.empty() || deferred_left_ || !outbox_.idle()) return;
  // Nothing in memory that is not on disk, and nobody here: close the board. Its
  // next user loads it again (LIFE-1), so idle and unknown boards cost no memory.
  if (deps_.directory->erase_if(id_, this)) retired_ = true;
}

// ---------- lifecycle: load, ready ----------

void Board::run_or_defer(std::function<void()> fn) {
  if (phase_ == Phase::kReady || phase_ == Phase::kMissing || phase_ == Phase::kBroken) {
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
  last_snapshot_seq_ = image.snapshot_seq;
  become_ready();
}

void Board::become_ready() {
  phase_ = Phase::kReady;
  outbox_.clear();
  dispatch_outbox();  // promotes logged before a restart and not yet answered
  run_deferred();
}

// ---------- requests ----------

void Board::refuse_join(Subscriber& sub, v1::ErrorCode code, std::string message, std::uint16_t close_code) {
  sub.join_failed(wire::error_entry(code, std::move(message)));
  if (close_code) sub.close(close_code, "token refused");
  maybe_retire();
}

void Board::do_join(std::shared_ptr<Subscriber> sub, JoinRequest req) {
  if (phase_ == Phase::kBroken)
    return refuse_join(*sub, v1::ERROR_CODE_STORAGE_UNAVAILABLE, broken_reason_);
  // AUTH-2: the same answer for a missing board and a revoked invite.
  if (phase_ == Phase::kMissing || !invites_.admits(req.invite_nonce))
    return refuse_join(*sub, v1::ERROR_CODE_UNAUTHORIZED, "token refused", wire::kCloseUnauthorized);
  if (!seq_.bind(req.client_id, req.member_id))
    return refuse_join(*sub, v1::ERROR_CODE_CLIENT_ID_TAKEN, "this client id belongs to another member; pick a new one");

  // One connection per client id: a reconnect replaces a connection not yet seen dead.
  if (auto old = members_.find_client(req.client_id, req.conn_id)) {
    if (auto s = members_.find(*old)->sub.lock()) s->close(wire::kCloseReplaced, "replaced by a newer connection of this client");
    members_.remove(*old);
  }

  PresenceRelay::Member m;
  m.sub = sub;
  m.info.set_client_id(req.client_id);
  m.info.set_user_name(req.user_name);
  m.info.set_color(req.color);
  m.info.set_role(req.role);
  m.info.set_member_id(req.member_id);
  m.invite_nonce = req.invite_nonce;
  members_.add(req.conn_id, std::move(m));
  bump(deps_.metrics.joins);

  const model::BoardState& state = seq_.state();
  WelcomeItem w;
  w.after_seq = state.seq();
  w.conn_id = req.conn_id;
  w.last_client_seq = seq_.last_client_seq(req.client_id);
  // The welcome as this member may see it (VIS-*), against the state at the join.
  const visibility::Viewer v = visibility::viewer(req.member_id, req.role);
  const bool filter = visibility::may_filter(state, anonymous_possible_);
  // The cache key of this joiner's view: one for everyone while nothing is filtered.
  const std::string view_key = filter ? v.member_id + (v.facilitator ? "/f" : "/m") : std::string();
  const EncodedSnapshot* cached = welcomes_.cached(view_key);
  // Reused at its seq always; older, followed by the changes since, only when big
  // enough for that to pay (a small board's joiner gets a snapshot at the head).
  if (cached && cached->seq != state.seq() && cached->bytes() < kMinStaleSnapshotBytes) cached = nullptr;
  bool built = false;
  CatchupWindow::Body body = catchup_.welcome_body(
      req.last_seen_seq, state.seq(), durable_seq_, replies_, cached,
      [&] {
        built = true;
        bump(deps_.metrics.welcome_snapshots_built);
        return welcomes_.build(view_key, state, filter ? &v : nullptr);
      },
      [&](const std::string& bytes) {
        v1::SequencedChange change;
        if (!change.ParseFromString(bytes)) return std::string();
        return visibility::view(change, state, v, sender_member(change)).SerializeAsString();
      });
  if (!built && cached && body.bytes.size() > cached->head->size()) bump(deps_.metrics.welcome_snapshots_reused);
  w.body = std::move(body.bytes);
  w.parts = std::move(body.parts);
  replies_.push(std::move(w));
  drain_replies();
}

void Board::do_submit(std::uint64_t conn_id, v1::Submit submit) {
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
        replies_.push(ReplyItem{a.seq, conn_id, ack_entry(cseq, a.seq, true), 1, {}});
        break;
      case Sequencer::Answer::Kind::kRejected:
        bump(deps_.metrics.changes_rejected);
        replies_.push(ReplyItem{seq_.state().seq(), conn_id, reject_entry(cseq, a.code, std::move(a.message)), 1, {}});
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
  const bool sensitive = classify(a.change, nullptr);
  wire::SharedBytes entry = wire::change_entry(a.change);
  if (a.seq - last_snapshot_seq_ >= deps_.limits.snapshot_every_changes) {
    // In the same batch as the change it covers: never a snapshot of a lost change.
    writes->push_back({storage::Cf::kSnapshots, storage::seq_key(id_, a.seq),
                       seq_.state().snapshot().SerializeAsString()});
    last_snapshot_seq_ = a.seq;
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

void Board::do_presence(std::uint64_t conn_id, v1::Presence presence) {
  if (auto why = members_.update(conn_id, std::move(presence))) {
    if (auto* me = members_.find(conn_id))
      if (auto s = me->sub.lock()) s->deliver(wire::error_entry(v1::ERROR_CODE_BAD_PRESENCE, "presence refused: " + *why));
    return;
  }
  if (members_.changed()) arm_presence_tick();
}

// PRES-4: presence leaves once per tick, whatever the number of updates; the timer
// runs only while something changed, so an idle board has no timer.
void Board::arm_presence_tick() {
  if (presence_armed_) return;
  presence_armed_ = true;
  presence_timer_.expires_after(std::chrono::milliseconds(std::max(1, deps_.limits.presence_tick_ms)));
  presence_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    self->presence_armed_ = false;
    if (ec || self->retired_) return;
    self->presence_tick();
  });
}

void Board::presence_tick() {
  std::size_t handoffs = 0;
  if (visibility::may_filter(seq_.state(), anonymous_possible_)) {
    // Ids of objects a recipient may not see are stripped from what it gets (VIS-1, VIS-3).
    PresenceRelay::Views views;
    views.sensitive = [this](const PresenceRelay::Member& m) { return presence_sensitive(m.presence); };
    views.key = [this](const PresenceRelay::Member& to) {
      const visibility::Viewer v = viewer_of(to);
      return v.member_id + (v.facilitator ? "/f" : "/m");  // ids never hold a slash
    };
    views.filter = [this](const PresenceRelay::Member& from, const PresenceRelay::Member& to, const v1::Presence& p) {
      return presence_view(p, from, to);
    };
    handoffs = members_.tick(&views);
  } else {
    handoffs = members_.tick();
  }
  bump(deps_.metrics.presence_ticks);
  bump(deps_.metrics.presence_handoffs, handoffs);
}

bool Board::presence_sensitive(const v1::Presence& p) const {
  if (visibility::presence_sensitive(p, seq_.state())) return true;
  if (!p.has_drag()) return false;
  v1::Presence probe;  // the dragged object, judged as an edited one would be
  probe.set_editing(p.drag().object_id());
  return visibility::presence_sensitive(probe, seq_.state());
}

v1::Presence Board::presence_view(const v1::Presence& p, const PresenceRelay::Member& from,
                                  const PresenceRelay::Member& to) const {
  if (!presence_sensitive(p)) return p;
  v1::Presence out = visibility::filter_presence(p, seq_.state(), viewer_of(to), from.info.member_id());
  if (out.has_drag()) {
    v1::Presence probe;
    probe.set_editing(out.drag().object_id());
    if (visibility::filter_presence(probe, seq_.state(), viewer_of(to), from.info.member_id()).editing().empty())
      out.clear_drag();
  }
  return out;
}

void Board::do_leave(std::uint64_t conn_id) {
  members_.remove(conn_id);
  if (members_.empty()) maybe_retire();
}

// ---------- promote (PROMOTE-*) ----------

void Board::dispatch_outbox() {
  if (phase_ != Phase::kReady || seq_.state().outbox().empty() || !deps_.directory) return;
  for (PromoteRequest& req : outbox_.due(id_, seq_.state().outbox(), durable_seq_)) {
    const std::uint64_t seq = req.promote_seq;
    req.promoter_invite = seq_.take_promote_invite(req.item_id);
    auto target = deps_.directory->find_or_open(seq_.state().outbox().at(seq).backlog_board());
    if (!target) {
      on_promote_result(seq, false, "the backlog board is served by another node");
      continue;
    }
    target->promote_in(std::move(req), [self = shared_from_this(), seq](bool ok, std::string error) {
      net::post(self->strand_, [self, seq, ok, error = std::move(error)]() mutable {
        self->on_promote_result(seq, ok, std::move(error));
      });
    });
  }
}

void Board::on_promote_result(std::uint64_t promote_seq, bool ok, std::string error) {
  outbox_.answered(promote_seq);
  if (phase_ != Phase::kReady || !seq_.state().outbox().count(promote_seq)) return maybe_retire();
  google::protobuf::RepeatedPtrField<v1::Op> ops;
  auto* done = ops.Add()->mutable_promote_done();
  done->set_promote_seq(promote_seq);
  done->set_ok(ok);
  done->set_error(std::move(error));
  std::vector<storage::Write> writes;
  if (!apply_system(ops, &writes)) return;
  commit(std::move(writes));
  drain_replies();
}

void Board::do_promote_in(PromoteRequest req, PromoteCallback done) {
  if (phase_ == Phase::kMissing) {
    maybe_retire();
    return done(false, "no such backlog board");
  }
  if (phase_ == Phase::kBroken) return done(false, broken_reason_);
  const model::BoardState& state = seq_.state();
  if (state.kind() != v1::BOARD_KIND_BACKLOG) return done(false, "the target is not a backlog board");
  if (const model::Object* item = state.find(req.item_id)) {
    // A resend (after a restart of either side): the item exists, created by this
    // very promote. Answer once it is durable.
    if (item->type == v1::OBJECT_TYPE_BACKLOG_ITEM && item->text("source_board") == req.source_board &&
        item->text("source_note") == req.note_id) {
      replies_.push(ReplyItem{item->created_seq, 0, nullptr, 0, [done] { done(true, ""); }});
      return drain_replies();
    }
    return done(false, "backlog item id " + req.item_id + " is taken");
  }
  if (req.promoter_invite && !invites_.admits(*req.promoter_invite))
    return done(false, "the promoter no longer has edit rights on the backlog board");
  google::protobuf::RepeatedPtrField<v1::Op> ops;
  *ops.Add() = backlog_item_op(state, req);
  std::vector<storage::Write> writes;
  if (!apply_system(ops, &writes, [done] { done(true, ""); })) return done(false, "the backlog refused the item");
  commit(std::move(writes));
  drain_replies();
}

// ---------- durability and fan-out ----------

void Board::commit(std::vector<storage::Write> writes, std::function<void(const Status&)> after) {
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
  if (upto > durable_seq_) durable_seq_ = upto;
  drain_replies();
}

void Board::fail_storage(const Status& s) {
  bump(deps_.metrics.storage_failures);
  std::fprintf(stderr, "tandem: board %s: log write failed: %s\n", id_.c_str(), s.to_string().c_str());
  // Nothing waiting in replies_ was seen by anyone: reject the changes, close every
  // member (clients reconnect and resend), and reload from what the log holds.
  for (const QueuedReply& r : replies_.items()) {
    const auto* c = std::get_if<ChangeItem>(&r);
    if (!c || !c->conn_id) continue;
    bump(deps_.metrics.changes_rejected);
    reply(c->conn_id, reject_entry(c->client_seq, v1::REJECT_CODE_STORAGE_UNAVAILABLE,
                                   "the board's log could not be written: " + s.message()), 1);
  }
  members_.close_where(nullptr, wire::kCloseStorageFailure, "storage failure; reconnect");
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

void Board::fan_out(std::shared_ptr<std::vector<Fanout>>& batch) {
  if (batch->empty()) return;
  FanoutBatch shared = std::move(batch);
  members_.for_each_welcomed([&](std::uint64_t, Subscriber& s) { s.deliver_changes(shared); });
  bump(deps_.metrics.changes_accepted, shared->size());
  batch = std::make_shared<std::vector<Fanout>>();
}

void Board::fan_out_per_view(const ChangeItem& c) {
  bump(deps_.metrics.changes_accepted);
  wire::SharedBytes ack = ack_for(c);
  const model::BoardState& state = seq_.state();
  v1::SequencedChange change;
  if (!change.ParseFromString(c.change) || !visibility::classify(change, state).now) {
    // Nothing to filter any more (revealed, or names shown since): the one encoding.
    FanoutBatch shared = std::make_shared<const std::vector<Fanout>>(1, Fanout{c.entry, c.conn_id, ack});
    members_.for_each_welcomed([&](std::uint64_t, Subscriber& s) { s.deliver_changes(shared); });
    return;
  }
  // VIS-6: one encoding per distinct view; members of one view share its bytes.
  const std::string sender = sender_member(change);
  std::unordered_map<std::string, FanoutBatch> views;
  members_.for_each_welcomed_member([&](std::uint64_t, const PresenceRelay::Member& m, Subscriber& s) {
    const visibility::Viewer v = viewer_of(m);
    const std::string key = visibility::view_key(change, state, v, sender);
    auto it = views.find(key);
    if (it == views.end()) {
      const std::string bytes = visibility::view(change, state, v, sender).SerializeAsString();
      it = views.emplace(key, std::make_shared<const std::vector<Fanout>>(
                                  1, Fanout{wire::change_entry(bytes), c.conn_id, ack})).first;
    }
    s.deliver_changes(it->second);
  });
}

// The sender's ack; with the derived ops of its change as the sender may see them (ACK-4).
wire::SharedBytes Board::ack_for(const ChangeItem& c) {
  if (!c.conn_id) return nullptr;
  const PresenceRelay::Member* m = c.user_ops >= 0 ? members_.find(c.conn_id) : nullptr;
  v1::SequencedChange change;
  if (!m || !change.ParseFromString(c.change)) return ack_entry(c.client_seq, c.seq, false, c.time_ms);
  v1::SequencedChange derived = change;
  derived.mutable_ops()->DeleteSubrange(0, c.user_ops);
  v1::ServerMessage msg;
  v1::Ack* a = msg.mutable_ack();
  a->set_client_seq(c.client_seq);
  a->set_seq(c.seq);
  a->set_server_time_ms(c.time_ms);
  *a->mutable_derived() = visibility::view(derived, seq_.state(), viewer_of(*m), sender_member(change)).ops();
  return wire::entry(msg);
}

bool Board::classify(std::string_view change_bytes, const v1::SequencedChange* parsed) {
  const model::BoardState& state = seq_.state();
  if (visibility::agenda_anonymous(state)) anonymous_possible_ = true;
  // The common case: a board with nothing private, anonymous or secret costs no parse.
  if (!parsed && !visibility::may_filter(state, anonymous_possible_)) return false;
  v1::SequencedChange local;
  if (!parsed) {
    if (!local.ParseFromArray(change_bytes.data(), static_cast<int>(change_bytes.size()))) return true;
    parsed = &local;
  }
  const visibility::Classification c = visibility::classify(*parsed, state);
  if (c.anonymous) anonymous_possible_ = true;
  return c.any();
}

std::string Board::sender_member(const v1::SequencedChange& change) {
  if (change.system()) return {};
  if (!change.author_id().empty()) return change.author_id();
  auto it = seq_.clients().find(change.client_id());
  return it == seq_.clients().end() ? std::string() : it->second.member_id;
}

visibility::Viewer Board::viewer_of(const PresenceRelay::Member& m) const {
  return visibility::viewer(m.info.member_id(), m.info.role());
}

void Board::drain_replies() {
  auto batch = std::make_shared<std::vector<Fanout>>();
  replies_.drain(durable_seq_, [&](QueuedReply& r) {
    std::function<void()> then;
    if (auto* c = std::get_if<ChangeItem>(&r)) {
      if (c->sensitive) {
        fan_out(batch);
        fan_out_per_view(*c);
      } else {
        wire::SharedBytes ack = ack_for(*c);
        batch->push_back(Fanout{std::move(c->entry), c->conn_id, std::move(ack)});
      }
      catchup_.remember(c->seq, std::move(c->change), c->sensitive);
      then = std::move(c->then);
    } else if (auto* p = std::get_if<ReplyItem>(&r)) {
      fan_out(batch);
      if (p->entry) reply(p->conn_id, std::move(p->entry), p->credit);
      then = std::move(p->then);
    } else {
      fan_out(batch);
      send_welcome(std::get<WelcomeItem>(r));
    }
    if (then) then();
  });
  fan_out(batch);
  dispatch_outbox();
  if (members_.empty()) maybe_retire();
}

void Board::send_welcome(const WelcomeItem& item) {
  PresenceRelay::Member* me = members_.find(item.conn_id);
  if (!me) return;
  auto sub = me->sub.lock();
  if (!sub) return;
  v1::Welcome w;
  w.set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
  *w.mutable_board() = current_meta();
  w.set_role(me->info.role());
  w.set_head_seq(item.after_seq);
  w.set_last_client_seq(item.last_client_seq);
  *w.mutable_you() = me->info;
  w.set_server_time_ms(now_ms());  // FAC-3: the client's clock offset
  PresenceRelay::Filter filter;
  if (visibility::may_filter(seq_.state(), anonymous_possible_))
    filter = [this](const PresenceRelay::Member& from, const PresenceRelay::Member& to, const v1::Presence& p) {
      return presence_view(p, from, to);
    };
  members_.present(item.conn_id, &w, filter);
  sub->deliver_welcome(wire::welcome_entry(w.SerializeAsString(), item.body), item.parts);
  members_.welcomed(item.conn_id);  // tells the others (reliable: who is here must be right)
}

void Board::reply(std::uint64_t conn_id, wire::SharedBytes entry, std::size_t credit) {
  if (PresenceRelay::Member* m = members_.find(conn_id))
    if (auto s = m->sub.lock()) s->deliver(std::move(entry), credit);
}

}  // namespace tandem
