#include "ws_session.hpp"

#include <boost/asio/post.hpp>

#include <cstdio>

#include "board/board_actor.hpp"
#include "model/board_state.hpp"

namespace tandem {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;

namespace {
// Clients send presence at most ~30 times a second (DESIGN section 4); the server
// drops what comes faster than this from one connection.
constexpr auto kMinPresenceInterval = std::chrono::milliseconds(15);
}  // namespace

WsSession::WsSession(net::ip::tcp::socket&& socket, ServerContext& ctx, std::string address)
    : ws_(std::move(socket)),
      ctx_(ctx),
      conn_id_(ctx.next_conn_id.fetch_add(1)),
      address_(std::move(address)),
      close_timer_(ws_.get_executor()) {
  bump(ctx_.metrics.connections_open);
  bump(ctx_.metrics.connections_total);
}

WsSession::~WsSession() {
  if (board_) board_->leave(conn_id_);
  ctx_.sessions.remove(conn_id_);
  ctx_.sessions.release(address_);
  ctx_.metrics.connections_open.fetch_sub(1, std::memory_order_relaxed);
}

void WsSession::run(http::request<http::string_body> req) {
  ctx_.sessions.add(conn_id_, weak_from_this());
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(http::field::server, "tandem"); }));
  ws_.read_message_max(ctx_.config.max_message_bytes);
  ws_.binary(true);
  ws_.async_accept(req, beast::bind_front_handler(&WsSession::on_accept, shared_from_this()));
}

void WsSession::on_accept(beast::error_code ec) {
  if (ec) return fail(ec, "accept");
  do_read();
}

void WsSession::do_read() {
  ws_.async_read(buffer_, beast::bind_front_handler(&WsSession::on_read, shared_from_this()));
}

void WsSession::on_read(beast::error_code ec, std::size_t) {
  if (ec) {
    // The connection is over (or the client broke a rule Beast enforces, like the
    // message size, and Beast sent the close frame): write nothing more.
    closing_ = close_sent_ = true;
    queue_.clear();
    presence_.clear();
    close_timer_.cancel();
    return fail(ec, "read");
  }
  if (!ws_.got_binary()) {
    bump(ctx_.metrics.malformed_frames);
    send_error(v1::ERROR_CODE_MALFORMED_FRAME, "frames must be binary tandem.v1.ClientMessage");
  } else {
    v1::ClientMessage msg;
    auto data = buffer_.cdata();
    if (!msg.ParseFromArray(data.data(), static_cast<int>(data.size())) ||
        msg.kind_case() == v1::ClientMessage::KIND_NOT_SET) {
      bump(ctx_.metrics.malformed_frames);
      send_error(v1::ERROR_CODE_MALFORMED_FRAME, "frame is not a tandem.v1.ClientMessage");
    } else {
      handle_message(msg);
    }
  }
  buffer_.consume(buffer_.size());
  if (closing_) return;
  if (inflight_ >= ctx_.config.max_inflight_changes) {
    paused_self_ = shared_from_this();  // answered() resumes reading
    bump(ctx_.metrics.reads_paused);
    return;
  }
  do_read();
}

void WsSession::answered(std::size_t changes) {
  inflight_ -= std::min(inflight_, changes);
  if (paused_self_ && !closing_ && inflight_ < ctx_.config.max_inflight_changes) {
    auto self = std::move(paused_self_);
    do_read();
  }
}

void WsSession::handle_message(const v1::ClientMessage& msg) {
  switch (msg.kind_case()) {
    case v1::ClientMessage::kJoin:
      return handle_join(msg.join());
    case v1::ClientMessage::kSubmit:
      if (join_state_ == JoinState::kNone) return send_error(v1::ERROR_CODE_NOT_JOINED, "join a board first");
      inflight_ += static_cast<std::size_t>(msg.submit().changes_size());
      board_->submit(conn_id_, msg.submit());
      return;
    case v1::ClientMessage::kPresence: {
      if (join_state_ == JoinState::kNone) return;
      auto now = std::chrono::steady_clock::now();
      if (now - last_presence_ < kMinPresenceInterval) return;
      last_presence_ = now;
      board_->presence(conn_id_, msg.presence());
      return;
    }
    case v1::ClientMessage::kPing: {
      v1::ServerMessage m;
      m.mutable_pong()->set_nonce(msg.ping().nonce());
      enqueue(wire::entry(m));
      return maybe_write();
    }
    case v1::ClientMessage::KIND_NOT_SET:
      return;
  }
}

