#include "session/endpoint.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <iterator>
#include <utility>

#include "board/board_actor.hpp"
#include "log.hpp"
#include "model/board_state.hpp"

namespace tandem {

namespace net = boost::asio;

namespace {
// Clients send presence at most ~30 times a second (DESIGN section 4); the server
// drops what comes faster than this from one connection.
constexpr auto kMinPresenceInterval = std::chrono::milliseconds(15);

// One log line per event a client can trigger, within a budget (server/log.hpp).
log::Limiter g_refused_join_log;
log::Limiter g_rate_log;
log::Limiter g_malformed_log;
}  // namespace

std::shared_ptr<Endpoint> Endpoint::create(ServerContext& ctx, net::any_io_executor strand,
                                           std::weak_ptr<Sink> sink, std::uint64_t conn_id) {
  std::shared_ptr<Endpoint> e(new Endpoint(ctx, std::move(strand), std::move(sink), conn_id));
  ctx.sessions.add(conn_id, e);
  return e;
}

Endpoint::Endpoint(ServerContext& ctx, net::any_io_executor strand, std::weak_ptr<Sink> sink,
                   std::uint64_t conn_id)
    : ctx_(ctx),
      strand_(std::move(strand)),
      sink_(std::move(sink)),
      conn_id_(conn_id),
      tokens_(ctx.config.rate_burst) {}

std::string Endpoint::board_id() const { return board_ ? board_->id() : std::string(); }

void Endpoint::on_end() {
  if (board_) board_->leave(conn_id_);
  board_.reset();
  ctx_.sessions.remove(conn_id_);
}

// ---------- from the client ----------

void Endpoint::on_message(std::string_view bytes, bool binary) {
  auto sink = sink_.lock();
  if (!sink) return;
  if (rate_closed_) return;
  if (!binary) {
    if (!take_token(*sink)) return;
    bump(ctx_.metrics.malformed_frames);
    log::limited(g_malformed_log, log::Level::kWarn, "session %llu: a text frame (FRAME-1)",
                 static_cast<unsigned long long>(conn_id_));
    return send_error(*sink, v1::ERROR_CODE_MALFORMED_FRAME, "frames must be binary tandem.v1.ClientMessage");
  }
  v1::ClientMessage msg;
  if (!msg.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
      msg.kind_case() == v1::ClientMessage::KIND_NOT_SET) {
    if (!take_token(*sink)) return;
    bump(ctx_.metrics.malformed_frames);
    log::limited(g_malformed_log, log::Level::kWarn, "session %llu: a frame of %zu bytes is not a ClientMessage (FRAME-1)",
                 static_cast<unsigned long long>(conn_id_), bytes.size());
    return send_error(*sink, v1::ERROR_CODE_MALFORMED_FRAME, "frame is not a tandem.v1.ClientMessage");
  }
  // Presence is throttled by dropping (handle_presence); changes take a token each.
  if (msg.kind_case() != v1::ClientMessage::kPresence && msg.kind_case() != v1::ClientMessage::kSubmit &&
      !take_token(*sink))
    return;  // unanswered: a ping or a join past the limit (RATE-1)
  handle_message(*sink, msg);
}

void Endpoint::handle_message(Sink& sink, const v1::ClientMessage& msg) {
  switch (msg.kind_case()) {
    case v1::ClientMessage::kJoin:
      return handle_join(sink, msg.join());
    case v1::ClientMessage::kSubmit:
      return handle_submit(sink, msg.submit());
    case v1::ClientMessage::kPresence:
      return handle_presence(msg.presence());
    case v1::ClientMessage::kPing: {
      v1::ServerMessage m;
      m.mutable_pong()->set_nonce(msg.ping().nonce());
      // FAC-3: the server's clock, from which the client keeps its offset.
      m.mutable_pong()->set_server_time_ms(std::chrono::duration_cast<std::chrono::milliseconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count());
      return sink.send(wire::entry(m));
    }
    case v1::ClientMessage::KIND_NOT_SET:
      return;
  }
}

void Endpoint::handle_join(Sink& sink, const v1::Join& join) {
  if (board_) return send_error(sink, v1::ERROR_CODE_ALREADY_JOINED, "this connection joined a board already");
  if (join.protocol_version() != v1::PROTOCOL_VERSION_CURRENT) {
    log::limited(g_refused_join_log, log::Level::kInfo,
                 log::Fields().conn(conn_id_).code(wire::kCloseProtocolVersion).reason("protocol version"),
                 "session %llu: join refused: protocol version %u (VER-1)",
                 static_cast<unsigned long long>(conn_id_), static_cast<unsigned>(join.protocol_version()));
    send_error(sink, v1::ERROR_CODE_PROTOCOL_VERSION,
               "protocol version " + std::to_string(join.protocol_version()) + " is not supported; this server speaks " +
                   std::to_string(v1::PROTOCOL_VERSION_CURRENT));
    return sink.close(wire::kCloseProtocolVersion, "unsupported protocol version");
  }
  if (!model::valid_id(join.board_id())) return send_error(sink, v1::ERROR_CODE_BAD_REQUEST, "bad board id");
  if (!routed_board_.empty() && join.board_id() != routed_board_) {
    // CLUSTER-1: the balancer chose this node by the id in the URL; another board's join
    // could land on a node that does not own it.
    send_error(sink, v1::ERROR_CODE_BAD_REQUEST, "the join names another board than the URL /b/<id>/ws");
    return sink.close(1008, "join of another board than the URL's");
  }
  if (!model::valid_id(join.client_id())) return send_error(sink, v1::ERROR_CODE_BAD_REQUEST, "bad client id");
  if (join.color().size() > 32) return send_error(sink, v1::ERROR_CODE_BAD_REQUEST, "colour longer than 32 bytes");
  // The token says who this is (AUTH-1..3); any refusal looks the same (AUTH-2).
  auto who = ctx_.auth.member(join.board_id(), join.token());
  if (!who) {
    // The board's id only: never the token (docs/SECURITY.md).
    log::limited(g_refused_join_log, log::Level::kInfo,
                 log::Fields().board(join.board_id()).conn(conn_id_).code(wire::kCloseUnauthorized).reason("token refused"),
                 "session %llu: join of board %s refused: token refused (AUTH-2)",
                 static_cast<unsigned long long>(conn_id_), join.board_id().c_str());
    send_error(sink, v1::ERROR_CODE_UNAUTHORIZED, "token refused");
    return sink.close(wire::kCloseUnauthorized, "token refused");
  }
  board_ = ctx_.boards.find_or_open(join.board_id());
  if (!board_) return send_error(sink, v1::ERROR_CODE_UNKNOWN_BOARD, "board is served by another node");

  JoinRequest req;
  req.conn_id = conn_id_;
  req.client_id = join.client_id();
  req.color = join.color();
  req.last_seen_seq = join.last_seen_seq();
  req.member_id = who->member_id();
  req.user_name = who->name();
  req.invite_nonce = who->invite_nonce();
  req.role = static_cast<v1::Role>(who->role());
  board_->join(shared_from_this(), std::move(req));
}

void Endpoint::handle_submit(Sink& sink, const v1::Submit& submit) {
  if (!board_) {
    if (!take_token(sink)) return;
    return send_error(sink, v1::ERROR_CODE_NOT_JOINED, "join a board first");
  }
  // RATE-1: the changes that find a token go to the board, the rest are refused.
  const int n = submit.changes_size();
  const bool holding = !held_.empty();  // then every change is refused without a try
  int admitted = 0;
  while (admitted < n && held_.empty() && take_token(sink)) ++admitted;
  if (rate_closed_) return;
  if (admitted == n) {
    inflight_ += static_cast<std::size_t>(n);
    board_->submit(conn_id_, submit);
  } else {
    if (admitted > 0) {
      v1::Submit part;
      for (int i = 0; i < admitted; ++i) *part.add_changes() = submit.changes(i);
      inflight_ += static_cast<std::size_t>(admitted);
      board_->submit(conn_id_, part);
    }
    // The first refused change struck already in take_token() unless none was tried.
    for (int i = admitted; i < n && !rate_closed_; ++i) {
      if (i > admitted || holding) strike(sink);
      refuse_change(sink, submit.changes(i).client_seq());
    }
    if (rate_closed_) return;
  }
  if (!reading_paused_ && inflight_ >= ctx_.config.max_inflight_changes) {
    reading_paused_ = true;  // returned() resumes reading
    sink.pause_reading();
  }
}

void Endpoint::handle_presence(const v1::Presence& presence) {
  if (!board_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_presence_ < kMinPresenceInterval) return;
  last_presence_ = now;
  board_->presence(conn_id_, presence);
}

void Endpoint::send_error(Sink& sink, v1::ErrorCode code, std::string message) {
  sink.send(wire::error_entry(code, std::move(message)));
}

bool Endpoint::take_token(Sink& sink) {
  if (ctx_.config.rate_per_second <= 0) return true;
  const auto now = std::chrono::steady_clock::now();
  const double refill = ctx_.config.rate_per_second * std::chrono::duration<double>(now - refilled_).count();
  refilled_ = now;
  tokens_ = std::min(ctx_.config.rate_burst, tokens_ + refill);
  strikes_ = std::max(0.0, strikes_ - refill);
  if (tokens_ >= 1) {
    tokens_ -= 1;
    return true;
  }
  strike(sink);
  return false;
}

void Endpoint::strike(Sink& sink) {
  bump(ctx_.metrics.rate_limited);
  if (strikes_ == 0)
    log::limited(g_rate_log, log::Level::kWarn, "session %llu: rate limited (RATE-1)",
                 static_cast<unsigned long long>(conn_id_));
  strikes_ += 1;
  if (strikes_ > ctx_.config.rate_burst && !rate_closed_) {
    rate_closed_ = true;
    held_.clear();
    bump(ctx_.metrics.rate_limit_closes);
    log::limited(g_rate_log, log::Level::kWarn, "session %llu: closed with 4007: went on past the rate limit (RATE-1)",
                 static_cast<unsigned long long>(conn_id_));
    sink.close(wire::kCloseRateLimited, "too many messages: over the rate limit");
  }
}

void Endpoint::refuse_change(Sink& sink, std::uint64_t client_seq) {
  count_reject(ctx_.metrics, v1::REJECT_CODE_RATE_LIMITED);
  auto entry = wire::reject_entry(client_seq, v1::REJECT_CODE_RATE_LIMITED,
                                  "rate limited: resend after a backoff (RATE-1)");
  // A reply never overtakes the replies to changes sent before it (ACK-2).
  if (inflight_ == 0 && held_.empty()) return sink.send(std::move(entry));
  held_.push_back(std::move(entry));
}

void Endpoint::returned(Sink& sink, std::size_t credit) {
  inflight_ -= std::min(inflight_, credit);
  if (inflight_ == 0 && !held_.empty()) {
    for (auto& e : held_) sink.send(std::move(e));
    held_.clear();
  }
  if (reading_paused_ && inflight_ < ctx_.config.max_inflight_changes) {
    reading_paused_ = false;
    sink.resume_reading();
  }
}

// ---------- Subscriber: from the board's strand to the connection's ----------

template <class Fn>
void Endpoint::on_strand(Fn fn) {
  {
    // Batches delivered before this call go before it: their run takes no more.
    std::lock_guard lock(pending_mu_);
    if (open_) {
      sealed_.push_back(open_count_);
      open_count_ = 0;
      open_ = false;
    }
  }
  net::post(strand_, [self = shared_from_this(), fn = std::move(fn)]() mutable {
    if (auto sink = self->sink_.lock()) {
      fn(*sink);
      sink->flush();
    }
  });
}

void Endpoint::deliver(wire::SharedBytes entry, std::size_t credit) {
  on_strand([this, entry = std::move(entry), credit](Sink& sink) mutable {
    sink.send(std::move(entry));
    if (credit) returned(sink, credit);
  });
}

void Endpoint::deliver_welcome(wire::SharedBytes welcome, wire::Parts parts) {
  on_strand([welcome = std::move(welcome), parts = std::move(parts)](Sink& sink) mutable {
    sink.send(std::move(welcome));
    if (parts && !parts->empty()) sink.send_parts(std::move(parts));
  });
}

void Endpoint::deliver_changes(FanoutBatch batch) {
  {
    std::lock_guard lock(pending_mu_);
    pending_.push_back(std::move(batch));
    ++open_count_;
    if (open_) return;  // the open run's drain, posted already, writes it
    open_ = true;
  }
  net::post(strand_, [self = shared_from_this()] { self->drain_changes(); });
}

// Drains run in the order they were posted, one per run, and each takes the oldest run
// still pending, so batches leave in the order they came whichever drain takes them.
void Endpoint::drain_changes() {
  {
    std::lock_guard lock(pending_mu_);
    std::size_t n;
    if (!sealed_.empty()) {
      n = sealed_.front();
      sealed_.erase(sealed_.begin());
    } else {  // the open run: all that is left
      n = pending_.size();
      open_count_ = 0;
      open_ = false;
    }
    if (n == pending_.size()) {
      pending_.swap(draining_);  // draining_ was empty
    } else {
      const auto end = pending_.begin() + static_cast<std::ptrdiff_t>(n);
      draining_.assign(std::make_move_iterator(pending_.begin()), std::make_move_iterator(end));
      pending_.erase(pending_.begin(), end);
    }
  }
  if (auto sink = sink_.lock()) {
    for (const FanoutBatch& batch : draining_)
      if (std::size_t own = sink->send_changes(batch, conn_id_)) returned(*sink, own);
    sink->flush();
  }
  draining_.clear();
}

void Endpoint::deliver_presence(wire::PresenceTick tick) {
  on_strand([tick = std::move(tick)](Sink& sink) mutable { sink.send_presence(std::move(tick)); });
}

void Endpoint::deliver_left(const std::string&, wire::SharedBytes entry) {
  on_strand([entry = std::move(entry)](Sink& sink) mutable {
    sink.settle_presence();  // the leaver's last tick before its MemberLeft, never after
    sink.send(std::move(entry));
  });
}

void Endpoint::join_failed(wire::SharedBytes entry) {
  // The board logs why (Board::refuse_join).
  on_strand([this, entry = std::move(entry)](Sink& sink) mutable {
    board_.reset();
    returned(sink, inflight_);  // the board dropped them: nothing will answer
    sink.send(std::move(entry));
  });
}

void Endpoint::close(std::uint16_t code, std::string reason) {
  on_strand([code, reason = std::move(reason)](Sink& sink) mutable { sink.close(code, std::move(reason)); });
}

}  // namespace tandem
