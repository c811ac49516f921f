#include "net/ws_connection.hpp"
#include "net/http_session.hpp"

#include <boost/asio/post.hpp>

#include <chrono>
#include <string_view>

#include "log.hpp"
#include "session/endpoint.hpp"

namespace tandem {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;

namespace {
constexpr std::size_t kReadChunk = 64 << 10;
log::Limiter g_oversized_log;  // lines a client can trigger (server/log.hpp)
log::Limiter g_slow_log;
// Connections opened and closed: a line each, within a budget of their own (a client
// can open many); docs/OPERATIONS.md.
log::Limiter g_conn_log(50, 200);
}  // namespace

WsConnection::WsConnection(net::ip::tcp::socket&& socket, ServerContext& ctx, std::string address)
    : ws_(std::move(socket)),
      ctx_(ctx),
      conn_id_(ctx.next_conn_id.fetch_add(1)),
      address_(std::move(address)),
      close_timer_(ws_.get_executor()) {
  bump(ctx_.metrics.connections_open);
  bump(ctx_.metrics.connections_total);
  log::limited(g_conn_log, log::Level::kInfo, log::Fields().conn(conn_id_).peer(address_),
               "session %llu: WebSocket opened from %s", static_cast<unsigned long long>(conn_id_), address_.c_str());
}

WsConnection::~WsConnection() {
  // Who closed, with which code (CLOSE-2): the server's close frame, else the client's,
  // else the connection ended without one (1006).
  const bool by_server = close_reason_.code != websocket::close_code::none;
  const websocket::close_reason& r = by_server ? close_reason_ : ws_.reason();
  const int code = r.code != websocket::close_code::none ? static_cast<int>(r.code) : 1006;
  const std::string board = endpoint_ ? endpoint_->board_id() : std::string();
  const std::string reason(r.reason.data(), r.reason.size());
  log::limited(g_conn_log, log::Level::kInfo,
               log::Fields().board(board).conn(conn_id_).peer(address_).code(code).reason(reason),
               "session %llu: WebSocket closed by the %s: %d %s", static_cast<unsigned long long>(conn_id_),
               by_server ? "server" : r.code != websocket::close_code::none ? "client" : "network", code,
               log::close_code_name(code));
  if (endpoint_) endpoint_->on_end();
  ctx_.sessions.release(address_);
  ctx_.metrics.connections_open.fetch_sub(1, std::memory_order_relaxed);
}

void WsConnection::run(http::request<http::string_body> req) {
  endpoint_ = Endpoint::create(ctx_, ws_.get_executor(), weak_from_this(), conn_id_);
  if (auto routed = ws_route_board(req.target()); routed && !routed->empty()) endpoint_->expect_board(*routed);  // CLUSTER-1
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
  // The upgrade's answer and a close handshake, like the request itself (LIMIT-2).
  timeouts.handshake_timeout = std::chrono::milliseconds(ctx_.config.request_timeout_ms);
  ws_.set_option(timeouts);
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(http::field::server, "tandem"); }));
  // No limit in Beast: on a frame over its limit Beast sends 1009 and tears the TCP
  // connection down with the rest of the frame unread, so the client gets a reset (1006)
  // instead. The limit is kept here (on_read), and the close drains the frame (FRAME-3).
  ws_.read_message_max(0);
  ws_.binary(true);
  // One WebSocket frame per message, one write per frame. Beast's default splits a message
  // over 4 KiB into 4 KiB frames, each its own async_write (a sendmsg and a completion
  // hand-off): at saturation most frames are a few KiB, a welcome of 1 MB was 256 writes.
  ws_.auto_fragment(false);
  ws_.async_accept(req, beast::bind_front_handler(&WsConnection::on_accept, shared_from_this()));
}

void WsConnection::on_accept(beast::error_code ec) {
  if (ec) return fail(ec, "accept");
  accepted_ = true;
  do_read();
  do_write();  // what was queued (or a close) before the upgrade completed
}

// ---------- reading ----------

void WsConnection::do_read() {
  // A message comes in pieces of at most kReadChunk, so one over the limit is seen
  // with at most the limit and a piece buffered.
  ws_.async_read_some(buffer_, kReadChunk, beast::bind_front_handler(&WsConnection::on_read, shared_from_this()));
}