void WsSession::handle_join(const v1::Join& join) {
  if (join_state_ != JoinState::kNone) return send_error(v1::ERROR_CODE_ALREADY_JOINED, "this connection joined a board already");
  if (join.protocol_version() != v1::PROTOCOL_VERSION_CURRENT) {
    send_error(v1::ERROR_CODE_PROTOCOL_VERSION,
               "protocol version " + std::to_string(join.protocol_version()) + " is not supported; this server speaks " +
                   std::to_string(v1::PROTOCOL_VERSION_CURRENT));
    return do_close(wire::kCloseProtocolVersion, "unsupported protocol version", false);
  }
  if (!model::valid_id(join.board_id())) return send_error(v1::ERROR_CODE_BAD_REQUEST, "bad board id");
  if (!model::valid_id(join.client_id())) return send_error(v1::ERROR_CODE_BAD_REQUEST, "bad client id");
  if (join.user_name().size() > 64 || join.color().size() > 32)
    return send_error(v1::ERROR_CODE_BAD_REQUEST, "user name or colour too long");
  const v1::Role role = ctx_.auth.authorize(join.board_id(), join.token());
  if (role == v1::ROLE_UNSPECIFIED) return send_error(v1::ERROR_CODE_UNAUTHORIZED, "token refused");
  board_ = ctx_.boards.find_or_open(join.board_id());
  if (!board_) return send_error(v1::ERROR_CODE_UNKNOWN_BOARD, "board is served by another node");

  JoinRequest req;
  req.conn_id = conn_id_;
  req.client_id = join.client_id();
  req.user_name = join.user_name();
  req.color = join.color();
  req.role = role;
  req.last_seen_seq = join.last_seen_seq();
  if (join.has_create()) req.create = join.create();
  join_state_ = JoinState::kJoined;
  board_->join(shared_from_this(), std::move(req));
}

void WsSession::send_error(v1::ErrorCode code, std::string message) {
  enqueue(wire::error_entry(code, std::move(message)));
  maybe_write();
}

// ---------- Subscriber ----------

void WsSession::deliver(wire::SharedBytes entry, std::size_t credit) {
  net::post(ws_.get_executor(), [self = shared_from_this(), entry = std::move(entry), credit]() mutable {
    self->enqueue(std::move(entry));
    self->maybe_write();
    if (credit) self->answered(credit);
  });
}

void WsSession::deliver_changes(FanoutBatch batch) {
  net::post(ws_.get_executor(), [self = shared_from_this(), batch = std::move(batch)] {
    std::size_t own = 0;
    for (const Fanout& f : *batch) {
      const bool mine = f.origin_conn == self->conn_id_;
      own += mine;
      self->enqueue(mine ? f.ack : f.entry);
    }
    self->maybe_write();
    if (own) self->answered(own);
  });
}

void WsSession::deliver_presence(const std::string& from, wire::SharedBytes entry) {
  net::post(ws_.get_executor(), [self = shared_from_this(), from, entry = std::move(entry)]() mutable {
    if (self->closing_) return;
    if (self->queued_bytes_ > self->ctx_.config.outgoing_queue_bytes / 2) {
      bump(self->ctx_.metrics.presence_dropped);
      return;
    }
    for (auto& [who, e] : self->presence_) {
      if (who == from) {
        e = std::move(entry);
        return self->maybe_write();
      }
    }
    self->presence_.emplace_back(from, std::move(entry));
    self->maybe_write();
  });
}

void WsSession::deliver_left(const std::string& from, wire::SharedBytes entry) {
  net::post(ws_.get_executor(), [self = shared_from_this(), from, entry = std::move(entry)]() mutable {
    std::erase_if(self->presence_, [&](const auto& p) { return p.first == from; });
    self->enqueue(std::move(entry));
    self->maybe_write();
  });
}

