// Board: joining (SPEC JOIN-*): admission, the welcome and its snapshot (catchup.hpp,
// welcome_snapshot.hpp).
#include "board/board_actor.hpp"
#include "log.hpp"

namespace tandem {

namespace net = boost::asio;

namespace {
log::Limiter g_refused_log;  // a client can trigger refusals (server/log.hpp)

// An encoded snapshot at least this big is reused with the changes after it (JOIN-3).
constexpr std::size_t kMinStaleSnapshotBytes = 64 << 10;
}  // namespace

void Board::refuse_join(Subscriber& sub, v1::ErrorCode code, std::string message, std::uint16_t close_code) {
  log::limited(g_refused_log, log::Level::kInfo,
               log::Fields().board(id_).code(close_code ? close_code : -1).reason(message),
               "board %s: join refused: %s (%s)", id_.c_str(), message.c_str(), v1::ErrorCode_Name(code).c_str());
  sub.join_failed(wire::error_entry(code, message));
  if (close_code) sub.close(close_code, close_code == wire::kCloseUnauthorized ? "token refused" : message);
  maybe_retire();
}

void Board::do_join(std::shared_ptr<Subscriber> sub, JoinRequest req) {
  // CLUSTER-2: served by another node, or its node is away; nothing else is said.
  if (phase_ == Phase::kElsewhere || phase_ == Phase::kMoving)
    return refuse_join(*sub, elsewhere_code(), elsewhere_message(), elsewhere_close());
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
  w.set_lease_epoch(lease_epoch_);  // CLUSTER-3
  PresenceRelay::Filter filter;
  if (visibility::may_filter(seq_.state(), anonymous_possible_))
    filter = [this](const PresenceRelay::Member& from, const PresenceRelay::Member& to, const v1::Presence& p) {
      return presence_view(p, from, to);
    };
  members_.present(item.conn_id, &w, filter);
  wire::SharedBytes welcome = wire::welcome_entry(w.SerializeAsString(), item.body);
  std::size_t bytes = welcome->size();  // the Welcome's size, its parts included (JOIN-8)
  if (item.parts)
    for (const auto& part : *item.parts) bytes += part->size();
  deps_.metrics.welcome_bytes.observe(bytes);
  sub->deliver_welcome(std::move(welcome), item.parts);
  members_.welcomed(item.conn_id);  // tells the others (reliable: who is here must be right)
}

}  // namespace tandem
