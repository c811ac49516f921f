// tandem_load: a load generator for Tandem, reporting throughput, fan-out latency,
// presence rates and the server's CPU per op and per delivery (bench/README.md).
//
// It starts the `tandem` binary as a child process on an ephemeral port with a
// fresh data folder (or uses --port of a running server, without CPU figures),
// connects N WebSocket clients spread over --boards boards and has each send small
// updates, paced (--rate per client) or as fast as acks allow (--window in flight),
// and presence at --cursor-hz. Scenarios: --idle, --join-notes, --restart-changes.
// Every figure is printed as key=value (bench/run3.sh reads them).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <thread>

#include "load.hpp"

using namespace tandem::load;

namespace {

bool parse_options(int argc, char** argv, Options& opt) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--per-client") { opt.per_client = true; continue; }
    if (a == "--distinct-members") { opt.distinct_members = true; continue; }
    if (a == "--private-writing") { opt.private_writing = opt.distinct_members = true; continue; }
    if (i + 1 >= argc) { std::fprintf(stderr, "%s needs a value\n", a.c_str()); return false; }
    std::string v = argv[++i];
    if (a == "--clients") opt.clients = std::stoi(v);
    else if (a == "--rate") opt.rate = std::stod(v);
    else if (a == "--window") opt.window = std::stoi(v);
    else if (a == "--seconds") opt.seconds = std::stod(v);
    else if (a == "--warmup") opt.warmup = std::stod(v);
    else if (a == "--durability") opt.durability = v;
    else if (a == "--server") opt.server = v;
    else if (a == "--port") opt.port = std::stoi(v);
    else if (a == "--threads") opt.threads = std::stoi(v);
    else if (a == "--load-threads") opt.load_threads = std::max(1, std::stoi(v));
    else if (a == "--cursor-hz") opt.cursor_hz = std::stod(v);
    else if (a == "--boards") opt.boards = std::max(1, std::stoi(v));
    else if (a == "--idle") opt.idle = std::stoi(v);
    else if (a == "--idle-per-board") opt.idle_per_board = std::stoi(v);
    else if (a == "--join-notes") opt.join_notes = std::stoi(v);
    else if (a == "--restart-changes") opt.restart_changes = std::stol(v);
    else { std::fprintf(stderr, "unknown option %s\n", a.c_str()); return false; }
  }
  return true;
}

template <class T>
double pct(const std::vector<T>& v, double p) {
  return v.empty() ? 0.0 : static_cast<double>(v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))]);
}

// Boards, members and joined connections of the active clients.
bool connect_clients(Bench& bench, std::vector<std::unique_ptr<net::io_context>>& iocs, int port, std::vector<BoardAccess>& boards) {
  const Options& opt = bench.opt;
  bench.board_size.assign(static_cast<std::size_t>(opt.boards), 0);
  for (int i = 0; i < opt.clients; ++i) ++bench.board_size[static_cast<std::size_t>(i % opt.boards)];
  for (int b = 0; b < opt.boards; ++b) {
    auto access = create_board(port);
    if (!access) { std::fprintf(stderr, "cannot create a board (POST /api/boards)\n"); return false; }
    if (opt.distinct_members) {
      access->tokens = member_tokens(port, *access, bench.board_size[static_cast<std::size_t>(b)], "member-");
      if (access->tokens.empty()) { std::fprintf(stderr, "cannot mint and redeem invites (API-2, API-4)\n"); return false; }
    }
    boards.push_back(*access);
  }
  if (opt.join_notes > 0 && !prefill_notes(port, boards[0], opt.join_notes)) return false;
  if (opt.private_writing)
    for (const BoardAccess& b : boards)
      if (!start_private_writing(port, b)) return false;
  for (int i = 0; i < opt.clients; ++i) {
    const int b = i % opt.boards;
    auto& io = *iocs[static_cast<std::size_t>(i % opt.load_threads)];
    auto c = std::make_shared<Client>(io, bench, i, b);
    const BoardAccess& access = boards[static_cast<std::size_t>(b)];
    const std::string& token = opt.distinct_members ? access.tokens[static_cast<std::size_t>(i / opt.boards)] : access.owner_token;
    try {
      open_ws(c->ws, port, opt.clients > 400 ? source_address(static_cast<std::uint64_t>(i)) : "", access.board_id);
      c->ws.write(net::buffer(join_message(access.board_id, token, "c-" + std::to_string(i))));
      if (!read_welcome(c->ws)) { std::fprintf(stderr, "client %d: no welcome\n", i); return false; }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "client %d: %s\n", i, e.what());
      return false;
    }
    bench.clients.push_back(c);
  }
  return true;
}

