// The server's log (issue 13; server/log.hpp, docs/OPERATIONS.md): one line per
// connection opened and closed with its code and reason, per refused join, JSON lines
// that parse, rate-limited lines a client can trigger, and no token ever written.
// The log is captured in memory with a spdlog sink, from a real server in process.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <spdlog/sinks/ringbuffer_sink.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "log.hpp"
#include "support/ops.hpp"
#include "support/server_fixture.hpp"

namespace tandem {
namespace {

using namespace std::chrono_literals;
using namespace tandem::testing;
namespace net = boost::asio;
namespace websocket = boost::beast::websocket;

// A plain synchronous WebSocket client: it closes with a code of its choice (the
// shared TestClient only drops TCP).
struct RawWs {
  net::io_context ioc;
  websocket::stream<net::ip::tcp::socket> ws{ioc};
  explicit RawWs(std::uint16_t port) {
    net::ip::tcp::endpoint ep(net::ip::make_address("127.0.0.1"), port);
    ws.next_layer().connect(ep);
    ws.handshake("127.0.0.1", "/ws");
    ws.binary(true);
  }
  void send(const std::string& bytes) { ws.write(net::buffer(bytes)); }
  v1::ServerMessage read() {
    boost::beast::flat_buffer b;
    ws.read(b);
    v1::ServerMessage m;
    auto d = b.cdata();
    m.ParseFromArray(d.data(), static_cast<int>(d.size()));
    return m;
  }
  // Reads until the server's close frame; its code (0 if none).
  int read_until_closed() {
    boost::beast::error_code ec;
    for (;;) {
      boost::beast::flat_buffer b;
      ws.read(b, ec);
      if (ec) return ws.reason().code;
    }
  }
};

class LogTest : public BoardFixture {
 protected:
  void SetUp() override {
    sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(20000);
    log::set_sink(sink);
    log::configure({log::Level::kInfo, json});
    BoardFixture::SetUp();
  }
  void TearDown() override {
    stop();
    log::set_sink(nullptr);
    log::configure({});
  }
  std::vector<std::string> lines() { return sink->last_formatted(); }
  std::string all() {
    std::string s;
    for (auto& l : lines()) s += l;
    return s;
  }
  // The first line holding every one of `parts`, waiting up to `timeout`.
  std::string wait_line(std::initializer_list<std::string> parts, std::chrono::milliseconds timeout = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      for (const std::string& l : lines())
        if (std::all_of(parts.begin(), parts.end(), [&](const std::string& p) { return l.find(p) != std::string::npos; }))
          return l;
      if (std::chrono::steady_clock::now() >= deadline) return "";
      std::this_thread::yield();
    }
  }
  std::string join_ok(RawWs& c, const std::string& client, const std::string& token) {
    c.send(join_msg(board, client, 0, token).SerializeAsString());
    return c.read().has_welcome() ? "welcome" : "no welcome";
  }