void WsConnection::on_read(beast::error_code ec, std::size_t) {
  if (ec) {
    // The connection is over (or the client broke a rule Beast enforces, and Beast
    // sent the close frame): write nothing more.
    closing_ = close_sent_ = true;
    drop_queue();
    close_timer_.cancel();
    return fail(ec, "read");
  }
  if (buffer_.size() > ctx_.config.max_message_bytes) return too_big();
  if (!ws_.is_message_done()) return do_read();
  auto data = buffer_.cdata();
  endpoint_->on_message(std::string_view(static_cast<const char*>(data.data()), data.size()), ws_.got_binary());
  do_write();  // what the message was answered with (an error, a pong)
  buffer_.consume(buffer_.size());
  if (closing_) return;
  if (read_paused_) {
    paused_self_ = shared_from_this();  // resume_reading() reads on
    bump(ctx_.metrics.reads_paused);
    return;
  }
  do_read();
}

// FRAME-3: 1009, sent by Beast's close, which reads and drops the rest of the frame
// (and anything after it) until the client's close frame: no reset, the client gets it.
void WsConnection::too_big() {
  bump(ctx_.metrics.oversized_frames);
  log::limited(g_oversized_log, log::Level::kWarn, log::Fields().conn(conn_id_).peer(address_).code(1009),
               "session %llu: a frame over %zu bytes: closed with 1009 (FRAME-3)",
               static_cast<unsigned long long>(conn_id_), ctx_.config.max_message_bytes);
  buffer_.consume(buffer_.size());
  buffer_.shrink_to_fit();
  do_close(static_cast<std::uint16_t>(websocket::close_code::too_big),
           "frame over " + std::to_string(ctx_.config.max_message_bytes) + " bytes", true);
}

void WsConnection::pause_reading() { read_paused_ = true; }

void WsConnection::resume_reading() {
  read_paused_ = false;
  if (!paused_self_ || closing_) return;  // a read is pending, or none will be
  auto self = std::move(paused_self_);
  do_read();
}

// ---------- writing ----------

void WsConnection::send(wire::SharedBytes entry) { enqueue(std::move(entry)); }

std::size_t WsConnection::send_changes(const wire::FanoutBatch& batch, std::uint64_t own_conn) {
  std::size_t own = 0;
  for (const wire::Fanout& f : *batch) {
    const bool mine = f.origin_conn == own_conn;
    own += mine;
    enqueue(mine ? f.ack : f.entry);
  }
  return own;
}

void WsConnection::send_parts(wire::Parts parts) {
  if (closing_ || !parts || parts->empty()) return;
  parts_.push_back(PartsInFlight{std::move(parts), 0});
  queue_.push_back(nullptr);
}

void WsConnection::drop_queue() {
  queue_.clear();
  parts_.clear();
  presence_.reset();
  queued_bytes_ = 0;
}

void WsConnection::flush() { do_write(); }

void WsConnection::send_presence(wire::PresenceTick tick) {
  if (closing_) return;
  // A newer tick replaces the unsent one: written whole, it holds the newest presence
  // of every member, those the older tick held included; never a backlog. A client
  // reading slowly therefore gets the newest state once it has read what is queued,
  // even when no member moves after that (PRES-5); the tick is never dropped, which
  // left a member's old cursor or editing mark on its screen until the next move.
  if (presence_) {
    bump(ctx_.metrics.presence_dropped);
    presence_whole_ = true;
  }
  presence_ = std::move(tick);
}

void WsConnection::settle_presence() {
  if (!presence_) return;
  auto bytes = std::make_shared<std::string>();
  presence_->append_to(bytes.get(), presence_whole_);
  presence_.reset();
  presence_whole_ = false;
  if (!bytes->empty()) enqueue(std::move(bytes));
}

void WsConnection::enqueue(wire::SharedBytes entry) {
  if (closing_) return;
  queued_bytes_ += entry->size();
  queue_.push_back(std::move(entry));
  // An entry alone in the queue passes whatever its size (a Welcome of a big board,
  // JOIN-7): the cap is on what a client leaves unread, not on one message.
  if (queued_bytes_ > ctx_.config.outgoing_queue_bytes && queue_.size() > 1) {
    bump(ctx_.metrics.slow_consumer_closes);
    log::limited(g_slow_log, log::Level::kWarn, log::Fields().conn(conn_id_).peer(address_).code(wire::kCloseSlowConsumer),
                 "session %llu: closed with 4001: outgoing queue over %zu bytes (FLOW-1)",
                 static_cast<unsigned long long>(conn_id_), ctx_.config.outgoing_queue_bytes);
    do_close(wire::kCloseSlowConsumer,
             "outgoing queue over " + std::to_string(ctx_.config.outgoing_queue_bytes) +
                 " bytes: reading too slowly; reconnect to catch up",
             true);
  }
}