struct Marks {
  double server_cpu = 0, load_cpu = 0;
};

// Runs the clients until the window ends (or, for the restart fill, until enough acks),
// then lets the changes of the window arrive (at most 3 s) and stops.
Marks run_clients(Bench& bench, std::vector<std::unique_ptr<net::io_context>>& iocs, pid_t pid) {
  Marks m;
  auto& ioc = *iocs[0];
  for (auto& c : bench.clients) net::post(c->ws.get_executor(), [c] { c->start(); });
  net::steady_timer mark(ioc);
  const bool fill = bench.stop_after_acks > 0;
  double cpu0 = 0, load0 = 0;
  Clock::time_point drain_until;
  std::function<void(beast::error_code)> poll;
  auto stop_all = [&] { for (auto& io : iocs) io->stop(); };
  poll = [&](beast::error_code) {
    const auto now = Clock::now();
    if (fill ? !bench.running.load() : now >= drain_until) {
      if (fill) { m.server_cpu = pid > 0 ? cpu_seconds(pid) - cpu0 : 0; }
      return stop_all();
    }
    if (!fill && bench.opt.load_threads == 1) {
      std::uint64_t expected = 0, got = 0, sent = 0, answered = 0;
      for (auto& c : bench.clients) {
        expected += c->stats.acks_window_peers; got += c->stats.deliveries;
        sent += c->stats.sent_window; answered += c->stats.answered_window;
      }
      if (answered >= sent && got >= expected) return stop_all();
    }
    mark.expires_after(std::chrono::milliseconds(fill ? 20 : 50));
    mark.async_wait(poll);
  };
  if (fill) {
    cpu0 = pid > 0 ? cpu_seconds(pid) : 0;
    mark.expires_after(std::chrono::milliseconds(20));
    mark.async_wait(poll);
  } else {
    mark.expires_at(bench.measure_from);
    mark.async_wait([&](beast::error_code) {
      cpu0 = pid > 0 ? cpu_seconds(pid) : 0;
      load0 = self_cpu_seconds();
      mark.expires_at(bench.measure_to);
      mark.async_wait([&](beast::error_code) {
        m.server_cpu = pid > 0 ? cpu_seconds(pid) - cpu0 : 0;
        m.load_cpu = self_cpu_seconds() - load0;
        bench.running = false;
        drain_until = Clock::now() + std::chrono::seconds(3);
        poll({});
      });
    });
  }
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < iocs.size(); ++i) threads.emplace_back([&io = *iocs[i]] { io.run(); });
  ioc.run();
  for (auto& t : threads) t.join();
  return m;
}

void report_cursors(const Bench& bench) {
  const double secs = bench.opt.seconds;
  std::vector<double> means;
  double worst = 1e300;
  for (const auto& c : bench.clients) {
    double sum = 0, lo = 1e300;
    int peers = 0;
    for (const auto& p : bench.clients) {
      if (p->index == c->index || p->board != c->board) continue;
      const double r = c->stats.presence_from.empty() ? 0 : c->stats.presence_from[static_cast<std::size_t>(p->index)] / secs;
      sum += r; lo = std::min(lo, r); ++peers;
    }
    if (peers == 0) continue;
    means.push_back(sum / peers);
    worst = std::min(worst, lo);
    if (bench.opt.per_client)
      std::printf("client c-%d board=%d peers=%d cursor_hz_per_peer mean=%.1f min=%.1f\n", c->index, c->board, peers, sum / peers, lo);
  }
  std::sort(means.begin(), means.end());
  if (means.empty()) return;
  std::printf("cursor_hz_sent=%.1f cursor_hz_per_peer_min_client=%.1f cursor_hz_per_peer_p50_client=%.1f cursor_hz_per_peer_max_client=%.1f cursor_hz_worst_pair=%.1f\n",
              bench.opt.cursor_hz, means.front(), pct(means, 0.5), means.back(), worst);
}

struct Totals {
  std::vector<std::uint32_t> fanout, fanout_b, ack, presence;
  std::uint64_t acks = 0, deliveries = 0, presence_n = 0, expected = 0, rejects = 0, sent = 0, answered = 0, hidden = 0;
};

