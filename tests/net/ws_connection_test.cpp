// The WebSocket transport over a real loopback socket, without a listener: the test
// accepts the TCP connection, hands it to a WsConnection and calls its Sink on the
// connection's strand, so what one handler queues is known to leave in one frame.
#include "net/ws_connection.hpp"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <thread>

#include "session/test_context.hpp"

namespace tandem {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

wire::SharedBytes pong(std::uint64_t nonce) {
  v1::ServerMessage m;
  m.mutable_pong()->set_nonce(nonce);
  return wire::entry(m);
}

class ConnectionTest : public ::testing::Test {
 protected:
  static ServerConfig config() {
    ServerConfig cfg;
    cfg.outgoing_queue_bytes = 64 * 1024;
    return cfg;
  }
  void SetUp() override {
    t.start_thread();
    tcp::acceptor acceptor(client_ioc, {net::ip::make_address("127.0.0.1"), 0});
    client.next_layer().connect(acceptor.local_endpoint());
    tcp::socket socket(strand);
    acceptor.accept(socket);
    ASSERT_TRUE(t.sessions.try_reserve("127.0.0.1", 1));  // as HttpSession does
    std::thread handshake([this] { client.handshake("127.0.0.1", "/ws"); });
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    http::read(socket, buffer, req);
    conn = std::make_shared<WsConnection>(std::move(socket), *t.ctx, "127.0.0.1");
    conn->run(std::move(req));
    handshake.join();
  }
  // Runs fn(connection) as one handler on the connection's strand.
  void on_strand(std::function<void(WsConnection&)> fn) {
    net::post(strand, [c = std::move(conn), fn = std::move(fn)] { fn(*c); });
  }
  // The messages of the next frame; empty once the connection is closed.
  std::vector<v1::ServerMessage> read_frame() {
    beast::flat_buffer buffer;
    beast::error_code ec;
    client.read(buffer, ec);
    if (ec) return {};
    v1::ServerFrame frame;
    EXPECT_TRUE(frame.ParseFromString(beast::buffers_to_string(buffer.data())));
    return {frame.messages().begin(), frame.messages().end()};
  }
  // Reads until the server's close frame; its code.
  std::uint16_t close_code() {
    while (!read_frame().empty()) {
    }
    return client.reason().code;
  }