void WsConnection::do_write() {
  if (!accepted_ || write_in_flight_ || close_sent_) return;
  if (queue_.empty() && !presence_) {
    if (closing_) send_close();
    return;
  }
  if (!queue_.empty() && !queue_.front()) return write_part();
  // A frame of one entry (the common case when not saturated: one change reaching a
  // member) is written from the shared bytes themselves: no copy.
  if (queue_.size() == 1 && !presence_) {
    writing_ = std::move(queue_.front());
    queue_.pop_front();
    queued_bytes_ -= writing_->size();
    write_in_flight_ = true;
    bump(ctx_.metrics.frames_written);
    bump(ctx_.metrics.deliveries, 1);
    bump(ctx_.metrics.bytes_written, writing_->size());
    ws_.async_write(net::buffer(*writing_), beast::bind_front_handler(&WsConnection::on_write, shared_from_this()));
    return;
  }
  // Else the queued entries are copied back to back into one buffer: a frame of many
  // small messages costs one memcpy each, not a scatter list Beast would copy.
  out_.clear();
  std::size_t messages = 0;
  while (!queue_.empty() && queue_.front() &&
         (out_.empty() || out_.size() + queue_.front()->size() <= ctx_.config.max_frame_bytes)) {
    queued_bytes_ -= queue_.front()->size();
    out_.append(*queue_.front());
    queue_.pop_front();
    ++messages;
  }
  // Presence never overtakes a reliable entry queued before it (an arrival, a welcome).
  if (presence_ && queue_.empty()) {
    messages += presence_->append_to(&out_, presence_whole_);
    presence_.reset();
    presence_whole_ = false;
  }
  if (out_.empty()) {  // a tick holding only this member's own presence
    if (closing_) send_close();
    return;
  }
  write_in_flight_ = true;
  // Counted per frame, not per message: one shared counter bumped per delivery
  // would bounce its cache line between the network threads.
  bump(ctx_.metrics.frames_written);
  bump(ctx_.metrics.deliveries, messages);
  bump(ctx_.metrics.bytes_written, out_.size());
  ws_.async_write(net::buffer(out_), beast::bind_front_handler(&WsConnection::on_write, shared_from_this()));
}

void WsConnection::write_part() {
  PartsInFlight& p = parts_.front();
  writing_ = (*p.parts)[p.next++];
  if (p.next == p.parts->size()) {
    parts_.pop_front();
    queue_.pop_front();
  }
  write_in_flight_ = true;
  bump(ctx_.metrics.frames_written);
  bump(ctx_.metrics.deliveries, 1);
  bump(ctx_.metrics.bytes_written, writing_->size());
  ws_.async_write(net::buffer(*writing_), beast::bind_front_handler(&WsConnection::on_write, shared_from_this()));
}

void WsConnection::on_write(beast::error_code ec, std::size_t) {
  write_in_flight_ = false;
  writing_.reset();
  if (out_.capacity() > 4 * ctx_.config.max_frame_bytes) std::string().swap(out_);
  if (ec) return fail(ec, "write");
  do_write();
}

// ---------- closing ----------

void WsConnection::close(std::uint16_t code, std::string reason) { do_close(code, std::move(reason), false); }

void WsConnection::do_close(std::uint16_t code, std::string reason, bool drop_queue) {
  if (closing_) return;
  closing_ = true;
  paused_self_.reset();
  if (drop_queue) this->drop_queue();
  close_reason_.code = code;
  close_reason_.reason = std::move(reason);
  // A client that does not read may never take the close frame: drop the TCP
  // connection if the close handshake has not finished in time.
  close_timer_.expires_after(std::chrono::milliseconds(ctx_.config.slow_close_grace_ms));
  close_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec) return;
    beast::get_lowest_layer(self->ws_).close();
  });
  do_write();
}

void WsConnection::send_close() {
  if (close_sent_) return;
  close_sent_ = true;
  ws_.async_close(close_reason_, beast::bind_front_handler(&WsConnection::on_close, shared_from_this()));
}

void WsConnection::on_close(beast::error_code ec) {
  close_timer_.cancel();
  if (ec) fail(ec, "close");
}

void WsConnection::fail(beast::error_code ec, const char* what) {
  if (ec == net::error::operation_aborted || ec == websocket::error::closed || ec == net::error::eof ||
      ec == net::error::connection_reset || ec == beast::error::timeout || ec == net::error::bad_descriptor ||
      ec == net::error::broken_pipe || ec == net::error::not_connected)
    return;
  static log::Limiter limiter;
  log::limited(limiter, log::Level::kWarn, "session %llu: %s: %s", static_cast<unsigned long long>(conn_id_), what,
               ec.message().c_str());
}

}  // namespace tandem
