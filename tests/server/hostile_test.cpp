// Hostile clients (issue 12): each abuse gets a clear answer, costs the server bounded
// memory, and everyone else is served meanwhile. Real server, real sockets. The memory
// figure is the growth of this process's RSS (/proc/self/status: server and clients
// together, so an upper bound), printed for docs. Rule ids refer to protocol/SPEC.md.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "log.hpp"
#include "support/ops.hpp"
#include "support/server_fixture.hpp"

namespace tandem {
namespace {

using namespace std::chrono_literals;
using testing::change;
using testing::create_note;
using testing::TestClient;
using Kind = v1::ServerMessage::KindCase;
using Clock = std::chrono::steady_clock;

// This process's resident set, in KiB.
long rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

void report_rss(const char* abuse, long before_kib) {
  std::printf("[ memory ] %s: RSS grew %ld KiB (from %ld KiB)\n", abuse, rss_kib() - before_kib, before_kib);
}

// Another member, committing one change every 20 ms (a busy person, well under the
// rate limit) while the abuse goes on: each must be acked.
class Bystander {
 public:
  Bystander(std::uint16_t port, const std::string& board, const std::string& token) : client_(port) {
    client_.join(board, "bystander", 0, token);
    thread_ = std::thread([this] {
      while (!stop_) {
        const std::uint64_t cs = ++sent_;
        v1::ClientMessage m;
        *m.mutable_submit()->add_changes() = change(cs, {create_note("by-" + std::to_string(cs), "still here")});
        client_.send(m);
        auto r = client_.wait_for([&](const v1::ServerMessage& x) { return x.has_ack() || x.has_reject(); }, 10s,
                                  "the bystander's ack");
        if (!r) return;
        EXPECT_TRUE(r->has_ack() && r->ack().client_seq() == cs) << "the bystander got " << r->ShortDebugString();
        if (!r->has_ack()) return;
        ++acked_;
        std::this_thread::sleep_for(20ms);  // pacing the bystander, not waiting for the server
      }
    });
  }
  // Stops after at least `min` acks (or the deadline); returns the acks.
  std::uint64_t finish(std::uint64_t min = 3) {
    const auto deadline = Clock::now() + 20s;
    while (acked_ < min && Clock::now() < deadline) std::this_thread::yield();
    stop_ = true;
    thread_.join();
    return acked_;
  }
  std::uint64_t acked() const { return acked_; }
  ~Bystander() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  TestClient client_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> sent_{0}, acked_{0};
};

int connect_raw(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// True once the server has ended the TCP connection (EOF or reset).
bool peer_closed(int fd) {
  char b;
  const ssize_t n = ::recv(fd, &b, 1, MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

class HostileTest : public testing::BoardFixture {
 protected:
  void SetUp() override {}  // each test sets cfg first, then calls begin()
  void begin() { BoardFixture::SetUp(); }
};

// A WebSocket upgrade on a raw socket with `forwarded` as X-Forwarded-For ("": none): the
// answer's status code (0: none within 10 s). The socket stays open in `held`.
int upgrade_status(std::uint16_t port, const std::string& forwarded, std::vector<int>& held) {
  const int fd = connect_raw(port);
  if (fd < 0) return 0;
  held.push_back(fd);
  std::string request =
      "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
  if (!forwarded.empty()) request += "X-Forwarded-For: " + forwarded + "\r\n";
  request += "\r\n";
  if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) return 0;
  timeval wait{10, 0};  // a deadline on each read, not a sleep
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  std::string got;
  char buf[512];
  while (got.find("\r\n\r\n") == std::string::npos) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  return got.rfind("HTTP/1.1 ", 0) == 0 && got.size() >= 12 ? std::stoi(got.substr(9, 3)) : 0;
}

// Behind a trusted proxy the per-address cap counts each client the proxy names, not the
// proxy (LIMIT-1, docs/deploy/README.md).
TEST_F(HostileTest, BehindATrustedProxyTheCapCountsEachClientNotTheProxy) {
  cfg.max_connections_per_address = 1;
  cfg.trusted_proxies = {"127.0.0.1"};
  begin();
  std::vector<int> held;
  EXPECT_EQ(upgrade_status(port, "203.0.113.7", held), 101);
  EXPECT_EQ(upgrade_status(port, "198.51.100.1, 203.0.113.8", held), 101);  // the last entry is the proxy's own
  EXPECT_EQ(upgrade_status(port, "203.0.113.7", held), 429);                // that client again: over its cap
  EXPECT_EQ(upgrade_status(port, "not an address", held), 101);             // the peer's own: 127.0.0.1
  EXPECT_EQ(upgrade_status(port, "", held), 429);                           // 127.0.0.1 again
  // HAProxy adds a header line of its own after the client's: the last line counts.
  EXPECT_EQ(upgrade_status(port, "203.0.113.7\r\nX-Forwarded-For: 203.0.113.20", held), 101);
  for (int fd : held) ::close(fd);
}

// From a peer that is not a trusted proxy the header counts for nothing: anyone can send it.
TEST_F(HostileTest, XForwardedForFromAnUntrustedPeerIsIgnored) {
  cfg.max_connections_per_address = 1;
  begin();
  std::vector<int> held;
  EXPECT_EQ(upgrade_status(port, "203.0.113.7", held), 101);
  EXPECT_EQ(upgrade_status(port, "203.0.113.9", held), 429);
  for (int fd : held) ::close(fd);
}

TEST_F(HostileTest, SlowlorisUpgradesAreDroppedAtTheRequestDeadline) {  // LIMIT-2
  cfg.request_timeout_ms = 1000;
  begin();
  const long before = rss_kib();
  Bystander bystander(port, board, alice);
  const std::string request =
      "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  constexpr int kSockets = 30;
  std::vector<int> fds;
  std::vector<Clock::time_point> opened, ended(kSockets);
  for (int i = 0; i < kSockets; ++i) {
    fds.push_back(connect_raw(port));
    ASSERT_GE(fds.back(), 0);
    opened.push_back(Clock::now());
  }
  // One byte per socket every 50 ms (pacing the abuse, not waiting for the server),
  // far slower than a request needs, until the server drops each one.
  std::vector<std::size_t> sent(kSockets, 0);
  int open = kSockets;
  const auto deadline = Clock::now() + 15s;
  while (open > 0 && Clock::now() < deadline) {
    for (int i = 0; i < kSockets; ++i) {
      if (fds[i] < 0) continue;
      if (peer_closed(fds[i]) ||
          ::send(fds[i], &request[sent[i] % request.size()], 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
        ended[i] = Clock::now();
        ::close(fds[i]);
        fds[i] = -1;
        --open;
        continue;
      }
      ++sent[i];
    }
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(open, 0) << "sockets still held after 15 s";
  for (int i = 0; i < kSockets; ++i) {
    if (fds[i] >= 0) ::close(fds[i]);
    else EXPECT_LT(ended[i] - opened[i], 4s) << "socket " << i << " was held past the deadline";
    EXPECT_LT(sent[i], request.size()) << "the request completed: not a slowloris";
  }
  EXPECT_GE(testing::metric(port, "handshake_timeouts_total"), static_cast<std::uint64_t>(kSockets));
  EXPECT_GE(bystander.finish(), 3u);
  report_rss("slowloris, 30 sockets", before);
}

// A plain Beast client that joins, sends a frame of `size` bytes at once, then reads
// until the end; the close code it got (0: none, a reset).
int close_code_after_oversized_frame(std::uint16_t port, const v1::ClientMessage& join, std::size_t size) {
  namespace net = boost::asio;
  namespace websocket = boost::beast::websocket;
  net::io_context ioc;
  websocket::stream<net::ip::tcp::socket> ws(ioc);
  ws.next_layer().connect({net::ip::make_address("127.0.0.1"), port});
  ws.handshake("127.0.0.1:" + std::to_string(port), "/ws");
  ws.binary(true);
  ws.read_message_max(64 << 20);
  ws.write(net::buffer(join.SerializeAsString()));
  boost::beast::error_code ec;
  ws.write(net::buffer(std::string(size, 'x')), ec);  // may fail once closed: the code is what counts
  boost::beast::flat_buffer b;
  while (!ec) {
    ws.read(b, ec);
    b.clear();
  }
  return ec == websocket::error::closed ? ws.reason().code : 0;
}

TEST_F(HostileTest, AnOversizedFrameIsAnsweredWith1009EveryTime) {  // FRAME-3
  cfg.max_message_bytes = 64 << 10;
  begin();
  const long before = rss_kib();
  Bystander bystander(port, board, alice);
  for (int round = 0; round < 20; ++round) {
    // Just over the limit, and far over it (the rest is still coming when the server answers).
    const std::size_t size = round % 2 ? (64 << 10) + 1 : (4 << 20);
    EXPECT_EQ(close_code_after_oversized_frame(port, testing::join_msg(board, "abuser", 0, bob), size), 1009)
        << "round " << round << ", " << size << " bytes";
  }
  EXPECT_GE(testing::metric(port, "oversized_frames_total"), 20u);
  EXPECT_GE(bystander.finish(), 3u);
  report_rss("oversized frames, 20 x up to 4 MiB", before);
}

// The replies (acks and rejects) to `n` changes from client_seq `first`, in order (ACK-2).
std::vector<v1::ServerMessage> replies(TestClient& c, std::uint64_t first, std::uint64_t n) {
  std::vector<v1::ServerMessage> out;
  for (std::uint64_t want = first; want < first + n; ++want) {
    auto r = c.wait_for([](const v1::ServerMessage& m) { return m.has_ack() || m.has_reject(); }, 10s, "a reply");
    if (!r) break;
    const std::uint64_t got = r->has_ack() ? r->ack().client_seq() : r->reject().client_seq();
    EXPECT_EQ(got, want) << "replies out of order (ACK-2)";
    out.push_back(*r);
  }
  return out;
}

v1::ClientMessage notes(std::uint64_t first, int n, const std::string& prefix) {
  v1::ClientMessage m;
  for (int i = 0; i < n; ++i)
    *m.mutable_submit()->add_changes() =
        change(first + i, {create_note(prefix + std::to_string(first + i), "pasted")});
  return m;
}

TEST_F(HostileTest, ABurstPassesTheRestIsRateLimitedThenRetriedAndAcked) {  // RATE-1, REJ-2
  cfg.rate_per_second = 20;
  cfg.rate_burst = 60;
  begin();
  TestClient c(port);
  c.join(board, "paster", 0, alice);  // takes a token
  // A facilitator pastes 50 notes at once: all pass.
  c.send(notes(1, 50, "p"));
  for (const auto& r : replies(c, 1, 50)) EXPECT_TRUE(r.has_ack());
  // Twenty more at once: the few tokens left pass, the rest are refused, in order.
  c.send(notes(51, 20, "p"));
  std::vector<std::uint64_t> refused;
  for (const auto& r : replies(c, 51, 20)) {
    if (r.has_reject()) {
      EXPECT_EQ(r.reject().code(), v1::REJECT_CODE_RATE_LIMITED);
      refused.push_back(r.reject().client_seq());
    } else {
      EXPECT_TRUE(refused.empty()) << "an ack after a rate-limited reject";
    }
  }
  ASSERT_FALSE(refused.empty());
  EXPECT_GE(testing::metric(port, "rate_limited_total"), refused.size());
  // Retried like REJ-2 says (after a backoff), each is acked in the end: not closed.
  for (std::uint64_t cs : refused) {
    const auto deadline = Clock::now() + 10s;
    bool acked = false;
    while (!acked && Clock::now() < deadline) {
      v1::ClientMessage m;
      *m.mutable_submit()->add_changes() = change(cs, {create_note("p" + std::to_string(cs), "pasted")});
      c.send(m);
      auto r = c.wait_for([](const v1::ServerMessage& m) { return m.has_ack() || m.has_reject(); }, 10s, "a reply");
      ASSERT_TRUE(r);
      acked = r->has_ack();
      if (!acked) std::this_thread::sleep_for(100ms);  // the client's backoff (REJ-2)
    }
    EXPECT_TRUE(acked) << "change " << cs << " never acked";
  }
  EXPECT_FALSE(c.closed());
}

TEST_F(HostileTest, AFloodIsRateLimitedThenClosedWith4007) {  // RATE-1
  cfg.rate_per_second = 100;
  cfg.rate_burst = 500;
  begin();
  const long before = rss_kib();
  Bystander bystander(port, board, alice);
  TestClient flood(port);
  flood.join(board, "flooder", 0, bob);
  // Frames of 200 changes, each sent once the replies to the one before have come (so
  // no send races the close), far faster than 100 a second.
  std::uint64_t cs = 0, acks = 0, rejects = 0, last = 0;
  const auto deadline = Clock::now() + 30s;
  while (!flood.closed() && Clock::now() < deadline) {
    flood.send(notes(cs + 1, 200, "f"));
    cs += 200;
    while (last < cs) {
      auto m = flood.next(10s);
      if (!m) break;  // closed
      if (!m->has_ack() && !m->has_reject()) continue;
      const std::uint64_t got = m->has_ack() ? m->ack().client_seq() : m->reject().client_seq();
      EXPECT_EQ(got, last + 1) << "replies out of order (ACK-2)";
      last = got;
      if (m->has_ack()) {
        ++acks;
      } else {
        EXPECT_EQ(m->reject().code(), v1::REJECT_CODE_RATE_LIMITED);
        ++rejects;
      }
    }
  }
  EXPECT_EQ(flood.wait_closed(10s), 4007);
  EXPECT_GE(acks, 500u);
  EXPECT_LE(acks, 2000u);
  EXPECT_GT(rejects, 0u);
  EXPECT_GE(testing::metric(port, "rate_limit_closes_total"), 1u);
  EXPECT_GE(bystander.finish(), 3u);
  std::printf("[ figure ] flood: %llu changes sent, %llu acked, %llu rejected before 4007\n",
              static_cast<unsigned long long>(cs), static_cast<unsigned long long>(acks),
              static_cast<unsigned long long>(rejects));
  report_rss("change flood until 4007", before);
}

TEST_F(HostileTest, InvalidUtf8FramesDoNotFloodTheLog) {  // FRAME-1
  begin();
  const long before = rss_kib();
  Bystander bystander(port, board, alice);
  TestClient abuser(port);
  // A Join whose board_id (a proto3 string) is not UTF-8: protobuf refuses it and logs.
  v1::ClientMessage m;
  m.mutable_join()->set_protocol_version(1);
  m.mutable_join()->set_board_id("ok");
  std::string bytes = m.SerializeAsString();
  bytes.replace(bytes.find("ok"), 2, "\xff\xfe");
  const std::uint64_t written = log::lines_written(), suppressed = log::lines_suppressed();
  constexpr int kFrames = 1000;
  for (int i = 0; i < kFrames; ++i) abuser.send_raw(bytes, true);
  // Each is answered (FRAME-1) and the connection stays open.
  for (int i = 0; i < kFrames; ++i) {
    auto e = abuser.wait_kind(Kind::kError);
    ASSERT_TRUE(e);
    ASSERT_EQ(e->error().code(), v1::ERROR_CODE_MALFORMED_FRAME);
  }
  EXPECT_FALSE(abuser.closed());
  const std::uint64_t lines = log::lines_written() - written;
  EXPECT_LT(lines, 100u) << "the log took a line per bad frame";
  EXPECT_GE(log::lines_suppressed() - suppressed, static_cast<std::uint64_t>(kFrames));
  EXPECT_GE(bystander.finish(), 3u);
  std::printf("[ figure ] %d invalid UTF-8 frames: %llu log lines\n", kFrames, static_cast<unsigned long long>(lines));
  report_rss("invalid UTF-8 frames, 1000", before);
}

// A board at max_objects: every limit on the way agrees with it (issue 12): the changes
// that make it fit the frame limit, its snapshot is written and loaded, a joiner gets
// all of it (JOIN-7, JOIN-8) with the default queue cap, and a member a few changes
// behind catches up by changes.
TEST_F(HostileTest, ABoardOfMaxObjectsIsWrittenLoadedAndJoined) {  // JOIN-7, JOIN-8, LOG-2
  cfg.board.snapshot_every_changes = 20;
  begin();
  const int max_objects = static_cast<int>(cfg.board.state.max_objects);
  const int per_change = static_cast<int>(cfg.board.state.max_ops_per_change);
  TestClient w(port);
  w.join(board, "writer", 0, owner);
  std::uint64_t cs = 0, head = 0;
  for (int made = 0; made < max_objects;) {
    v1::ClientMessage m;
    v1::Change* ch = m.mutable_submit()->add_changes();
    ch->set_client_seq(++cs);
    for (int i = 0; i < per_change && made < max_objects; ++i, ++made)
      *ch->add_ops() = create_note("n" + std::to_string(made), "note number " + std::to_string(made));
    ASSERT_LE(m.ByteSizeLong(), cfg.max_message_bytes);
    w.send(m);
    auto ack = w.wait_for([&](const v1::ServerMessage& x) { return x.has_ack() && x.ack().client_seq() == cs; }, 30s);
    ASSERT_TRUE(ack) << "no ack for change " << cs;
    head = ack->ack().seq();
  }
  // One more object is refused: the board is full.
  {
    v1::ClientMessage m;
    *m.mutable_submit()->add_changes() = change(++cs, {create_note("one-too-many", "x")});
    w.send(m);
    auto r = w.wait_for([&](const v1::ServerMessage& x) { return x.has_ack() || x.has_reject(); }, 30s);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->has_reject());
  }
  restart();  // the board comes back from its snapshot (written every 20 changes) and log
  TestClient j(port);
  j.send(testing::join_msg(board, "joiner", 0, alice));
  std::uint32_t parts = 0;
  const v1::Welcome welcome = j.wait_welcome(120s, &parts);
  EXPECT_EQ(welcome.head_seq(), head);
  EXPECT_EQ(welcome.snapshot().objects_size() + 0, max_objects);
  EXPECT_GT(parts, 1u);
  std::printf("[ figure ] a board of %d objects: welcome %zu bytes in %u parts\n", max_objects,
              welcome.ByteSizeLong(), parts);
  // A member a few changes behind gets them, not a snapshot (JOIN-2).
  TestClient k(port);
  k.send(testing::join_msg(board, "behind", head - 3, bob));
  const v1::Welcome catchup = k.wait_welcome(60s);
  EXPECT_FALSE(catchup.has_snapshot());
  EXPECT_EQ(catchup.changes_size(), 3);
  EXPECT_EQ(testing::metric(port, "slow_consumer_closes_total"), 0u);
}

}  // namespace
}  // namespace tandem