void WsSession::join_failed(wire::SharedBytes entry) {
  net::post(ws_.get_executor(), [self = shared_from_this(), entry = std::move(entry)]() mutable {
    self->join_state_ = JoinState::kNone;
    self->board_.reset();
    self->answered(self->inflight_);  // the board dropped them: nothing will answer
    self->enqueue(std::move(entry));
    self->maybe_write();
  });
}

void WsSession::close(std::uint16_t code, std::string reason) {
  net::post(ws_.get_executor(), [self = shared_from_this(), code, reason = std::move(reason)]() mutable {
    self->do_close(code, std::move(reason), false);
  });
}

// ---------- writing ----------

void WsSession::enqueue(wire::SharedBytes entry) {
  if (closing_) return;
  queued_bytes_ += entry->size();
  queue_.push_back(std::move(entry));
  if (queued_bytes_ > ctx_.config.outgoing_queue_bytes) {
    bump(ctx_.metrics.slow_consumer_closes);
    do_close(wire::kCloseSlowConsumer,
             "outgoing queue over " + std::to_string(ctx_.config.outgoing_queue_bytes) +
                 " bytes: reading too slowly; reconnect to catch up",
             true);
  }
}

void WsSession::maybe_write() {
  if (write_in_flight_ || close_sent_) return;
  if (queue_.empty() && presence_.empty()) {
    if (closing_) start_close();
    return;
  }
  // The queued entries are copied back to back into one buffer: a frame of many
  // small messages costs one memcpy each, not a scatter list Beast would copy.
  out_.clear();
  std::size_t messages = 0;
  while (!queue_.empty() && (out_.empty() || out_.size() + queue_.front()->size() <= ctx_.config.max_frame_bytes)) {
    queued_bytes_ -= queue_.front()->size();
    out_.append(*queue_.front());
    queue_.pop_front();
    ++messages;
  }
  for (auto& [who, e] : presence_) {
    out_.append(*e);
    ++messages;
  }
  presence_.clear();
  write_in_flight_ = true;
  // Counted per frame, not per message: one shared counter bumped per delivery
  // would bounce its cache line between the network threads.
  bump(ctx_.metrics.frames_written);
  bump(ctx_.metrics.deliveries, messages);
  bump(ctx_.metrics.bytes_written, out_.size());
  ws_.async_write(net::buffer(out_), beast::bind_front_handler(&WsSession::on_write, shared_from_this()));
}

void WsSession::on_write(beast::error_code ec, std::size_t) {
  write_in_flight_ = false;
  if (out_.capacity() > 4 * ctx_.config.max_frame_bytes) std::string().swap(out_);
  if (ec) return fail(ec, "write");
  maybe_write();
}

// ---------- closing ----------

void WsSession::do_close(std::uint16_t code, std::string reason, bool drop_queue) {
  if (closing_) return;
  closing_ = true;
  paused_self_.reset();
  if (drop_queue) {
    queue_.clear();
    presence_.clear();
    queued_bytes_ = 0;
  }
  close_reason_.code = code;
  close_reason_.reason = reason;
  // A client that does not read may never take the close frame: drop the TCP
  // connection if the close handshake has not finished in time.
  close_timer_.expires_after(std::chrono::milliseconds(ctx_.config.slow_close_grace_ms));
  close_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec) return;
    beast::get_lowest_layer(self->ws_).close();
  });
  maybe_write();
}

void WsSession::start_close() {
  if (close_sent_) return;
  close_sent_ = true;
  ws_.async_close(close_reason_, [self = shared_from_this()](beast::error_code ec) {
    self->close_timer_.cancel();
    if (ec) self->fail(ec, "close");
  });
}

void WsSession::fail(beast::error_code ec, const char* what) {
  if (ec == net::error::operation_aborted || ec == websocket::error::closed || ec == net::error::eof ||
      ec == net::error::connection_reset || ec == beast::error::timeout || ec == net::error::bad_descriptor ||
      ec == net::error::broken_pipe || ec == net::error::not_connected)
    return;
  std::fprintf(stderr, "tandem: session %llu: %s: %s\n", static_cast<unsigned long long>(conn_id_), what,
               ec.message().c_str());
}

}  // namespace tandem
