// Endpoint: the protocol end of one client connection. It turns client frames into
// requests to a Board (join, submit, presence, ping) and the Board's answers into
// entries for its Sink, and keeps the connection's flow credit (FLOW-2).
//
// Made by the connection (net/ws_connection.hpp), which owns it and calls its three
// entry points on the connection's strand: create(), on_message() per client frame,
// on_end() once, when the connection is gone. The Endpoint holds its Sink weakly and
// calls it on that strand only. It knows no Beast: frames come in as bytes, and go out
// as ready-made entries (net/wire.hpp).
//
// It is the connection's Subscriber: the Board (and the SessionRegistry at shutdown)
// hold it weakly and call its Subscriber methods from their own threads; each posts
// to the connection's strand. So every member below is touched on that strand only,
// except in on_end(), which runs when no handler of the connection is left.
//
// Flow credit: each change submitted counts one in flight until the Board answers it
// (board/subscriber.hpp says how credit comes back). Past config.max_inflight_changes
// the Endpoint pauses the Sink's reading, and resumes it once credit returns below.
//
// Rate limit (SPEC RATE-1): a token bucket per connection. Each change and each other
// message but presence takes a token. A change without one is answered with
// REJECT_CODE_RATE_LIMITED; the reject waits until the changes before it are answered
// (ACK-2), and while one waits every later change is refused too. Each refusal is a
// strike; strikes leak away at the refill rate, and past a burst of them the
// connection is closed with 4007.
//
// Change batches (deliver_changes) do not post one handler each: they go to a pending
// list, and only a batch that opens a new run of them posts a drain, which writes every
// batch of its run and flushes once. Any other Subscriber call seals the open run
// before it posts its own handler, so the strand sees batches and the other calls in
// the order they were made (a later batch opens a new run, with its own drain).
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "board/subscriber.hpp"
#include "server_context.hpp"
#include "session/sink.hpp"
#include "tandem/v1/sync.pb.h"

namespace tandem {

class Board;

class Endpoint final : public Subscriber, public std::enable_shared_from_this<Endpoint> {
 public:
  // A new endpoint for connection `conn_id`, registered in ctx.sessions (so shutdown
  // can close it). `strand` is the connection's executor.
  static std::shared_ptr<Endpoint> create(ServerContext& ctx, boost::asio::any_io_executor strand,
                                          std::weak_ptr<Sink> sink, std::uint64_t conn_id);

  // One client frame (FRAME-1). On the strand.
  void on_message(std::string_view bytes, bool binary);
  // The connection is over: leaves the board and the registry. Once.
  void on_end();
  // The connection came through `/b/<id>/ws` (CLUSTER-1: the balancer routed it by
  // that id): a Join of another board is refused. Before the first message.
  void expect_board(std::string id) { routed_board_ = std::move(id); }
  // The board joined (or joining), empty if none: for the connection's log line.
  std::string board_id() const;

  // Subscriber: any thread; posts to the strand.
  void deliver(wire::SharedBytes entry, std::size_t credit) override;
  void deliver_welcome(wire::SharedBytes welcome, wire::Parts parts) override;
  void deliver_changes(FanoutBatch batch) override;
  void deliver_presence(wire::PresenceTick tick) override;
  void deliver_left(const std::string& from, wire::SharedBytes entry) override;
  void join_failed(wire::SharedBytes entry) override;
  void close(std::uint16_t code, std::string reason) override;

 private:
  Endpoint(ServerContext& ctx, boost::asio::any_io_executor strand, std::weak_ptr<Sink> sink,
           std::uint64_t conn_id);
  void handle_message(Sink& sink, const v1::ClientMessage& msg);
  void handle_join(Sink& sink, const v1::Join& join);
  void handle_submit(Sink& sink, const v1::Submit& submit);
  void handle_presence(const v1::Presence& presence);
  void send_error(Sink& sink, v1::ErrorCode code, std::string message);
  void returned(Sink& sink, std::size_t credit);  // resumes reading when below the cap
  // RATE-1: takes a token if there is one; else counts a strike (and closes past the limit).
  bool take_token(Sink& sink);
  void strike(Sink& sink);  // one refusal; closes with 4007 past the limit
  void refuse_change(Sink& sink, std::uint64_t client_seq);  // its reject, in order (ACK-2)
  // Runs fn(sink) on the strand, if the connection is still there.
  template <class Fn>
  void on_strand(Fn fn);
  void drain_changes();  // on the strand: one run of pending batches into the sink

  // Pending change batches, shared with the Subscriber callers' threads.
  std::mutex pending_mu_;
  std::vector<FanoutBatch> pending_;  // in delivery order, across runs
  std::vector<std::size_t> sealed_;   // batches in each sealed run not yet drained, oldest first
  std::size_t open_count_ = 0;        // batches in the open run (its drain is posted)
  bool open_ = false;                 // a run is open: a batch now joins it and posts nothing
  std::vector<FanoutBatch> draining_; // strand only: the run being written (keeps its capacity)

  ServerContext& ctx_;
  const boost::asio::any_io_executor strand_;
  const std::weak_ptr<Sink> sink_;
  const std::uint64_t conn_id_;

  std::shared_ptr<Board> board_;  // joined (or joining); null before a join and after join_failed

  std::string routed_board_;  // expect_board(); "" = any board (/ws)
  std::chrono::steady_clock::time_point last_presence_{};
  std::size_t inflight_ = 0;      // changes sent to the board and not answered
  bool reading_paused_ = false;   // asked the sink to pause

  // RATE-1
  double tokens_;
  double strikes_ = 0;
  std::chrono::steady_clock::time_point refilled_ = std::chrono::steady_clock::now();
  std::vector<wire::SharedBytes> held_;  // rate-limit rejects waiting for earlier answers (ACK-2)
  bool rate_closed_ = false;
};

}  // namespace tandem
