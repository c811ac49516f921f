// tandem_load: shared declarations of the load generator (bench/README.md).
//   load.cpp            options, main, the report
//   load_net.cpp        HTTP API calls, WebSocket connect / join, /proc readings
//   load_client.cpp     an active client: changes, presence, what it receives
//   load_scenarios.cpp  idle connections, join of a big board, restart
#pragma once

#include "support/http_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/server_process.hpp"
#include "tandem/v1/sync.pb.h"

namespace tandem::load {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using WebSocket = websocket::stream<tcp::socket>;

struct Options {
  int clients = 2;
  double rate = 0;  // changes/s per client; 0 = saturate
  int window = 32;  // changes in flight per client when saturating
  double seconds = 5;
  double warmup = 1;
  std::string durability = "sync";
  std::string server;
  int port = 0;
  int threads = 0;          // server network threads
  int load_threads = 1;     // generator threads (io_contexts)
  double cursor_hz = 0;     // presence per client per second
  int boards = 1;           // clients spread over this many boards
  bool distinct_members = false;  // one member (redeemed editor invite) per client
  bool private_writing = false;   // private writing on before the clients start (needs distinct members)
  int idle = 0;             // extra idle connections
  int idle_per_board = 50;  // idle connections per board (each board's joins fan out to its members)
  int join_notes = 0;       // pre-fill the board with N notes; measure joins
  long restart_changes = 0; // write N changes, restart, time the first Welcome
  bool per_client = false;  // print one line per client (cursor rates)
};

// A board and the token its clients join with.
struct BoardAccess {
  std::string board_id;
  std::string owner_token;
  std::vector<std::string> tokens;  // per client of the board when members are distinct
};

// Microseconds since the bench started; carried in changes and cursors to time them.
double now_us();

// --- load_net.cpp
std::optional<BoardAccess> create_board(int port);
// Mints one editor invite (API-4) and redeems it `n` times (API-2): n member tokens.
std::vector<std::string> member_tokens(int port, const BoardAccess& b, int n, const std::string& name_prefix);
// The source address of connection k: 127.0.0.2 .. 127.0.0.254 (LIMIT-1 counts per address).
std::string source_address(std::uint64_t k);
// `board`: the board it joins, named in the path (/b/<id>/ws) so a balancer in front routes
// it (SPEC CLUSTER-1); "" for /ws.
void open_ws(WebSocket& ws, int port, const std::string& source, const std::string& board = "");
std::string join_message(const std::string& board, const std::string& token, const std::string& client_id);
// Reads frames until the Welcome (true) or an Error / close (false).
bool read_welcome(WebSocket& ws, tandem::v1::Welcome* out = nullptr);
double cpu_seconds(pid_t pid);
long rss_kib(pid_t pid);
double self_cpu_seconds();
void raise_fd_limit();

// --- load_client.cpp
struct Bench;

struct ClientStats {
  std::vector<std::uint32_t> fanout_us, fanout_b_us;  // b: changes sent after bench.split
  std::vector<std::uint32_t> ack_us, presence_us;
  std::vector<std::uint32_t> presence_from;  // per sender index, in the window
  std::uint64_t acks = 0, deliveries = 0, presence = 0, acks_window_peers = 0, rejects = 0;
  std::uint64_t hidden = 0;  // deliveries of changes this member may not see (VIS-5: no ops, no sender)
  std::uint64_t sent_window = 0, answered_window = 0;  // changes sent in the window, and their acks / rejects
};

struct Client : std::enable_shared_from_this<Client> {
  Client(net::io_context& ioc, Bench& b, int index, int board) : ws(ioc), timer(ioc), ptimer(ioc), bench(b), index(index), board(board) {}
  void start();
  void send_one();
  void send_presence();
  void do_write();
  void do_read();
  void on_frame();

  WebSocket ws;
  net::steady_timer timer, ptimer;
  beast::flat_buffer buf;
  Bench& bench;
  int index, board;
  std::uint64_t next_cs = 1;
  std::deque<std::string> outq;
  bool writing = false;
  std::vector<double> sent;  // by client_seq, now_us()
  ClientStats stats;
};

struct Bench {
  Options opt;
  Clock::time_point measure_from, measure_to, split = Clock::time_point::max();
  double from_us = 0, to_us = 0, split_us = 1e300;
  std::vector<std::shared_ptr<Client>> clients;
  std::vector<int> board_size;  // clients per board
  std::atomic<bool> running{true};
  std::atomic<long> total_acks{0};
  long stop_after_acks = 0;  // restart fill: stop sending past this many acks
  bool in_window(double t_us) const { return t_us >= from_us && t_us < to_us; }
};

// --- load_scenarios.cpp
struct IdleResult {
  int opened = 0;
  long rss_before_kib = 0, rss_after_kib = 0;
  double seconds = 0;
};
// Opens opt.idle connections over ceil(idle / idle_per_board) new boards; they read and drop.
IdleResult open_idle(net::io_context& ioc, const Options& opt, int port, pid_t pid, std::uint64_t first_conn);

// Creates `notes` notes on the board through one connection (changes of 500 creates).
bool prefill_notes(int port, const BoardAccess& b, int notes);
// The owner turns private writing on (FAC-4): each client's note is then its own, and
// every change is filtered per view (VIS-1, VIS-6).
bool start_private_writing(int port, const BoardAccess& b);

// Joins the board again and again (one at a time, on the calling thread) from `from`
// until `to`, closing each connection after its Welcome; Join -> Welcome times.
struct JoinResult {
  std::vector<std::uint32_t> join_us;
  std::size_t welcome_bytes = 0;
  std::uint64_t snapshot_objects = 0;
  int failures = 0;
};
JoinResult run_joins(int port, const BoardAccess& b, Clock::time_point from, Clock::time_point to);

// Restart: SIGTERM the server, start it on the same data folder, join the board.
struct RestartResult {
  double stop_ms = 0, listen_ms = 0, welcome_ms = 0;
  std::uint64_t head_seq = 0;
  bool ok = false;
};
RestartResult restart_server(std::unique_ptr<tandem::testing::ServerProcess>& server, const std::string& bin,
                             const std::string& data, const std::vector<std::string>& args, const BoardAccess& b);

}  // namespace tandem::load
