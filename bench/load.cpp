// tandem_load: a load generator for one board, reporting throughput, fan-out
// latency and the server's CPU per delivered change.
//
// It starts the `tandem` binary as a child process on an ephemeral port with a
// fresh data folder (or uses --port of a running server, without CPU figures),
// connects N WebSocket clients to one board and has each send small updates,
// either paced (--rate per client) or as fast as acks allow (--window in flight).
// Fan-out latency = time from a client's send to another client's receipt.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "support/server_process.hpp"
#include "tandem/v1/sync.pb.h"

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  int clients = 2;
  double rate = 0;  // changes/s per client; 0 = saturate
  int window = 32;  // changes in flight per client when saturating
  double seconds = 5;
  double warmup = 1;
  std::string durability = "sync";
  std::string server = "";
  int port = 0;
  int threads = 0;
};

struct Stats {
  std::vector<std::uint32_t> fanout_us;
  std::uint64_t acks = 0, deliveries = 0;
};

struct Bench;

struct Client : std::enable_shared_from_this<Client> {
  Client(net::io_context& ioc, Bench& b, int index) : ws(ioc), timer(ioc), bench(b), index(index) {}
  void start();
  void send_one();
  void do_write();
  void do_read();
  void on_frame();

  websocket::stream<tcp::socket> ws;
  net::steady_timer timer;
  beast::flat_buffer buf;
  Bench& bench;
  int index;
  std::uint64_t next_cs = 1, acked_cs = 0;
  std::deque<std::string> outq;
  bool writing = false;
  std::vector<Clock::time_point> sent;  // by client_seq
};

struct Bench {
  Options opt;
  Clock::time_point measure_from, measure_to;
  std::vector<std::shared_ptr<Client>> clients;
  Stats stats;
  bool running = true;
  bool measuring(Clock::time_point t) const { return t >= measure_from && t < measure_to; }
};

std::string make_change(int index, std::uint64_t cs) {
  tandem::v1::ClientMessage m;
  auto* c = m.mutable_submit()->add_changes();
  c->set_client_seq(cs);
  auto* op = c->add_ops();
  const std::string id = "note-" + std::to_string(index);
  if (cs == 1) {
    op->mutable_create()->set_id(id);
    op->mutable_create()->set_type(tandem::v1::OBJECT_TYPE_NOTE);
  } else {
    op->mutable_update()->set_id(id);
    auto* f = op->mutable_update()->add_fields();
    f->set_name("x");
    f->mutable_value()->set_number(static_cast<double>(cs));
  }
  return m.SerializeAsString();
}

void Client::start() {
  do_read();
  if (bench.opt.rate > 0) {
    // Spread the clients' first sends over one interval.
    auto interval = std::chrono::duration<double>(1.0 / bench.opt.rate);
    timer.expires_after(std::chrono::duration_cast<Clock::duration>(interval * (index + 1) / bench.clients.size()));
    timer.async_wait([self = shared_from_this()](beast::error_code ec) { if (!ec) self->send_one(); });
  } else {
    for (int i = 0; i < bench.opt.window; ++i) send_one();
  }
}

void Client::send_one() {
  if (!bench.running) return;
  const std::uint64_t cs = next_cs++;
  if (sent.size() <= cs) sent.resize(cs * 2 + 16);
  sent[cs] = Clock::now();
  outq.push_back(make_change(index, cs));
  do_write();
  if (bench.opt.rate > 0) {
    auto interval = std::chrono::duration<double>(1.0 / bench.opt.rate);
    timer.expires_at(timer.expiry() + std::chrono::duration_cast<Clock::duration>(interval));
    timer.async_wait([self = shared_from_this()](beast::error_code ec) { if (!ec) self->send_one(); });
  }
}

void Client::do_write() {
  if (writing || outq.empty()) return;
  writing = true;
  ws.async_write(net::buffer(outq.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->writing = false;
    if (ec) return;
    self->outq.pop_front();
    self->do_write();
  });
}

void Client::do_read() {
  ws.async_read(buf, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) return;
    self->on_frame();
    self->buf.consume(self->buf.size());
    self->do_read();
  });
}

void Client::on_frame() {
  tandem::v1::ServerFrame frame;
  auto data = buf.cdata();
  if (!frame.ParseFromArray(data.data(), static_cast<int>(data.size()))) return;
  const auto now = Clock::now();
  for (const auto& m : frame.messages()) {
    if (m.has_ack()) {
      acked_cs = m.ack().client_seq();
      if (bench.measuring(now)) ++bench.stats.acks;
      if (bench.opt.rate <= 0) send_one();
    } else if (m.has_change()) {
      const auto& ch = m.change();
      int from = std::atoi(ch.client_id().c_str() + 2);  // "c-<index>"
      if (from < 0 || from >= static_cast<int>(bench.clients.size())) continue;
      const auto& sender = bench.clients[from];
      if (ch.client_seq() < sender->sent.size() && bench.measuring(sender->sent[ch.client_seq()])) {
        ++bench.stats.deliveries;
        bench.stats.fanout_us.push_back(static_cast<std::uint32_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(now - sender->sent[ch.client_seq()]).count()));
      }
    }
  }
}