  testing::TestContext t{config()};
  net::any_io_executor strand = net::make_strand(*t.ioc);
  net::io_context client_ioc;
  websocket::stream<tcp::socket> client{client_ioc};
  std::shared_ptr<WsConnection> conn;  // until on_strand hands it over
};

TEST_F(ConnectionTest, AClientFrameReachesTheEndpointAndItsAnswerComesBack) {  // FRAME-1
  v1::ClientMessage ping;
  ping.mutable_ping()->set_nonce(5);
  client.binary(true);
  client.write(net::buffer(ping.SerializeAsString()));
  auto frame = read_frame();
  ASSERT_EQ(frame.size(), 1u);
  EXPECT_EQ(frame[0].pong().nonce(), 5u);
  client.text(true);
  client.write(net::buffer(std::string("hello")));
  frame = read_frame();
  ASSERT_EQ(frame.size(), 1u);
  EXPECT_EQ(frame[0].error().code(), v1::ERROR_CODE_MALFORMED_FRAME);
}

TEST_F(ConnectionTest, AnOverfullQueueClosesWith4001) {  // FLOW-1
  on_strand([](WsConnection& c) {
    for (int i = 0; i < 10; ++i) c.send(wire::error_entry(v1::ERROR_CODE_BAD_REQUEST, std::string(10000, 'x')));
  });
  EXPECT_EQ(close_code(), wire::kCloseSlowConsumer);
  EXPECT_EQ(t.metrics.slow_consumer_closes.load(), 1u);
}

// A presence tick whose entries are pongs (their nonces stand for members' presence):
// `delta` the changed ones, `full` everyone's; `own` the recipient's nonce (skipped).
wire::PresenceTick tick(std::vector<std::uint64_t> delta, std::vector<std::uint64_t> full, std::uint64_t own = 0) {
  auto b = std::make_shared<wire::PresenceBytes>();
  wire::PresenceTick t;
  for (auto n : delta) {
    if (n == own) t.own_delta = {b->delta.size(), b->delta.size() + pong(n)->size()};
    b->delta += *pong(n);
    ++b->delta_messages;
  }
  for (auto n : full) {
    if (n == own) t.own_full = {b->full.size(), b->full.size() + pong(n)->size()};
    b->full += *pong(n);
    ++b->full_messages;
  }
  t.bytes = b;
  return t;
}

// Runs fn(connection) as one handler on the connection's strand, keeping the
// connection (on_strand hands it over once).
void post_to(net::any_io_executor strand, std::shared_ptr<WsConnection> c, std::function<void(WsConnection&)> fn) {
  net::post(strand, [c = std::move(c), fn = std::move(fn)] { fn(*c); });
}

std::vector<std::uint64_t> nonces(const std::vector<v1::ServerMessage>& frame) {
  std::vector<std::uint64_t> out;
  for (const auto& m : frame) out.push_back(m.pong().nonce());
  return out;
}

TEST_F(ConnectionTest, ANewerPresenceTickReplacesTheUnsentOneWholeAndFollowsTheQueue) {  // PRES-4, PRES-5, FRAME-2
  auto keep = conn;
  post_to(strand, keep, [](WsConnection& c) {
    c.send_presence(tick({2, 3}, {2, 3, 4}));  // not written yet: the newer tick replaces it
    c.send(pong(1));
    c.send_presence(tick({5}, {2, 5, 4, 9}, 9));  // written whole (2 from the older tick too), without 9: own
    c.flush();
  });
  EXPECT_EQ(nonces(read_frame()), (std::vector<std::uint64_t>{1, 2, 5, 4}));
  post_to(strand, keep, [](WsConnection& c) {
    c.send_presence(tick({6, 9}, {2, 6, 4, 9}, 9));  // nothing pending: the delta, without its own
    c.flush();
  });
  EXPECT_EQ(nonces(read_frame()), (std::vector<std::uint64_t>{6}));
}

TEST_F(ConnectionTest, UnsentPresenceGoesBeforeWhatFollowsALeave) {  // PRES-2
  auto keep = conn;
  post_to(strand, keep, [](WsConnection& c) {
    c.send_presence(tick({2, 3}, {2, 3}));
    c.settle_presence();  // a member left: its MemberLeft (here 7) must follow its presence
    c.send(pong(7));
    c.send_presence(tick({8}, {2, 8}));
    c.flush();
  });
  EXPECT_EQ(nonces(read_frame()), (std::vector<std::uint64_t>{2, 3, 7, 8}));
}

TEST_F(ConnectionTest, UnderPressurePresenceWaitsAndOnlyTheNewestIsWritten) {  // PRES-1, PRES-5
  auto keep = conn;
  post_to(strand, keep, [](WsConnection& c) {
    c.send(wire::error_entry(v1::ERROR_CODE_BAD_REQUEST, std::string(40000, 'x')));  // over half the cap
    c.send_presence(tick({2}, {2, 4}));
    c.send(pong(3));
    c.send_presence(tick({5}, {2, 5}));  // replaces the unsent tick
    c.flush();
  });
  // Reliable entries first, then the newest tick whole: the newest state of everyone,
  // although no tick follows it.
  auto frame = read_frame();
  ASSERT_EQ(frame.size(), 4u);
  EXPECT_TRUE(frame[0].has_error());
  EXPECT_EQ(frame[1].pong().nonce(), 3u);
  EXPECT_EQ(frame[2].pong().nonce(), 2u);
  EXPECT_EQ(frame[3].pong().nonce(), 5u);
  EXPECT_EQ(t.metrics.presence_dropped.load(), 1u) << "one tick was replaced before it was written";
}

TEST_F(ConnectionTest, CloseWritesWhatIsQueuedThenTheCloseFrame) {  // CLOSE-2
  on_strand([](WsConnection& c) {
    c.send(pong(1));
    c.close(wire::kCloseReplaced, "replaced");
    c.send(pong(2));  // after the close: never sent
  });
  auto frame = read_frame();
  ASSERT_EQ(frame.size(), 1u);
  EXPECT_EQ(frame[0].pong().nonce(), 1u);
  EXPECT_EQ(close_code(), wire::kCloseReplaced);
  EXPECT_EQ(client.reason().reason, "replaced");
}

TEST_F(ConnectionTest, TheEndOfTheConnectionEndsTheEndpoint) {
  EXPECT_EQ(t.sessions.size(), 1u);
  conn.reset();
  client.close(websocket::close_code::normal);
  EXPECT_TRUE(t.sessions.wait_empty(10s));  // the endpoint left
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (t.metrics.connections_open.load() != 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(1ms);
  EXPECT_EQ(t.metrics.connections_open.load(), 0u);
}

}  // namespace
}  // namespace tandem
