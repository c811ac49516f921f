// Fuzz target: any client frames into one session's Endpoint (server/session/endpoint.*),
// without sockets: a checking Sink in place of the connection, real Boards over a real
// RocksDB in a temp folder behind it (tests/session/test_context.hpp, made once per
// process: boards keep their state from one input to the next, like a long-lived server).
//
// Input (fuzz_input.hpp records): each record is one client frame. Flags: bit 0 a binary
// frame (else text, which FRAME-1 refuses); bit 1 "sign": when the bytes parse as a
// ClientMessage holding a Join, the Join is pointed at board fz<bits 2-3> with a valid
// member token of member m<bits 4-5>, role viewer/editor/facilitator/owner by bits 6-7, and
// re-encoded, so inputs get past the token check (AUTH-1) to the board.
//
// Checked, each a crash (abort) when broken: every entry, part and presence tick the
// Endpoint hands its Sink is one ServerFrame that parses; a close code is 1000..4999.
// Like the connection, the input stops at the first close, and waits while reading is
// paused (FLOW-2): an input whose reading stays paused for a second stops there.
#include <boost/asio/strand.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "fuzz/fuzz_input.hpp"
#include "log.hpp"
#include "session/endpoint.hpp"
#include "session/test_context.hpp"

namespace {

using namespace tandem;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "endpoint_fuzz: %s\n", what);
  std::abort();
}

class CheckingSink final : public Sink {
 public:
  void send(wire::SharedBytes entry) override { check(*entry); }
  std::size_t send_changes(const wire::FanoutBatch& batch, std::uint64_t own_conn) override {
    std::size_t own = 0;
    for (const auto& f : *batch) {
      own += f.origin_conn == own_conn;
      check(f.origin_conn == own_conn ? *f.ack : *f.entry);
    }
    return own;
  }
  void send_parts(wire::Parts parts) override {
    for (const auto& p : *parts) check(*p);
  }
  void send_presence(wire::PresenceTick tick) override {
    std::string bytes;
    tick.append_to(&bytes, false);
    check(bytes);
  }
  void settle_presence() override {}
  void flush() override {}
  void close(std::uint16_t code, std::string) override {
    if (code < 1000 || code > 4999) fail("a close code out of range");
    if (!closed) closed = code;
  }
  void pause_reading() override { paused = true; }
  void resume_reading() override { paused = false; }

  std::uint16_t closed = 0;
  bool paused = false;
  std::size_t received = 0;

 private:
  void check(const std::string& bytes) {
    if (closed) return;  // the first close wins: the connection drops what follows
    v1::ServerFrame f;
    if (!f.ParseFromString(bytes)) fail("an entry that is not a ServerFrame");
    ++received;
  }
};

struct World {
  World() : t(config()) {
    log::route_protobuf();  // as the server does (server.cpp): protobuf's lines are rate limited
    for (int i = 0; i < 4; ++i) t.create_board("fz" + std::to_string(i));
  }
  static ServerConfig config() {
    ServerConfig cfg;
    cfg.max_inflight_changes = 8;
    cfg.board.state.max_objects = 2000;  // boards live across inputs: keep them small
    cfg.board.snapshot_every_changes = 200;
    return cfg;
  }
  // Runs the boards' handlers until none is ready for about 0.4 ms (storage
  // answers come from other threads), at most `cap`.
  void settle(std::chrono::milliseconds cap = std::chrono::milliseconds(200)) {
    const auto deadline = std::chrono::steady_clock::now() + cap;
    int idle = 0;
    while (idle < 2 && std::chrono::steady_clock::now() < deadline) {
      if (t.ioc->poll() > 0) idle = 0;
      else if (t.ioc->run_one_for(std::chrono::microseconds(200)) == 0) ++idle;
    }
  }
  testing::TestContext t;
  std::uint64_t next_conn = 1;
};

World& world() {
  static World* w = new World();  // never destroyed: libFuzzer exits without unwinding
  return *w;
}

std::string signed_frame(const World& w, const fuzz::Record& r) {
  std::string bytes(r.bytes);
  if (!(r.flags & 2)) return bytes;
  v1::ClientMessage m;
  if (!m.ParseFromString(bytes) || !m.has_join()) return bytes;
  static constexpr v1::Role kRoles[] = {v1::ROLE_VIEWER, v1::ROLE_EDITOR, v1::ROLE_FACILITATOR, v1::ROLE_OWNER};
  const std::string board = "fz" + std::to_string((r.flags >> 2) & 3);
  m.mutable_join()->set_board_id(board);
  m.mutable_join()->set_token(w.t.member_token(board, "m" + std::to_string((r.flags >> 4) & 3), kRoles[r.flags >> 6]));
  return m.SerializeAsString();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  World& w = world();
  auto sink = std::make_shared<CheckingSink>();
  auto ep = Endpoint::create(*w.t.ctx, boost::asio::make_strand(w.t.ioc->get_executor()), sink, w.next_conn++);
  fuzz::RecordReader in(data, size);
  fuzz::Record r;
  for (int n = 0; n < 32 && in.next(&r); ++n) {
    if (sink->paused) w.t.pump_until([&] { return !sink->paused; }, std::chrono::seconds(1));  // FLOW-2
    if (sink->closed || sink->paused) break;  // the connection reads nothing more
    const std::string frame = signed_frame(w, r);
    ep->on_message(frame, (r.flags & 1) != 0);
    w.settle();
  }
  if (std::getenv("FUZZ_VERBOSE"))  // what an input reached (seed checks, docs)
    std::fprintf(stderr, "endpoint_fuzz: %zu entries received, close %u\n", sink->received, sink->closed);
  sink.reset();  // the connection is gone, then ends its endpoint
  ep->on_end();
  w.settle();
  return 0;
}
