// The protocol endpoint without sockets: a fake Sink in place of the connection, real
// Boards over a temp RocksDB. The test thread runs the io_context, so it is the
// connection's strand and may read the fake sinks between pumps.
#include "session/endpoint.hpp"

#include <gtest/gtest.h>

#include <boost/asio/strand.hpp>

#include <algorithm>
#include <optional>

#include "session/fake_sink.hpp"
#include "session/test_context.hpp"
#include "support/ops.hpp"

namespace tandem {
namespace {

using namespace std::chrono_literals;
using testing::TestContext;
using testing::Client;
using testing::FakeSink;
using testing::Kind;



// `n` changes from client_seq `first`: new notes, or (client_seq 0) changes the board rejects.
v1::ClientMessage submit(std::uint64_t first, int n, bool valid = true) {
  v1::ClientMessage m;
  for (int i = 0; i < n; ++i) {
    v1::Change* c = m.mutable_submit()->add_changes();
    c->set_client_seq(valid ? first + i : 0);
    *c->add_ops() = testing::create_note("n" + std::to_string(first + i), "x");
  }
  return m;
}

v1::ClientMessage presence(double x) {
  v1::ClientMessage m;
  m.mutable_presence()->mutable_cursor()->set_x(x);
  return m;
}

class EndpointTest : public ::testing::Test {
 protected:
  static ServerConfig config() {
    ServerConfig cfg;
    cfg.max_inflight_changes = 3;
    return cfg;
  }
  // A join of `board` by client `client`, with a member token of its own member.
  v1::ClientMessage join(const std::string& board, const std::string& client,
                         std::uint32_t version = v1::PROTOCOL_VERSION_CURRENT) const {
    v1::ClientMessage m;
    m.mutable_join()->set_protocol_version(version);
    m.mutable_join()->set_board_id(board);
    m.mutable_join()->set_client_id(client);
    m.mutable_join()->set_token(t.member_token(board, "member-" + client));
    return m;
  }
  std::unique_ptr<Client> connect() {
    auto c = std::make_unique<Client>();
    c->ep = Endpoint::create(*t.ctx, strand, c->sink, t.ctx->next_conn_id.fetch_add(1));
    return c;
  }
  // Joins `board` (created first) and waits for the welcome.
  std::unique_ptr<Client> joined(const std::string& board, const std::string& client) {
    auto c = connect();
    c->send(join(board, client));
    EXPECT_TRUE(t.pump_until([&] { return c->sink->count(Kind::kWelcome) == 1; }));
    return c;
  }