  bool json = false;
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink;
};

TEST_F(LogTest, AConnectionOpenedAndClosedNormallyGetsALineEachWithItsReason) {
  {
    RawWs c(port);
    ASSERT_EQ(join_ok(c, "c-normal", alice), "welcome");
    c.ws.close(websocket::close_reason(websocket::close_code::normal, "bye now"));
  }
  const std::string opened = wait_line({"WebSocket opened from 127.0.0.1"});
  ASSERT_FALSE(opened.empty()) << all();
  EXPECT_EQ(opened.rfind("tandem: info: ", 0), 0u) << opened;
  const std::string closed = wait_line({"WebSocket closed by the client: 1000 normal"});
  ASSERT_FALSE(closed.empty()) << all();
  EXPECT_NE(closed.find("board=" + board), std::string::npos) << closed;
  EXPECT_NE(closed.find("code=1000"), std::string::npos) << closed;
  EXPECT_NE(closed.find("reason=\"bye now\""), std::string::npos) << closed;
  EXPECT_NE(closed.find("peer=127.0.0.1"), std::string::npos) << closed;
}

TEST_F(LogTest, AFrameOverTheLimitLogsTheCloseWith1009) {  // FRAME-3
  stop();
  cfg.max_message_bytes = 4096;
  start();
  RawWs c(port);
  ASSERT_EQ(join_ok(c, "c-big", alice), "welcome");
  c.send(std::string(10000, 'x'));
  EXPECT_EQ(c.read_until_closed(), 1009);
  EXPECT_FALSE(wait_line({"a frame over 4096 bytes: closed with 1009"}).empty()) << all();
  const std::string closed = wait_line({"WebSocket closed by the server: 1009 message too big"});
  ASSERT_FALSE(closed.empty()) << all();
  EXPECT_NE(closed.find("board=" + board), std::string::npos) << closed;
  EXPECT_NE(closed.find("reason=\"frame over 4096 bytes\""), std::string::npos) << closed;
}

TEST_F(LogTest, ARefusedJoinGetsALineWithWhyAndTheCloseSays4006) {  // AUTH-2
  RawWs c(port);
  const std::string other = server->member_token("another-board", v1::ROLE_EDITOR, "Eve");
  c.send(join_msg(board, "c-refused", 0, other).SerializeAsString());
  EXPECT_EQ(c.read_until_closed(), 4006);
  const std::string refused = wait_line({"join of board " + board + " refused: token refused"});
  ASSERT_FALSE(refused.empty()) << all();
  EXPECT_NE(refused.find("code=4006"), std::string::npos) << refused;
  EXPECT_FALSE(wait_line({"WebSocket closed by the server: 4006 unauthorized"}).empty()) << all();
}

class JsonLogTest : public LogTest {
 protected:
  void SetUp() override {
    json = true;
    LogTest::SetUp();
  }
};

TEST_F(JsonLogTest, EveryLineIsOneJsonObjectWithTimeLevelMessageAndFields) {
  {
    RawWs c(port);
    ASSERT_EQ(join_ok(c, "c-json", alice), "welcome");
    c.ws.close(websocket::close_reason(websocket::close_code::normal, "done \"quoted\"\n"));
  }
  ASSERT_FALSE(wait_line({"WebSocket closed"}).empty()) << all();
  const auto got = lines();
  ASSERT_GE(got.size(), 2u);
  bool saw_close = false;
  for (const std::string& l : got) {
    ASSERT_EQ(l.back(), '\n');
    ASSERT_EQ(std::count(l.begin(), l.end(), '\n'), 1) << "one object per line: " << l;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(l, ec);
    ASSERT_FALSE(ec) << ec.message() << ": " << l;
    const auto& o = v.as_object();
    const std::string time(o.at("time").as_string());
    // ISO 8601, UTC, milliseconds: 2026-11-27T15:30:00.123Z
    ASSERT_EQ(time.size(), 24u) << time;
    EXPECT_EQ(time[10], 'T');
    EXPECT_EQ(time[19], '.');
    EXPECT_EQ(time.back(), 'Z');
    EXPECT_TRUE(o.at("level").is_string());
    const std::string msg(o.at("msg").as_string());
    if (msg.find("WebSocket closed by the client") != std::string::npos) {
      saw_close = true;
      EXPECT_EQ(o.at("level").as_string(), "info");
      EXPECT_EQ(o.at("code").as_int64(), 1000);
      EXPECT_EQ(o.at("board").as_string(), board);
      EXPECT_EQ(o.at("peer").as_string(), "127.0.0.1");
      EXPECT_EQ(o.at("reason").as_string(), "done \"quoted\"\n");
      EXPECT_GT(o.at("conn").as_int64(), 0);
    }
  }
  EXPECT_TRUE(saw_close) << all();
}

TEST_F(LogTest, AFloodOfBadFramesWritesNoMoreThanTheLimitersBudget) {  // docs/SECURITY.md
  const std::uint64_t suppressed_before = log::lines_suppressed();
  TestClient c(port);
  c.join(board, "c-flood", 0, alice);
  const auto t0 = std::chrono::steady_clock::now();
  constexpr int kFrames = 400;
  for (int i = 0; i < kFrames; ++i) c.send_raw(std::string("\xff\xff\xff\xff", 4), true);
  ASSERT_TRUE(metric_reaches(port, "malformed_frames_total", kFrames, 20s));
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto got = lines();
  const auto written = std::count_if(got.begin(), got.end(), [](const std::string& l) {
    return l.find("is not a ClientMessage") != std::string::npos;
  });
  // The site's Limiter: a burst of 20, then 5 a second (server/log.hpp).
  EXPECT_GE(written, 1);
  EXPECT_LE(static_cast<double>(written), 20 + 5 * elapsed + 1) << "elapsed " << elapsed << " s";
  EXPECT_GE(log::lines_suppressed() - suppressed_before, static_cast<std::uint64_t>(kFrames - 20 - 5 * elapsed - 1));
}

// Sends a WebSocket upgrade to `target` with an Authorization header; the status line.
std::string raw_upgrade(std::uint16_t port, const std::string& target, const std::string& bearer) {
  net::io_context ioc;
  net::ip::tcp::socket s(ioc);
  s.connect({net::ip::make_address("127.0.0.1"), port});
  const std::string req = "GET " + target +
                          " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                          "Authorization: Bearer " + bearer + "\r\n\r\n";
  net::write(s, net::buffer(req));
  net::streambuf buf;
  net::read_until(s, buf, "\r\n");
  std::istream is(&buf);
  std::string status;
  std::getline(is, status);
  return status;
}

TEST_F(LogTest, NoTokenEverAppearsInTheLog) {  // docs/SECURITY.md
  const std::string bad_invite = "INVITE-SECRET-0123456789abcdef";
  const std::string header_token = "HEADER-SECRET-0123456789abcdef";
  const std::string garbage = "GARBAGE-TOKEN-0123456789abcdef";
  // A member token of another board, and one of this board that is refused once the
  // board is gone: the refusals are logged, the tokens are not.
  const std::string other = server->member_token("another-board", v1::ROLE_EDITOR, "Eve");
  for (const std::string& token : {other, garbage}) {
    RawWs c(port);
    c.send(join_msg(board, "c-tok", 0, token).SerializeAsString());
    EXPECT_EQ(c.read_until_closed(), 4006);
  }
  // A bad invite, redeemed over HTTP (API-2), and in an upgrade's query with a bearer header.
  auto r = http_request(port, "POST", "/api/boards/" + board + "/members",
                        "{\"invite\":\"" + bad_invite + "\",\"name\":\"Mallory\"}", header_token);
  EXPECT_NE(r.status, 200);
  EXPECT_NE(raw_upgrade(port, "/ws?invite=" + bad_invite + "&token=" + alice, header_token).find("426"), std::string::npos);
  EXPECT_NE(raw_upgrade(port, "/elsewhere?invite=" + bad_invite, header_token).find("HTTP/1.1"), std::string::npos);
  // A member who joins and leaves normally.
  {
    RawWs c(port);
    ASSERT_EQ(join_ok(c, "c-alice", alice), "welcome");
    c.ws.close(websocket::close_code::normal);
  }
  ASSERT_FALSE(wait_line({"WebSocket upgrade refused: the target is not /ws (path /ws?...)", "code=426"}).empty())
      << all();
  ASSERT_FALSE(wait_line({"WebSocket upgrade refused", "(path /elsewhere?...)"}).empty()) << all();
  ASSERT_FALSE(wait_line({"WebSocket closed by the client: 1000"}).empty()) << all();
  ASSERT_FALSE(wait_line({"join of board " + board + " refused: token refused"}).empty()) << all();
  const std::string log = all();
  for (const std::string& secret : {bad_invite, header_token, garbage, other, alice, owner})
    EXPECT_EQ(log.find(secret), std::string::npos) << "a token in the log: " << secret << "\n" << log;
  EXPECT_EQ(log.find("invite="), std::string::npos) << log;
}

}  // namespace
}  // namespace tandem
