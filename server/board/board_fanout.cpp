// Board: what leaves when the log has it (ACK-1): the reply queue drained in seq order,
// fan-out batches shared by every member, per-view encodings where visibility applies
// (VIS-6), acks and direct replies.
#include "board/board_actor.hpp"

namespace tandem {

namespace net = boost::asio;

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
  if (!m || !change.ParseFromString(c.change)) return wire::ack_entry(c.client_seq, c.seq, false, c.time_ms);
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
  // An anonymous phase now, or an anonymous object made by a change that also removed
  // its phase: from here on this board may hold anonymous objects (VIS-3).
  if (visibility::agenda_anonymous(state) || state.anonymous_seen()) anonymous_possible_ = true;
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

void Board::reply(std::uint64_t conn_id, wire::SharedBytes entry, std::size_t credit) {
  if (PresenceRelay::Member* m = members_.find(conn_id))
    if (auto s = m->sub.lock()) s->deliver(std::move(entry), credit);
}

}  // namespace tandem
