// tandem_load: scenarios besides the active clients: idle connections, a big board
// to join, and a restart on the same data folder.
#include <thread>

#include "load.hpp"

namespace tandem::load {

namespace {

struct IdleConn : std::enable_shared_from_this<IdleConn> {
  explicit IdleConn(net::io_context& ioc) : ws(ioc) {}
  void read() {
    ws.async_read(buf, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return;
      self->buf.consume(self->buf.size());
      self->read();
    });
  }
  WebSocket ws;
  beast::flat_buffer buf;
};

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

}  // namespace

IdleResult open_idle(net::io_context& ioc, const Options& opt, int port, pid_t pid, std::uint64_t first_conn) {
  IdleResult r;
  const auto t0 = Clock::now();
  const int per_board = std::max(1, opt.idle_per_board);
  std::vector<BoardAccess> boards;
  for (int i = 0; i < opt.idle; i += per_board) {
    auto b = create_board(port);
    if (!b) return r;
    boards.push_back(*b);
  }
  if (pid > 0) r.rss_before_kib = rss_kib(pid);
  for (int k = 0; k < opt.idle; ++k) {
    const BoardAccess& b = boards[static_cast<std::size_t>(k / per_board)];
    auto c = std::make_shared<IdleConn>(ioc);
    try {
      open_ws(c->ws, port, source_address(first_conn + static_cast<std::uint64_t>(k)));
      c->ws.write(net::buffer(join_message(b.board_id, b.owner_token, "i-" + std::to_string(k))));
      if (!read_welcome(c->ws)) break;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "idle connection %d: %s\n", k, e.what());
      break;
    }
    c->read();
    ++r.opened;
  }
  if (pid > 0) r.rss_after_kib = rss_kib(pid);
  r.seconds = ms_since(t0) / 1000;
  return r;
}

namespace {
// The board's owner sends `changes` (one per message, client seqs 1..n) and waits until
// each is answered; false on a reject or a broken connection.
bool owner_sends(int port, const BoardAccess& b, const std::vector<tandem::v1::ClientMessage>& changes, const char* what) {
  try {
    net::io_context ioc;
    WebSocket ws(ioc);
    open_ws(ws, port, "");
    ws.write(net::buffer(join_message(b.board_id, b.owner_token, std::string(what) + "-0")));
    if (!read_welcome(ws)) return false;
    for (const auto& m : changes) ws.write(net::buffer(m.SerializeAsString()));
    std::size_t answered = 0;
    while (answered < changes.size()) {
      beast::flat_buffer buf;
      ws.read(buf);
      tandem::v1::ServerFrame f;
      auto d = buf.cdata();
      f.ParseFromArray(d.data(), static_cast<int>(d.size()));
      for (const auto& m : f.messages()) {
        if (m.has_reject()) { std::fprintf(stderr, "%s rejected: %s\n", what, m.reject().message().c_str()); return false; }
        if (m.has_ack()) ++answered;
      }
    }
    beast::error_code ec;
    ws.close(websocket::close_code::normal, ec);
    return true;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", what, e.what());
    return false;
  }
}
}  // namespace

bool prefill_notes(int port, const BoardAccess& b, int notes) {
  constexpr int kPerChange = 500;
  std::vector<tandem::v1::ClientMessage> changes;
  for (int i = 0; i < notes; i += kPerChange) {
    auto* c = changes.emplace_back().mutable_submit()->add_changes();
    c->set_client_seq(changes.size());
    for (int k = i; k < std::min(notes, i + kPerChange); ++k) {
      auto* cr = c->add_ops()->mutable_create();
      cr->set_id("pre-" + std::to_string(k));
      cr->set_type(tandem::v1::OBJECT_TYPE_NOTE);
      auto field = [&](const char* name) { auto* f = cr->add_fields(); f->set_name(name); return f->mutable_value(); };
      field("text")->set_text("A sticky note of the pre-filled board, number " + std::to_string(k));
      field("x")->set_number(k % 100 * 220.0);
      field("y")->set_number(k / 100 * 160.0);
    }
  }
  return owner_sends(port, b, changes, "prefill");
}

bool start_private_writing(int port, const BoardAccess& b) {
  std::vector<tandem::v1::ClientMessage> changes(1);
  auto* c = changes[0].mutable_submit()->add_changes();
  c->set_client_seq(1);
  c->add_ops()->mutable_set_private_writing()->set_on(true);
  return owner_sends(port, b, changes, "private-writing");
}

JoinResult run_joins(int port, const BoardAccess& b, Clock::time_point from, Clock::time_point to) {
  JoinResult r;
  std::this_thread::sleep_until(from);  // the phase starts (a schedule, not a wait for the server)
  for (std::uint64_t n = 0; Clock::now() < to; ++n) {
    try {
      net::io_context ioc;
      WebSocket ws(ioc);
      open_ws(ws, port, "");
      const std::string join = join_message(b.board_id, b.owner_token, "j-" + std::to_string(n));
      const auto t0 = Clock::now();
      ws.write(net::buffer(join));
      tandem::v1::Welcome w;
      if (!read_welcome(ws, &w)) { ++r.failures; continue; }
      r.join_us.push_back(static_cast<std::uint32_t>(ms_since(t0) * 1000));
      r.welcome_bytes = w.ByteSizeLong();
      r.snapshot_objects = static_cast<std::uint64_t>(w.snapshot().objects_size());
      beast::error_code ec;
      ws.close(websocket::close_code::normal, ec);
    } catch (const std::exception&) {
      ++r.failures;
    }
  }
  return r;
}

RestartResult restart_server(std::unique_ptr<tandem::testing::ServerProcess>& server, const std::string& bin,
                             const std::string& data, const std::vector<std::string>& args, const BoardAccess& b) {
  RestartResult r;
  auto t0 = Clock::now();
  server->terminate();  // SIGTERM, then waits for the process to end (CLOSE-1)
  r.stop_ms = ms_since(t0);
  const auto t1 = Clock::now();
  server = std::make_unique<tandem::testing::ServerProcess>(bin, data, args);
  if (server->port() == 0) return r;
  r.listen_ms = ms_since(t1);
  try {
    net::io_context ioc;
    WebSocket ws(ioc);
    open_ws(ws, server->port(), "");
    ws.write(net::buffer(join_message(b.board_id, b.owner_token, "r-0")));
    tandem::v1::Welcome w;
    if (!read_welcome(ws, &w)) return r;
    r.welcome_ms = ms_since(t1);
    r.head_seq = w.head_seq();
    r.ok = true;
    beast::error_code ec;
    ws.close(websocket::close_code::normal, ec);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "restart join: %s\n", e.what());
  }
  return r;
}

}  // namespace tandem::load