Totals merge(const Bench& bench) {
  Totals t;
  for (const auto& c : bench.clients) {
    const auto& s = c->stats;
    t.fanout.insert(t.fanout.end(), s.fanout_us.begin(), s.fanout_us.end());
    t.fanout_b.insert(t.fanout_b.end(), s.fanout_b_us.begin(), s.fanout_b_us.end());
    t.ack.insert(t.ack.end(), s.ack_us.begin(), s.ack_us.end());
    t.presence.insert(t.presence.end(), s.presence_us.begin(), s.presence_us.end());
    t.acks += s.acks; t.deliveries += s.deliveries; t.presence_n += s.presence; t.hidden += s.hidden;
    t.expected += s.acks_window_peers; t.rejects += s.rejects;
    t.sent += s.sent_window; t.answered += s.answered_window;
  }
  for (auto* v : {&t.fanout, &t.fanout_b, &t.ack, &t.presence}) std::sort(v->begin(), v->end());
  return t;
}

void print_latency(const char* name, const std::vector<std::uint32_t>& v) {
  std::printf("%s_ms_p50=%.3f %s_ms_p99=%.3f %s_ms_p999=%.3f %s_ms_max=%.3f %s_samples=%zu\n", name, pct(v, 0.5) / 1000, name,
              pct(v, 0.99) / 1000, name, pct(v, 0.999) / 1000, name, v.empty() ? 0.0 : v.back() / 1000.0, name, v.size());
}

void report_run(const Bench& bench, const Marks& m, pid_t pid) {
  const Options& opt = bench.opt;
  const Totals t = merge(bench);
  const double secs = opt.seconds;
  std::printf("clients=%d boards=%d mode=%s cursor_hz=%.0f durability=%s seconds=%.1f\n", opt.clients, opt.boards,
              opt.rate > 0 ? ("rate " + std::to_string(opt.rate) + "/s each").c_str() : ("saturate window " + std::to_string(opt.window)).c_str(),
              opt.cursor_hz, opt.durability.c_str(), secs);
  std::printf("accepted_ops_per_s=%.0f deliveries_per_s=%.0f presence_per_s=%.0f hidden_deliveries_per_s=%.0f\n", t.acks / secs,
              t.deliveries / secs, t.presence_n / secs, t.hidden / secs);
  // The fan-out line of old (bench/README.md history) and its unique keys.
  std::printf("fanout_ms p50=%.3f p99=%.3f\n", pct(t.fanout, 0.5) / 1000, pct(t.fanout, 0.99) / 1000);
  print_latency("fanout", t.fanout);
  print_latency("ack", t.ack);
  if (opt.cursor_hz > 0) { print_latency("presence", t.presence); report_cursors(bench); }
  // Lost: deliveries missing of acked changes sent in the window; unanswered: changes of
  // the window without an ack or reject when the run stopped (3 s after the window).
  std::printf("lost_deliveries=%lld unanswered=%lld rejects=%llu\n", static_cast<long long>(t.expected) - static_cast<long long>(t.deliveries),
              static_cast<long long>(t.sent) - static_cast<long long>(t.answered), static_cast<unsigned long long>(t.rejects));
  // Below 50 ms of CPU the 10 ms ticks of /proc make the per-op figures noise: left out.
  if (pid > 0 && t.acks > 0 && m.server_cpu >= 0.05) {
    const double msgs = static_cast<double>(t.deliveries + t.presence_n + t.acks);
    std::printf("server_cpu_s=%.2f server_cores=%.2f cpu_us_per_op=%.2f cpu_us_per_delivery=%.2f cpu_us_per_message=%.2f\n",
                m.server_cpu, m.server_cpu / secs, m.server_cpu * 1e6 / t.acks,
                t.deliveries ? m.server_cpu * 1e6 / t.deliveries : 0.0, m.server_cpu * 1e6 / msgs);
  }
  std::printf("load_generator_cores=%.2f\n", m.load_cpu / secs);
  if (opt.join_notes > 0) {
    print_latency("fanout_before_joins", t.fanout);
    print_latency("fanout_during_joins", t.fanout_b);
    std::printf("join_extra_fanout_p99_ms=%.3f\n", (pct(t.fanout_b, 0.99) - pct(t.fanout, 0.99)) / 1000);
  }
}

