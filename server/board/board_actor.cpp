#include "board_actor.hpp"

#include <boost/asio/post.hpp>

#include <chrono>
#include <cstdio>

#include "board/board_directory.hpp"
#include "model/order_key.hpp"
#include "model/templates.hpp"
#include "storage/keys.hpp"

namespace tandem {

namespace net = boost::asio;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

constexpr const char* kSystemAuthor = "tandem";

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
      state_(deps.schema, deps.limits.state) {}

// ---------- public entry points: post to the strand ----------

// A retired Board (closed while idle, SPEC LIFE-1) forwards what still reaches it
// through an old pointer to the board's current actor, in the order it came.

void Board::join(std::shared_ptr<Subscriber> sub, JoinRequest req) {
  net::post(strand_, [self = shared_from_this(), sub = std::move(sub), req = std::move(req)]() mutable {
    if (self->retired_) {
      if (auto next = self->successor(true)) next->join(std::move(sub), std::move(req));
      else sub->join_failed(wire::error_entry(v1::ERROR_CODE_UNKNOWN_BOARD, "board is served by another node"));
      return;
    }
    self->run_or_defer([self, sub = std::move(sub), req = std::move(req)]() mutable {
      self->do_join(std::move(sub), std::move(req));
    });
  });
}

void Board::submit(std::uint64_t conn_id, v1::Submit submit) {
  net::post(strand_, [self = shared_from_this(), conn_id, submit = std::move(submit)]() mutable {
    if (self->retired_) {
      if (auto next = self->successor(true)) next->submit(conn_id, std::move(submit));
      return;
    }
    self->run_or_defer([self, conn_id, submit = std::move(submit)]() mutable {
      self->do_submit(conn_id, std::move(submit));
    });
  });
}

void Board::presence(std::uint64_t conn_id, v1::Presence presence) {
  net::post(strand_, [self = shared_from_this(), conn_id, presence = std::move(presence)]() mutable {
    if (self->retired_) {
      if (auto next = self->successor(false)) next->presence(conn_id, std::move(presence));
      return;
    }
    self->run_or_defer([self, conn_id, presence = std::move(presence)]() mutable {
      self->do_presence(conn_id, std::move(presence));
    });
  });
}

void Board::promote_in(PromoteRequest req, PromoteCallback done) {
  net::post(strand_, [self = shared_from_this(), req = std::move(req), done = std::move(done)]() mutable {
    if (self->retired_) {
      if (auto next = self->successor(true)) next->promote_in(std::move(req), std::move(done));
      else done(false, "board is served by another node");
      return;
    }
    self->run_or_defer([self, req = std::move(req), done = std::move(done)]() mutable {
      self->do_promote_in(std::move(req), std::move(done));
    });
  });
}

void Board::leave(std::uint64_t conn_id) {
  net::post(strand_, [self = shared_from_this(), conn_id] {
    if (self->retired_) {
      if (auto next = self->successor(false)) next->leave(conn_id);
      return;
    }
    self->run_or_defer([self, conn_id] { self->do_leave(conn_id); });
  });
}

std::shared_ptr<Board> Board::successor(bool open) {
  if (!deps_.directory) return nullptr;
  return open ? deps_.directory->find_or_open(id_) : deps_.directory->find(id_);
}

void Board::maybe_retire() {
  if (retired_ || !deps_.directory) return;
  if (phase_ != Phase::kReady && phase_ != Phase::kMissing) return;
  if (!members_.empty() || !pending_.empty() || !deferred_.empty() || !promotes_in_flight_.empty()) return;
  // Nothing in memory that is not on disk, and nobody here: close the board. Its
  // next user loads it again (LIFE-1), so idle and unknown boards cost no memory.
  if (deps_.directory->erase_if(id_, this)) retired_ = true;
}

// ---------- lifecycle: load, create, ready ----------

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
  for (auto& fn : fns) run_or_defer(std::move(fn));
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

void Board::on_loaded(Status s, storage::BoardImage image) {
  auto broken = [this](std::string why) {
    std::fprintf(stderr, "tandem: board %s: %s\n", id_.c_str(), why.c_str());
    broken_reason_ = std::move(why);
    phase_ = Phase::kBroken;
    run_deferred();
    phase_ = Phase::kNew;  // the next request tries loading again
  };
  if (!s.ok()) return broken("cannot load: " + s.to_string());
  if (!image.meta) {
    phase_ = Phase::kMissing;
    run_deferred();
    return;
  }
  if (!meta_.ParseFromString(*image.meta)) return broken("cannot load: bad board metadata");
  state_.reset(meta_);
  if (image.snapshot) {
    v1::BoardSnapshot snap;
    if (!snap.ParseFromString(*image.snapshot)) return broken("cannot load: bad snapshot");
    state_.load(snap);
  }
  recent_.clear();
  recent_bytes_ = 0;
  for (std::string& bytes : image.changes) {
    v1::SequencedChange change;
    if (!change.ParseFromString(bytes)) return broken("cannot load: bad logged change");
    if (change.seq() > state_.seq()) {
      if (change.seq() != state_.seq() + 1)
        return broken("cannot load: log does not follow snapshot at " + std::to_string(state_.seq()));
      if (auto r = state_.replay(change))
        return broken("cannot load: logged change " + std::to_string(change.seq()) + " rejected: " + r->message);
    }
    remember_change(change.seq(), std::move(bytes));
  }
  durable_seq_ = state_.seq();
  last_snapshot_seq_ = image.snapshot_seq;
  clients_ = std::move(image.clients);
  become_ready();
}

void Board::become_ready() {
  phase_ = Phase::kReady;
  promotes_in_flight_.clear();
  run_deferred();
  dispatch_outbox();  // promotes logged before a restart and not yet answered
}

void Board::on_created(std::uint64_t epoch, Status s) {
  if (epoch != epoch_) return;
  if (!s.ok()) {
    pending_.clear();
    state_.reset(meta_);
    broken_reason_ = "cannot create board: " + s.to_string();
    phase_ = Phase::kBroken;
    run_deferred();
    phase_ = Phase::kNew;
    return;
  }
  durable_seq_ = state_.seq();  // 0, or 1 with a template
  last_snapshot_seq_ = 0;
  recent_.clear();
  recent_bytes_ = 0;
  for (Pending& p : pending_) remember_change(p.after_seq, std::move(p.change));
  pending_.clear();
  become_ready();
}

// ---------- requests ----------

void Board::do_join(std::shared_ptr<Subscriber> sub, JoinRequest req) {
  if (phase_ == Phase::kBroken) {
    sub->join_failed(wire::error_entry(v1::ERROR_CODE_STORAGE_UNAVAILABLE, broken_reason_));
    return;
  }
  if (phase_ == Phase::kMissing) {
    if (!req.create) {
      maybe_retire();
      sub->join_failed(wire::error_entry(v1::ERROR_CODE_UNKNOWN_BOARD,
                                         "no board '" + id_ + "' (set Join.create to create it)"));
      return;
    }
    meta_ = *req.create;
    meta_.set_id(id_);
    meta_.set_created_ms(now_ms());
    if (meta_.kind() != v1::BOARD_KIND_BACKLOG) meta_.set_kind(v1::BOARD_KIND_DISCOVERY);
    if (meta_.kind() == v1::BOARD_KIND_BACKLOG) meta_.clear_template_();
    if (meta_.title().size() > 200) meta_.mutable_title()->resize(200);
    phase_ = Phase::kCreating;
    const std::uint64_t epoch = ++epoch_;
    state_.reset(meta_);
    std::vector<storage::Write> writes;
    writes.push_back({storage::Cf::kBoards, storage::board_key(id_), meta_.SerializeAsString()});
    // The template is the board's first change, in the same batch as its metadata.
    auto tops = model::template_ops(meta_.template_());
    if (!tops.empty()) {
      if (auto r = apply_system(tops, &writes))
        std::fprintf(stderr, "tandem: board %s: template refused: %s\n", id_.c_str(), r->message.c_str());
    }
    deps_.committer.submit(id_, std::move(writes), [self = shared_from_this(), epoch](const Status& s) {
      net::post(self->strand_, [self, epoch, s] { self->on_created(epoch, s); });
    });
    deferred_.push_back([self = shared_from_this(), sub = std::move(sub), req = std::move(req)]() mutable {
      self->do_join(std::move(sub), std::move(req));
    });
    return;
  }

  // One connection per client id: a reconnect replaces a connection not yet seen dead.
  for (auto it = members_.begin(); it != members_.end(); ++it) {
    if (it->second.info.client_id() == req.client_id && it->first != req.conn_id) {
      if (auto old = it->second.sub.lock()) old->close(wire::kCloseReplaced, "replaced by a newer connection of this client");
      do_leave(it->first);
      break;
    }
  }

  Member m;
  m.sub = sub;
  m.info.set_client_id(req.client_id);
  m.info.set_user_name(req.user_name);
  m.info.set_color(req.color);
  m.info.set_role(req.role);
  members_[req.conn_id] = std::move(m);
  bump(deps_.metrics.joins);

  Pending p;
  p.kind = Pending::Kind::kWelcome;
  p.after_seq = state_.seq();
  p.conn_id = req.conn_id;
  auto c = clients_.find(req.client_id);
  p.last_client_seq = c == clients_.end() ? 0 : c->second.client_seq;
  p.bytes = std::make_shared<const std::string>(welcome_body(req.last_seen_seq));
  pending_.push_back(std::move(p));
  drain_pending();
}

std::string Board::welcome_body(std::uint64_t last_seen) const {
  const std::uint64_t head = state_.seq();
  std::string body;
  if (last_seen == head) return body;
  const std::uint64_t first_avail = recent_.empty() ? durable_seq_ + 1 : recent_.front().first;
  const bool by_changes = last_seen > 0 && last_seen < head && last_seen + 1 >= first_avail &&
                          head - last_seen <= deps_.limits.catchup_max_changes;
  if (by_changes) {
    for (const auto& [seq, bytes] : recent_) {
      if (seq <= last_seen) continue;
      wire::append_len_field(&body, wire::kWelcomeChangesField, bytes);
      if (body.size() > deps_.limits.catchup_max_bytes) break;
    }
    for (const Pending& p : pending_) {
      if (p.kind != Pending::Kind::kChange || p.after_seq <= last_seen) continue;
      wire::append_len_field(&body, wire::kWelcomeChangesField, p.change);
    }
    if (body.size() <= deps_.limits.catchup_max_bytes) return body;
    body.clear();  // too many bytes: a snapshot is smaller
  }
  wire::append_len_field(&body, wire::kWelcomeSnapshotField, state_.snapshot().SerializeAsString());
  return body;
}

void Board::do_submit(std::uint64_t conn_id, v1::Submit submit) {
  auto mit = members_.find(conn_id);
  if (mit == members_.end()) return;  // not joined (or left): nothing to answer
  const v1::Member& who = mit->second.info;
  const bool may_write = who.role() >= v1::ROLE_EDITOR;

  std::vector<storage::Write> writes;
  auto queue_reply = [&](std::uint64_t after, wire::SharedBytes e) {
    Pending p;
    p.kind = Pending::Kind::kReply;
    p.after_seq = after;
    p.conn_id = conn_id;
    p.bytes = std::move(e);
    pending_.push_back(std::move(p));
  };

  for (v1::Change& change : *submit.mutable_changes()) {
    const std::uint64_t cseq = change.client_seq();
    if (!may_write) {
      bump(deps_.metrics.changes_rejected);
      queue_reply(state_.seq(), reject_entry(cseq, v1::REJECT_CODE_NOT_ALLOWED, "viewers cannot change the board"));
      continue;
    }
    if (cseq == 0) {
      bump(deps_.metrics.changes_rejected);
      queue_reply(state_.seq(), reject_entry(cseq, v1::REJECT_CODE_BAD_OP, "client_seq must be at least 1"));
      continue;
    }
    storage::ClientRecord& rec = clients_[who.client_id()];
    if (cseq <= rec.client_seq) {
      // A resend of a change applied before (IDEM-*): ack, never apply twice.
      bump(deps_.metrics.changes_duplicate);
      const bool last = cseq == rec.client_seq;
      queue_reply(last ? rec.seq : state_.seq(), ack_entry(cseq, last ? rec.seq : 0, true));
      continue;
    }
    const std::uint64_t seq = state_.seq() + 1;
    const std::int64_t time_ms = now_ms();
    if (auto r = state_.apply(change.ops(), model::ApplyContext{seq, who.user_name(), time_ms, false})) {
      bump(deps_.metrics.changes_rejected);
      queue_reply(state_.seq(), reject_entry(cseq, r->code, std::move(r->message)));
      continue;
    }
    rec = storage::ClientRecord{cseq, seq};

    v1::SequencedChange sc;
    sc.set_seq(seq);
    sc.set_author(who.user_name());
    sc.set_client_id(who.client_id());
    sc.set_client_seq(cseq);
    sc.set_server_time_ms(time_ms);
    sc.mutable_ops()->Swap(change.mutable_ops());
    std::string bytes = sc.SerializeAsString();

    writes.push_back({storage::Cf::kClients, storage::client_key(id_, who.client_id()),
                      storage::encode_client_record(rec)});
    add_change_writes(seq, bytes, &writes);

    Pending p;
    p.kind = Pending::Kind::kChange;
    p.after_seq = seq;
    p.conn_id = conn_id;
    p.client_seq = cseq;
    p.server_time_ms = time_ms;
    p.bytes = wire::change_entry(bytes);
    p.change = std::move(bytes);
    pending_.push_back(std::move(p));
  }
  maybe_rebalance(&writes);
  if (!writes.empty()) commit(std::move(writes));
  drain_pending();
}

void Board::add_change_writes(std::uint64_t seq, const std::string& bytes, std::vector<storage::Write>* writes) {
  writes->push_back({storage::Cf::kOps, storage::seq_key(id_, seq), bytes});
  if (seq - last_snapshot_seq_ >= deps_.limits.snapshot_every_changes) {
    // In the same batch as the change it covers: never a snapshot of a lost change.
    writes->push_back({storage::Cf::kSnapshots, storage::seq_key(id_, seq), state_.snapshot().SerializeAsString()});
    last_snapshot_seq_ = seq;
  }
}

std::optional<model::Rejection> Board::apply_system(const google::protobuf::RepeatedPtrField<v1::Op>& ops,
                                                    std::vector<storage::Write>* writes, std::function<void()> then) {
  const std::uint64_t seq = state_.seq() + 1;
  const std::int64_t time_ms = now_ms();
  if (auto r = state_.apply(ops, model::ApplyContext{seq, kSystemAuthor, time_ms, true})) return r;
  v1::SequencedChange sc;
  sc.set_seq(seq);
  sc.set_author(kSystemAuthor);
  sc.set_client_id(kSystemAuthor);
  sc.set_server_time_ms(time_ms);
  sc.set_system(true);
  *sc.mutable_ops() = ops;
  std::string bytes = sc.SerializeAsString();
  add_change_writes(seq, bytes, writes);
  Pending p;
  p.kind = Pending::Kind::kChange;
  p.after_seq = seq;
  p.conn_id = 0;  // no connection: every member gets the change itself
  p.server_time_ms = time_ms;
  p.bytes = wire::change_entry(bytes);
  p.change = std::move(bytes);
  p.then = std::move(then);
  pending_.push_back(std::move(p));
  return std::nullopt;
}

void Board::maybe_rebalance(std::vector<storage::Write>* writes) {
  if (!state_.needs_rebalance()) return;
  google::protobuf::RepeatedPtrField<v1::Op> ops;
  *ops.Add() = state_.rebalance_op();
  if (auto r = apply_system(ops, writes))
    std::fprintf(stderr, "tandem: board %s: rebalance refused: %s\n", id_.c_str(), r->message.c_str());
}

v1::BoardMeta Board::current_meta() const {
  v1::BoardMeta m = meta_;
  m.set_title(state_.settings().title());
  return m;
}

// ---------- promote (PROMOTE-*) ----------

void Board::dispatch_outbox() {
  if (phase_ != Phase::kReady || state_.outbox().empty() || !deps_.directory) return;
  for (const auto& [seq, p] : state_.outbox()) {
    if (seq > durable_seq_) break;  // not on disk yet: nobody may act on it
    if (promotes_in_flight_.count(seq)) continue;
    promotes_in_flight_[seq] = true;
    auto target = deps_.directory->find_or_open(p.backlog_board());
    if (!target) {
      on_promote_result(seq, false, "board " + p.backlog_board() + " is served by another node");
      continue;
    }
    PromoteRequest req{id_, seq, p.note_id(), p.item_id(), p.title()};
    target->promote_in(std::move(req), [self = shared_from_this(), seq](bool ok, std::string error) {
      net::post(self->strand_, [self, seq, ok, error = std::move(error)]() mutable {
        self->on_promote_result(seq, ok, std::move(error));
      });
    });
  }
}

void Board::on_promote_result(std::uint64_t promote_seq, bool ok, std::string error) {
  promotes_in_flight_.erase(promote_seq);
  if (phase_ != Phase::kReady || !state_.outbox().count(promote_seq)) return maybe_retire();
  google::protobuf::RepeatedPtrField<v1::Op> ops;
  auto* done = ops.Add()->mutable_promote_done();
  done->set_promote_seq(promote_seq);
  done->set_ok(ok);
  done->set_error(std::move(error));
  std::vector<storage::Write> writes;
  if (auto r = apply_system(ops, &writes)) {
    std::fprintf(stderr, "tandem: board %s: promote_done refused: %s\n", id_.c_str(), r->message.c_str());
    return;
  }
  commit(std::move(writes));
  drain_pending();
}

void Board::do_promote_in(PromoteRequest req, PromoteCallback done) {
  if (phase_ == Phase::kMissing) {
    maybe_retire();
    return done(false, "no backlog board '" + id_ + "'");
  }
  if (phase_ == Phase::kBroken) return done(false, broken_reason_);
  if (state_.kind() != v1::BOARD_KIND_BACKLOG) return done(false, "board '" + id_ + "' is not a backlog board");
  if (const model::Object* item = state_.find(req.item_id)) {
    // A resend (after a restart of either side): the item exists, created by this
    // very promote. Answer once it is durable.
    if (item->type == v1::OBJECT_TYPE_BACKLOG_ITEM && item->text("source_board") == req.source_board &&
        item->text("source_note") == req.note_id) {
      Pending p;
      p.kind = Pending::Kind::kReply;
      p.after_seq = item->created_seq;
      p.then = [done] { done(true, ""); };
      pending_.push_back(std::move(p));
      return drain_pending();
    }
    return done(false, "backlog item id " + req.item_id + " is taken");
  }
  google::protobuf::RepeatedPtrField<v1::Op> ops;
  auto* c = ops.Add()->mutable_create();
  c->set_id(req.item_id);
  c->set_type(v1::OBJECT_TYPE_BACKLOG_ITEM);
  auto text = [&](const char* name, std::string value) {
    auto* f = c->add_fields();
    f->set_name(name);
    f->mutable_value()->set_text(std::move(value));
  };
  text("title", req.title.empty() ? "Untitled" : req.title);
  if (state_.settings().columns_size() > 0) text("status", state_.settings().columns(0));
  auto list = state_.ordered();
  auto key = model::order_key::between(
      list.empty() ? std::nullopt : std::optional<std::string_view>(list.back().first), std::nullopt);
  if (key) text("order", *key);
  text("source_board", req.source_board);
  text("source_note", req.note_id);
  std::vector<storage::Write> writes;
  if (auto r = apply_system(ops, &writes, [done] { done(true, ""); })) return done(false, r->message);
  commit(std::move(writes));
  drain_pending();
}

void Board::do_presence(std::uint64_t conn_id, v1::Presence presence) {
  auto mit = members_.find(conn_id);
  if (mit == members_.end() || !mit->second.welcomed) return;
  mit->second.presence = std::move(presence);
  v1::ServerMessage m;
  *m.mutable_presence()->mutable_member() = mit->second.info;
  *m.mutable_presence()->mutable_presence() = mit->second.presence;
  auto e = wire::entry(m);
  for (auto& [cid, other] : members_) {
    if (cid == conn_id || !other.welcomed) continue;
    if (auto s = other.sub.lock()) s->deliver_presence(mit->second.info.client_id(), e);
  }
}

void Board::do_leave(std::uint64_t conn_id) {
  auto mit = members_.find(conn_id);
  if (mit == members_.end()) return;
  const bool was_welcomed = mit->second.welcomed;
  const std::string client_id = mit->second.info.client_id();
  members_.erase(mit);
  if (members_.empty()) maybe_retire();
  if (!was_welcomed) return;
  v1::ServerMessage m;
  m.mutable_member_left()->set_client_id(client_id);
  auto e = wire::entry(m);
  for (auto& [cid, other] : members_) {
    if (!other.welcomed) continue;
    if (auto s = other.sub.lock()) s->deliver_left(client_id, e);
  }
}

// ---------- durability and fan-out ----------

void Board::commit(std::vector<storage::Write> writes) {
  deps_.committer.submit(id_, std::move(writes),
                         [self = shared_from_this(), epoch = epoch_, upto = state_.seq()](const Status& s) {
                           net::post(self->strand_, [self, epoch, upto, s] { self->on_durable(epoch, upto, s); });
                         });
}

void Board::on_durable(std::uint64_t epoch, std::uint64_t upto, Status s) {
  if (epoch != epoch_) return;
  if (!s.ok()) return fail_storage(s);
  if (upto > durable_seq_) durable_seq_ = upto;
  drain_pending();
}

void Board::fail_storage(const Status& s) {
  bump(deps_.metrics.storage_failures);
  std::fprintf(stderr, "tandem: board %s: log write failed: %s\n", id_.c_str(), s.to_string().c_str());
  // Nothing in pending_ was seen by anyone: reject the changes, close every member
  // (clients reconnect and resend), and reload from what the log really holds.
  for (const Pending& p : pending_) {
    if (p.kind != Pending::Kind::kChange) continue;
    bump(deps_.metrics.changes_rejected);
    reply(p.conn_id, reject_entry(p.client_seq, v1::REJECT_CODE_STORAGE_UNAVAILABLE,
                                  "the board's log could not be written: " + s.message()));
  }
  for (auto& [cid, m] : members_)
    if (auto sub = m.sub.lock()) sub->close(wire::kCloseStorageFailure, "storage failure; reconnect");
  members_.clear();
  pending_.clear();
  recent_.clear();
  recent_bytes_ = 0;
  clients_.clear();
  promotes_in_flight_.clear();
  state_.reset(meta_);
  durable_seq_ = 0;
  ++epoch_;
  phase_ = Phase::kNew;
}

void Board::fan_out(std::shared_ptr<std::vector<Fanout>>& batch) {
  if (batch->empty()) return;
  FanoutBatch shared = std::move(batch);
  for (auto& [cid, m] : members_) {
    if (!m.welcomed) continue;
    if (auto s = m.sub.lock()) s->deliver_changes(shared);
  }
  bump(deps_.metrics.changes_accepted, shared->size());
  batch = std::make_shared<std::vector<Fanout>>();
}

void Board::drain_pending() {
  auto batch = std::make_shared<std::vector<Fanout>>();
  while (!pending_.empty() && pending_.front().after_seq <= durable_seq_) {
    Pending p = std::move(pending_.front());
    pending_.pop_front();
    switch (p.kind) {
      case Pending::Kind::kChange:
        batch->push_back(Fanout{std::move(p.bytes), p.conn_id,
                                p.conn_id ? ack_entry(p.client_seq, p.after_seq, false, p.server_time_ms) : nullptr});
        remember_change(p.after_seq, std::move(p.change));
        break;
      case Pending::Kind::kReply:
        fan_out(batch);
        if (p.bytes) reply(p.conn_id, std::move(p.bytes));
        break;
      case Pending::Kind::kWelcome:
        fan_out(batch);
        send_welcome(p);
        break;
    }
    if (p.then) p.then();
  }
  fan_out(batch);
  dispatch_outbox();
  if (members_.empty()) maybe_retire();
}

void Board::send_welcome(const Pending& p) {
  auto mit = members_.find(p.conn_id);
  if (mit == members_.end()) return;
  auto sub = mit->second.sub.lock();
  if (!sub) return;
  v1::Welcome w;
  w.set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
  *w.mutable_board() = current_meta();
  w.set_role(mit->second.info.role());
  w.set_head_seq(p.after_seq);
  w.set_last_client_seq(p.last_client_seq);
  for (const auto& [cid, other] : members_) {
    if (cid == p.conn_id || !other.welcomed) continue;
    v1::MemberPresence* mp = w.add_present();
    *mp->mutable_member() = other.info;
    *mp->mutable_presence() = other.presence;
  }
  sub->deliver(wire::welcome_entry(w.SerializeAsString(), *p.bytes));
  mit->second.welcomed = true;

  // Tell the others someone arrived (reliable: the list of who is here must be right).
  v1::ServerMessage m;
  *m.mutable_presence()->mutable_member() = mit->second.info;
  auto e = wire::entry(m);
  for (auto& [cid, other] : members_) {
    if (cid == p.conn_id || !other.welcomed) continue;
    if (auto s = other.sub.lock()) s->deliver(e);
  }
}

void Board::reply(std::uint64_t conn_id, wire::SharedBytes entry) {
  auto mit = members_.find(conn_id);
  if (mit == members_.end()) return;
  if (auto s = mit->second.sub.lock()) s->deliver(std::move(entry), 1);
}

void Board::remember_change(std::uint64_t seq, std::string bytes) {
  recent_bytes_ += bytes.size();
  recent_.emplace_back(seq, std::move(bytes));
  while (!recent_.empty() && (recent_.size() > deps_.limits.catchup_max_changes ||
                              recent_bytes_ > deps_.limits.catchup_max_bytes)) {
    recent_bytes_ -= recent_.front().second.size();
    recent_.pop_front();
  }
}

}  // namespace tandem