double cpu_seconds(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto close = s.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream in(s.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15; ++i) {
    in >> field;
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

// A new board through POST /api/boards: (board id, its owner's member token).
std::pair<std::string, std::string> create_board(int port) {
  namespace http = beast::http;
  try {
    net::io_context ioc;
    tcp::socket sock(ioc);
    sock.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
    http::request<http::string_body> req{http::verb::post, "/api/boards", 11};
    req.set(http::field::host, "127.0.0.1");
    req.body() = R"({"title":"load","kind":"discovery","name":"load"})";
    req.prepare_payload();
    http::write(sock, req);
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(sock, buf, res);
    auto field = [&](const std::string& key) {
      const std::string k = "\"" + key + "\":\"";
      auto pos = res.body().find(k);
      if (pos == std::string::npos) return std::string();
      pos += k.size();
      return res.body().substr(pos, res.body().find('"', pos) - pos);
    };
    return {field("board_id"), field("member_token")};
  } catch (const std::exception&) {
    return {};
  }
}

int main(int argc, char** argv) {
  Options opt;
  std::filesystem::path self = std::filesystem::canonical("/proc/self/exe");
  opt.server = (self.parent_path().parent_path() / "server" / "tandem").string();
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i], v = argv[i + 1];
    if (a == "--clients") opt.clients = std::stoi(v);
    else if (a == "--rate") opt.rate = std::stod(v);
    else if (a == "--window") opt.window = std::stoi(v);
    else if (a == "--seconds") opt.seconds = std::stod(v);
    else if (a == "--durability") opt.durability = v;
    else if (a == "--server") opt.server = v;
    else if (a == "--port") opt.port = std::stoi(v);
    else if (a == "--threads") opt.threads = std::stoi(v);
    else { std::fprintf(stderr, "unknown option %s\n", a.c_str()); return 2; }
  }

  std::filesystem::path data = std::filesystem::temp_directory_path() / ("tandem-load-" + std::to_string(getpid()));
  std::unique_ptr<tandem::testing::ServerProcess> server;
  pid_t pid = -1;
  int port = opt.port;
  if (port == 0) {
    std::vector<std::string> args = {"--durability", opt.durability};
    if (opt.threads > 0) args.insert(args.end(), {"--threads", std::to_string(opt.threads)});
    server = std::make_unique<tandem::testing::ServerProcess>(opt.server, data.string(), args);
    if (server->port() == 0) { std::fprintf(stderr, "cannot start %s\n", opt.server.c_str()); return 1; }
    port = server->port();
    pid = server->pid();
  }

  net::io_context ioc;
  Bench bench;
  bench.opt = opt;
  for (int i = 0; i < opt.clients; ++i) bench.clients.push_back(std::make_shared<Client>(ioc, bench, i));
  const auto [board, token] = create_board(port);
  if (board.empty()) { std::fprintf(stderr, "cannot create a board (POST /api/boards)\n"); return 1; }
  for (auto& c : bench.clients) {
    c->ws.next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
    c->ws.next_layer().set_option(tcp::no_delay(true));
    c->ws.handshake("127.0.0.1", "/ws");
    c->ws.binary(true);
    tandem::v1::ClientMessage j;
    j.mutable_join()->set_protocol_version(tandem::v1::PROTOCOL_VERSION_CURRENT);
    j.mutable_join()->set_board_id(board);
    j.mutable_join()->set_client_id("c-" + std::to_string(c->index));
    j.mutable_join()->set_token(token);
    c->ws.write(net::buffer(j.SerializeAsString()));
    beast::flat_buffer b;
    c->ws.read(b);  // the welcome
  }
  const auto t0 = Clock::now();
  bench.measure_from = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(opt.warmup));
  bench.measure_to = bench.measure_from + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(opt.seconds));
  for (auto& c : bench.clients) c->start();

  double cpu_start = 0, cpu_end = 0;
  net::steady_timer mark(ioc);
  mark.expires_at(bench.measure_from);
  mark.async_wait([&](beast::error_code) {
    if (pid > 0) cpu_start = cpu_seconds(pid);
    mark.expires_at(bench.measure_to);
    mark.async_wait([&](beast::error_code) {
      if (pid > 0) cpu_end = cpu_seconds(pid);
      bench.running = false;
      // Let the last changes arrive, then stop.
      mark.expires_after(std::chrono::milliseconds(500));
      mark.async_wait([&](beast::error_code) { ioc.stop(); });
    });
  });
  ioc.run();

  auto& lat = bench.stats.fanout_us;
  std::sort(lat.begin(), lat.end());
  auto pct = [&](double p) { return lat.empty() ? 0.0 : lat[std::min(lat.size() - 1, static_cast<std::size_t>(p * lat.size()))] / 1000.0; };
  const double secs = opt.seconds;
  std::printf("clients=%d mode=%s durability=%s seconds=%.1f\n", opt.clients,
              opt.rate > 0 ? ("rate " + std::to_string(opt.rate) + "/s each").c_str() : ("saturate window " + std::to_string(opt.window)).c_str(),
              opt.durability.c_str(), secs);
  std::printf("accepted_ops_per_s=%.0f deliveries_per_s=%.0f\n", bench.stats.acks / secs, bench.stats.deliveries / secs);
  std::printf("fanout_ms p50=%.3f p99=%.3f p999=%.3f max=%.3f (samples %zu)\n", pct(0.5), pct(0.99), pct(0.999),
              lat.empty() ? 0.0 : lat.back() / 1000.0, lat.size());
  if (pid > 0 && bench.stats.deliveries > 0)
    std::printf("server_cpu_s=%.2f cpu_us_per_delivery=%.2f\n", cpu_end - cpu_start,
                (cpu_end - cpu_start) * 1e6 / static_cast<double>(bench.stats.deliveries));
  if (server) {
    server->terminate();
    std::error_code ec;
    std::filesystem::remove_all(data, ec);
  }
  return 0;
}