void set_window(Bench& bench) {
  const auto t0 = Clock::now();
  const double t0_us = now_us();
  auto dur = [](double s) { return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s)); };
  bench.measure_from = t0 + dur(bench.opt.warmup);
  bench.measure_to = bench.measure_from + dur(bench.opt.seconds);
  bench.from_us = t0_us + bench.opt.warmup * 1e6;
  bench.to_us = bench.from_us + bench.opt.seconds * 1e6;
  if (bench.opt.join_notes > 0) {
    bench.split = bench.measure_from + dur(bench.opt.seconds / 2);
    bench.split_us = bench.from_us + bench.opt.seconds / 2 * 1e6;
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  std::filesystem::path self = std::filesystem::canonical("/proc/self/exe");
  opt.server = (self.parent_path().parent_path() / "server" / "tandem").string();
  if (!parse_options(argc, argv, opt)) return 2;
  if (opt.restart_changes > 0) opt.seconds = opt.warmup = 0;
  raise_fd_limit();  // before the server starts: it inherits the limit

  std::filesystem::path data = std::filesystem::temp_directory_path() / ("tandem-load-" + std::to_string(getpid()));
  std::unique_ptr<tandem::testing::ServerProcess> server;
  // The per-connection rate limit (RATE-1) is off: saturation is what is measured.
  std::vector<std::string> args = {"--durability", opt.durability, "--rate-per-second", "0"};
  if (opt.threads > 0) args.insert(args.end(), {"--threads", std::to_string(opt.threads)});
  pid_t pid = -1;
  int port = opt.port;
  if (port == 0) {
    server = std::make_unique<tandem::testing::ServerProcess>(opt.server, data.string(), args);
    if (server->port() == 0) { std::fprintf(stderr, "cannot start %s\n", opt.server.c_str()); return 1; }
    port = server->port();
    pid = server->pid();
  }
  auto cleanup = [&] {
    if (server) server->terminate();
    std::error_code ec;
    std::filesystem::remove_all(data, ec);
  };

  std::vector<std::unique_ptr<net::io_context>> iocs;
  for (int i = 0; i < opt.load_threads; ++i) iocs.push_back(std::make_unique<net::io_context>());
  Bench bench;
  bench.opt = opt;
  std::vector<BoardAccess> boards;
  if (!connect_clients(bench, iocs, port, boards)) { cleanup(); return 1; }
  if (opt.idle > 0) {
    IdleResult r = open_idle(*iocs[0], opt, port, pid, static_cast<std::uint64_t>(opt.clients));
    std::printf("idle_connections=%d idle_boards=%d idle_open_s=%.1f idle_rss_before_kib=%ld idle_rss_after_kib=%ld idle_kib_per_conn=%.2f\n",
                r.opened, (opt.idle + opt.idle_per_board - 1) / opt.idle_per_board, r.seconds, r.rss_before_kib, r.rss_after_kib,
                r.opened ? static_cast<double>(r.rss_after_kib - r.rss_before_kib) / r.opened : 0.0);
    if (r.opened < opt.idle) std::printf("idle_failed_at=%d\n", r.opened);
  }
  if (opt.restart_changes > 0) {
    bench.stop_after_acks = opt.restart_changes;
    set_window(bench);
    const auto t0 = Clock::now();
    Marks m = run_clients(bench, iocs, pid);
    const double fill_s = std::chrono::duration<double>(Clock::now() - t0).count();
    const long acks = bench.total_acks.load();
    for (auto& c : bench.clients) { beast::error_code ec; c->ws.next_layer().close(ec); }  // the server stops with no one to wait for
    bench.clients.clear();
    RestartResult r = restart_server(server, opt.server, data.string(), args, boards[0]);
    std::printf("restart_changes=%ld fill_s=%.1f fill_ops_per_s=%.0f cpu_us_per_op=%.2f\n", acks, fill_s, acks / fill_s,
                m.server_cpu * 1e6 / static_cast<double>(std::max(1L, acks)));
    std::printf("restart_ok=%d restart_stop_ms=%.0f restart_listen_ms=%.0f restart_welcome_ms=%.0f restart_head_seq=%llu\n", r.ok ? 1 : 0,
                r.stop_ms, r.listen_ms, r.welcome_ms, static_cast<unsigned long long>(r.head_seq));
    cleanup();
    return r.ok ? 0 : 1;
  }
  set_window(bench);
  std::thread joiner;
  JoinResult joins;
  if (opt.join_notes > 0) joiner = std::thread([&] { joins = run_joins(port, boards[0], bench.split, bench.measure_to); });
  Marks m = run_clients(bench, iocs, pid);
  if (joiner.joinable()) joiner.join();
  report_run(bench, m, pid);
  if (opt.join_notes > 0) {
    std::sort(joins.join_us.begin(), joins.join_us.end());
    print_latency("join", joins.join_us);
    std::printf("join_notes=%d joins=%zu join_failures=%d welcome_bytes=%zu snapshot_objects=%llu\n", opt.join_notes, joins.join_us.size(),
                joins.failures, joins.welcome_bytes, static_cast<unsigned long long>(joins.snapshot_objects));
  }
  cleanup();
  return 0;
}