  TestContext t{config()};
  boost::asio::any_io_executor strand = boost::asio::make_strand(*t.ioc);
};

TEST_F(EndpointTest, AMalformedFrameGetsAnErrorAndTheConnectionStays) {  // FRAME-1
  auto c = connect();
  c->ep->on_message("hello", false);       // a text frame
  c->ep->on_message("\xff\xff\xff", true);  // not a ClientMessage
  c->ep->on_message("", true);              // a ClientMessage of no kind
  EXPECT_EQ(c->sink->errors(), std::vector<v1::ErrorCode>(3, v1::ERROR_CODE_MALFORMED_FRAME));
  EXPECT_EQ(t.metrics.malformed_frames.load(), 3u);
  v1::ClientMessage ping;
  ping.mutable_ping()->set_nonce(7);
  c->send(ping);
  ASSERT_EQ(c->sink->count(Kind::kPong), 1u);
  EXPECT_EQ(c->sink->sent.back().pong().nonce(), 7u);
  EXPECT_FALSE(c->sink->close_code);
  EXPECT_EQ(c->sink->pauses, 0);
}

TEST_F(EndpointTest, ASubmitBeforeJoinGetsNotJoinedAndCostsNoCredit) {  // JOIN-1
  auto c = connect();
  c->send(submit(1, 5));
  EXPECT_EQ(c->sink->errors(), std::vector<v1::ErrorCode>{v1::ERROR_CODE_NOT_JOINED});
  EXPECT_EQ(c->sink->pauses, 0);
}

TEST_F(EndpointTest, AnUnsupportedProtocolVersionGetsAnErrorAndClose4002) {  // VER-1
  auto c = connect();
  c->send(join("b", "a", 99));
  EXPECT_EQ(c->sink->errors(), std::vector<v1::ErrorCode>{v1::ERROR_CODE_PROTOCOL_VERSION});
  EXPECT_EQ(c->sink->close_code, wire::kCloseProtocolVersion);
}

TEST_F(EndpointTest, ASecondJoinGetsAlreadyJoined) {  // JOIN-1
  t.create_board("b");
  auto c = joined("b", "a");
  c->send(join("b", "a"));
  EXPECT_EQ(c->sink->errors(), std::vector<v1::ErrorCode>{v1::ERROR_CODE_ALREADY_JOINED});
}

TEST_F(EndpointTest, PastTheInflightCapReadingPausesUntilAcksReturnCredit) {  // FLOW-2
  t.create_board("b");
  auto c = joined("b", "a");
  c->send(submit(1, 2));
  EXPECT_FALSE(c->sink->paused);
  c->send(submit(3, 1));  // 3 in flight: the cap
  EXPECT_TRUE(c->sink->paused);
  // The acks come in deliver_changes, one credit per own change.
  ASSERT_TRUE(t.pump_until([&] { return c->sink->count(Kind::kAck) == 3; }));
  EXPECT_FALSE(c->sink->paused);
  EXPECT_EQ(c->sink->pauses, 1);
  EXPECT_EQ(c->sink->resumes, 1);
}

TEST_F(EndpointTest, RejectsReturnTheirCredit) {  // FLOW-2
  t.create_board("b");
  auto c = joined("b", "a");
  c->send(submit(0, 3, false));
  EXPECT_TRUE(c->sink->paused);
  // Each reject comes in deliver(entry, 1).
  ASSERT_TRUE(t.pump_until([&] { return c->sink->count(Kind::kReject) == 3; }));
  EXPECT_FALSE(c->sink->paused);
  c->send(submit(1, 2));  // the credit is all back: 2 in flight do not pause
  EXPECT_EQ(c->sink->pauses, 1);
}

TEST_F(EndpointTest, AFailedJoinReturnsAllCredit) {  // FLOW-2, JOIN-4
  auto c = connect();
  c->send(join("missing", "a"));  // no such board: the board refuses in join_failed
  c->send(submit(1, 3));          // sent before the answer; the board drops them
  EXPECT_TRUE(c->sink->paused);
  ASSERT_TRUE(t.pump_until([&] { return !c->sink->paused; }));
  EXPECT_EQ(c->sink->errors().size(), 1u);  // the refusal, and nothing for the changes
  EXPECT_EQ(c->sink->count(Kind::kAck) + c->sink->count(Kind::kReject), 0u);
  c->send(submit(4, 1));  // not joined any more
  EXPECT_EQ(c->sink->errors().back(), v1::ERROR_CODE_NOT_JOINED);
}

// A batch of `n` one-message fan-outs from another connection: pongs numbered from `first`.
wire::FanoutBatch pongs(std::uint64_t first, int n) {
  auto batch = std::make_shared<std::vector<wire::Fanout>>();
  for (int i = 0; i < n; ++i) {
    v1::ServerMessage m;
    m.mutable_pong()->set_nonce(first + i);
    batch->push_back(wire::Fanout{wire::entry(m), 0, nullptr});
  }
  return batch;
}

std::vector<std::uint64_t> nonces(const FakeSink& s) {
  std::vector<std::uint64_t> out;
  for (const auto& m : s.sent) out.push_back(m.has_pong() ? m.pong().nonce() : 0);
  return out;
}

TEST_F(EndpointTest, BatchesDeliveredBeforeTheStrandRunsArriveInOrderInOneDrain) {
  auto c = connect();
  c->ep->deliver_changes(pongs(1, 2));
  c->ep->deliver_changes(pongs(3, 1));
  c->ep->deliver_changes(pongs(4, 3));
  EXPECT_TRUE(c->sink->sent.empty());  // nothing runs off the strand
  t.pump_for(20ms);
  EXPECT_EQ(nonces(*c->sink), (std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(c->sink->flushes, 1);  // one drain, one flush
  c->ep->deliver_changes(pongs(7, 1));  // after the drain: a new one
  t.pump_for(20ms);
  EXPECT_EQ(nonces(*c->sink).back(), 7u);
  EXPECT_EQ(c->sink->flushes, 2);
}

TEST_F(EndpointTest, AnotherDeliveryBetweenBatchesKeepsItsPlace) {  // Subscriber: in order
  auto c = connect();
  v1::ServerMessage between;
  between.mutable_pong()->set_nonce(100);
  c->ep->deliver_changes(pongs(1, 1));
  c->ep->deliver_changes(pongs(2, 1));
  c->ep->deliver(wire::entry(between), 0);
  c->ep->deliver_changes(pongs(3, 1));
  c->ep->deliver_changes(pongs(4, 1));
  c->ep->close(1001, "bye");
  c->ep->deliver_changes(pongs(5, 1));
  t.pump_for(20ms);
  EXPECT_EQ(nonces(*c->sink), (std::vector<std::uint64_t>{1, 2, 100, 3, 4, 5}));
  EXPECT_EQ(c->sink->close_code, 1001);
  EXPECT_EQ(c->sink->flushes, 5);  // runs {1,2} {3,4} {5}, the entry, the close
}

TEST_F(EndpointTest, PresenceFasterThanTheIntervalIsDropped) {  // PRES-1
  t.create_board("b");
  auto a = joined("b", "a");
  auto b = joined("b", "b");
  a->send(presence(1));
  a->send(presence(2));  // within 15 ms of the first
  ASSERT_TRUE(t.pump_until([&] { return b->sink->presence.size() == 1; }));
  t.pump_for(50ms);
  ASSERT_EQ(b->sink->presence.size(), 1u);
  EXPECT_EQ(b->sink->presence[0].first, "a");
  EXPECT_EQ(b->sink->presence[0].second.presence().presence().cursor().x(), 1);
  a->send(presence(3));  // 50 ms later
  ASSERT_TRUE(t.pump_until([&] { return b->sink->presence.size() == 2; }));
  EXPECT_EQ(b->sink->presence[1].second.presence().presence().cursor().x(), 3);
}

TEST_F(EndpointTest, ALeavingMemberIsDroppedFromPresenceAndReported) {  // PRES-2
  t.create_board("b");
  auto a = joined("b", "a");
  auto b = joined("b", "b");
  a.reset();  // on_end
  ASSERT_TRUE(t.pump_until([&] { return b->sink->count(Kind::kMemberLeft) == 1; }));
  EXPECT_EQ(b->sink->settles, 1);  // a's unsent presence, if any, goes before its MemberLeft
  EXPECT_EQ(b->sink->sent.back().member_left().client_id(), "a");
}

TEST_F(EndpointTest, ANewerConnectionOfAClientClosesTheOlderWith4004) {  // JOIN-6
  t.create_board("b");
  auto old = joined("b", "a");
  auto newer = joined("b", "a");
  ASSERT_TRUE(t.pump_until([&] { return old->sink->close_code.has_value(); }));
  EXPECT_EQ(old->sink->close_code, wire::kCloseReplaced);
  EXPECT_FALSE(newer->sink->close_code);
}

TEST_F(EndpointTest, AnEndpointIsRegisteredForShutdownUntilItEnds) {  // CLOSE-1
  auto c = connect();
  EXPECT_EQ(t.sessions.size(), 1u);
  t.sessions.close_all(1001, "going away");
  ASSERT_TRUE(t.pump_until([&] { return c->sink->close_code.has_value(); }));
  EXPECT_EQ(c->sink->close_code, 1001);
  c.reset();
  EXPECT_EQ(t.sessions.size(), 0u);
}

}  // namespace
}  // namespace tandem
