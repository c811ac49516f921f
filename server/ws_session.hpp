// WsSession: one client's WebSocket connection at /ws.
//
// Owned by the handlers it has in flight (shared_from_this), like Beast's
// chat-multi example; the Board holds only a weak reference. All members are
// touched on the connection's strand (the socket's executor); the Subscriber
// methods post onto it, so any thread may call them.
//
// Reading: one ClientMessage per binary frame, parsed and handed to the Board.
// Backpressure: past max_inflight_changes unanswered changes it stops reading
// until answers go out, so a client that floods grows nothing on the server.
// Writing: one write in flight; entries queued meanwhile leave together in the
// next frame (FRAME-2). The queue is capped in bytes: past the cap the client is
// closed with 4001, never buffered without bound. Presence is merged per sender
// (only the newest is kept) and dropped first when the queue is half full.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "server_context.hpp"
#include "board/subscriber.hpp"

namespace tandem {

class Board;

class WsSession final : public Subscriber, public std::enable_shared_from_this<WsSession> {
 public:
  // `address` has been counted in ctx.sessions (try_reserve); the session releases it.
  WsSession(boost::asio::ip::tcp::socket&& socket, ServerContext& ctx, std::string address);
  ~WsSession() override;

  // Completes the upgrade of `req`, then reads until the connection ends.
  void run(boost::beast::http::request<boost::beast::http::string_body> req);

  // Subscriber: thread-safe.
  void deliver(wire::SharedBytes entry, std::size_t credit) override;
  void deliver_changes(FanoutBatch batch) override;
  void deliver_presence(const std::string& from, wire::SharedBytes entry) override;
  void deliver_left(const std::string& from, wire::SharedBytes entry) override;
  void join_failed(wire::SharedBytes entry) override;
  void close(std::uint16_t code, std::string reason) override;

 private:
  enum class JoinState { kNone, kJoining, kJoined };

  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void handle_message(const v1::ClientMessage& msg);
  void handle_join(const v1::Join& join);
  void send_error(v1::ErrorCode code, std::string message);

  void enqueue(wire::SharedBytes entry);  // no write started
  void maybe_write();
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void answered(std::size_t changes);  // backpressure: resumes reading when below the cap
  void do_close(std::uint16_t code, std::string reason, bool drop_queue);
  void start_close();
  void fail(boost::beast::error_code ec, const char* what);

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  ServerContext& ctx_;
  const std::uint64_t conn_id_;
  const std::string address_;

  JoinState join_state_ = JoinState::kNone;
  std::shared_ptr<Board> board_;
  std::chrono::steady_clock::time_point last_presence_{};
  std::size_t inflight_ = 0;  // changes sent to the board and not answered
  std::shared_ptr<WsSession> paused_self_;  // keeps the session alive while no read is pending

  std::deque<wire::SharedBytes> queue_;
  std::size_t queued_bytes_ = 0;
  std::vector<std::pair<std::string, wire::SharedBytes>> presence_;  // newest per sender
  std::string out_;  // the frame being written (reused)
  bool write_in_flight_ = false;
  bool closing_ = false;
  bool close_sent_ = false;
  boost::beast::websocket::close_reason close_reason_;
  boost::asio::steady_timer close_timer_;
};

}  // namespace tandem
