// WsConnection: the WebSocket transport of one client connection at /ws.
//
// Owned by the handlers it has in flight (shared_from_this), like Beast's chat-multi
// example. Everything runs on the connection's strand (the socket's executor), and
// its Sink methods must be called there. It knows frames, not messages: each client
// frame goes to its Endpoint (session/endpoint.hpp), which it makes in run() and ends
// in its destructor; the Endpoint answers through the Sink with ready-made entries
// (net/wire.hpp).
//
// Reading: one read at a time, a message in pieces of at most 64 KiB; one over
// config.max_message_bytes is closed with 1009 by a close that drains the rest (FRAME-3).
// pause_reading() holds the next read back until resume_reading() (flow credit,
// FLOW-2). A paused connection keeps itself alive.
// Writing: one write in flight. send() queues; the write starts after the current
// handler, so what one handler sends, and what is queued while a write is in flight,
// leaves together in one frame (FRAME-2). The queue is capped in bytes: past the cap
// the client is closed with 4001, never buffered without bound (FLOW-1). Presence comes
// as board ticks (PRES-4): at most one tick is pending, a newer one replaces it and is
// then written whole (every member's newest state, PRES-5); it is written only after
// every reliable entry queued before it, and never dropped.
// Closing: close() writes what is queued, then the close frame; a client that does not
// finish the handshake within config.slow_close_grace_ms loses its TCP connection.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server_context.hpp"
#include "session/sink.hpp"

namespace tandem {

class Endpoint;

class WsConnection final : public Sink, public std::enable_shared_from_this<WsConnection> {
 public:
  // `address` has been counted in ctx.sessions (try_reserve); the connection releases it.
  WsConnection(boost::asio::ip::tcp::socket&& socket, ServerContext& ctx, std::string address);
  ~WsConnection() override;

  // Completes the upgrade of `req`, then reads until the connection ends.
  void run(boost::beast::http::request<boost::beast::http::string_body> req);

  // Sink: on the strand only.
  void send(wire::SharedBytes entry) override;
  std::size_t send_changes(const wire::FanoutBatch& batch, std::uint64_t own_conn) override;
  void send_parts(wire::Parts parts) override;
  void send_presence(wire::PresenceTick tick) override;
  void flush() override;
  void settle_presence() override;
  void close(std::uint16_t code, std::string reason) override;
  void pause_reading() override;
  void resume_reading() override;

 private:
  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void too_big();  // a client frame over config.max_message_bytes (FRAME-3)

  void enqueue(wire::SharedBytes entry);  // no write started
  void do_write();
  void write_part();  // the next snapshot part, a frame of its own
  void drop_queue();
  void on_write(boost::beast::error_code ec, std::size_t bytes);

  void do_close(std::uint16_t code, std::string reason, bool drop_queue);
  void send_close();  // the close frame, once the queue is written
  void on_close(boost::beast::error_code ec);
  void fail(boost::beast::error_code ec, const char* what);

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  ServerContext& ctx_;
  const std::uint64_t conn_id_;
  const std::string address_;
  std::shared_ptr<Endpoint> endpoint_;

  bool read_paused_ = false;
  std::shared_ptr<WsConnection> paused_self_;  // keeps the connection alive while no read is pending

  // Entries to write, in order; a null entry stands for the next of parts_ (JOIN-8).
  std::deque<wire::SharedBytes> queue_;
  std::size_t queued_bytes_ = 0;  // of queue_'s entries (parts are shared, not counted)
  struct PartsInFlight {
    wire::Parts parts;
    std::size_t next = 0;
  };
  std::deque<PartsInFlight> parts_;
  // Presence (PRES-4, PRES-5): at most one tick pending, written after every reliable
  // entry queued before it; `presence_whole_`: write it whole (it replaced an unsent one).
  std::optional<wire::PresenceTick> presence_;
  bool presence_whole_ = false;
  std::string out_;  // the frame being written (reused)
  wire::SharedBytes writing_;  // or the one entry being written as a frame of its own
  bool accepted_ = false;  // nothing is written before the upgrade completes
  bool write_in_flight_ = false;
  bool closing_ = false;
  bool close_sent_ = false;
  boost::beast::websocket::close_reason close_reason_;
  boost::asio::steady_timer close_timer_;
};

}  // namespace tandem
