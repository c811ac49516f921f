// Integration: the real server on an ephemeral loopback port, a temp data folder,
// real WebSocket clients. Rule ids refer to protocol/SPEC.md.
#include "server.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "storage/store.hpp"
#include "support/faulty_fs.hpp"
#include "support/ops.hpp"
#include "support/temp_dir.hpp"
#include "support/test_client.hpp"

namespace tandem {
namespace {

using namespace std::chrono_literals;
using testing::change;
using testing::create_note;
using testing::delete_object;
using testing::submit;
using testing::TestClient;
using testing::update_text;
using Kind = v1::ServerMessage::KindCase;

class ServerTest : public ::testing::Test {
 protected:
  void start() {
    cfg.port = 0;
    cfg.data_dir = dir.path();
    cfg.threads = 2;
    server = std::make_unique<Server>(cfg);
    Status s = server->start();
    ASSERT_TRUE(s.ok()) << s.to_string();
    port = server->port();
  }
  void stop() {
    server->shutdown();
    server.reset();
  }
  void restart() {
    stop();
    start();
  }
  void SetUp() override { cfg.durability = storage::Durability::kSync; }

  // Sends one change and waits for its ack; returns the seq.
  std::uint64_t commit(TestClient& c, std::uint64_t client_seq, v1::Op op) {
    c.send(submit({change(client_seq, {op})}));
    auto ack = c.wait_for([&](const v1::ServerMessage& m) { return m.has_ack() && m.ack().client_seq() == client_seq; });
    return ack ? ack->ack().seq() : 0;
  }

  // A member token of `board`, created (as a discovery board) on first use.
  std::string tok(const std::string& board) {
    auto it = tokens.find(board);
    if (it != tokens.end()) return it->second;
    auto t = server->create_board(board, testing::board_meta(v1::BOARD_KIND_DISCOVERY, v1::BOARD_TEMPLATE_UNSPECIFIED,
                                                             "Board " + board),
                                  "owner of " + board);
    EXPECT_TRUE(t.has_value()) << "cannot create " << board;
    return tokens[board] = t.value_or("");
  }

  std::map<std::string, std::string> tokens;
  testing::TempDir dir;
  ServerConfig cfg;
  std::unique_ptr<Server> server;
  std::uint16_t port = 0;
};

TEST_F(ServerTest, HealthzAnswersOnTheSamePort) {
  start();
  EXPECT_EQ(testing::http_get(port, "/healthz"), "ok\n");
  EXPECT_NE(testing::http_get(port, "/metrics").find("tandem_connections_open"), std::string::npos);
}

TEST_F(ServerTest, TwoClientsSeeEachOthersChangesInTheSameSeqOrder) {  // SEQ-1, SEQ-2, ACK-1
  start();
  TestClient a(port), b(port);
  auto wa = a.join("board-1", "client-a", 0, tok("board-1"));
  auto wb = b.join("board-1", "client-b", 0, tok("board-1"));
  EXPECT_EQ(wa.head_seq(), 0u);
  EXPECT_EQ(wb.board().title(), "Board board-1");

  constexpr int kEach = 40;
  for (int i = 1; i <= kEach; ++i) {
    a.send(submit({change(i, {create_note("a" + std::to_string(i), "from a")})}));
    b.send(submit({change(i, {create_note("b" + std::to_string(i), "from b")})}));
  }
  // Each client's view: seq -> (client id, client seq), from acks of its own and
  // changes of the other.
  auto collect = [&](TestClient& c, const std::string& self) {
    std::map<std::uint64_t, std::pair<std::string, std::uint64_t>> seen;
    while (seen.size() < 2 * kEach) {
      auto m = c.wait_for([](const v1::ServerMessage& m) { return m.has_ack() || m.has_change(); });
      if (!m) break;
      if (m->has_ack()) seen[m->ack().seq()] = {self, m->ack().client_seq()};
      else seen[m->change().seq()] = {m->change().client_id(), m->change().client_seq()};
    }
    return seen;
  };
  auto seen_a = collect(a, "client-a");
  auto seen_b = collect(b, "client-b");
  ASSERT_EQ(seen_a.size(), 2u * kEach);
  EXPECT_EQ(seen_a, seen_b);
  std::uint64_t expect = 1;
  for (const auto& [seq, who] : seen_a) EXPECT_EQ(seq, expect++);  // no gaps
  // Each client's own changes got seqs in client_seq order.
  std::uint64_t last_a = 0;
  for (const auto& [seq, who] : seen_a)
    if (who.first == "client-a") { EXPECT_EQ(who.second, ++last_a); }
}

TEST_F(ServerTest, AnAckedChangeIsInRocksDbAfterAStop) {  // ACK-1
  start();
  std::uint64_t seq = 0;
  {
    TestClient a(port);
    a.join("durable", "client-a", 0, tok("durable"));
    seq = commit(a, 1, create_note("n1", "never lose me"));
    ASSERT_EQ(seq, 1u);
  }
  stop();
  std::unique_ptr<storage::Store> store;
  ASSERT_TRUE(storage::Store::open(dir.path() / "db", &store).ok());
  std::vector<std::string> out;
  ASSERT_TRUE(store->read_changes("durable", seq, seq, 10, &out).ok());
  ASSERT_EQ(out.size(), 1u);
  v1::SequencedChange logged;
  ASSERT_TRUE(logged.ParseFromString(out[0]));
  EXPECT_EQ(logged.seq(), seq);
  EXPECT_EQ(logged.client_id(), "client-a");
  EXPECT_EQ(logged.ops(0).create().fields(0).value().text(), "never lose me");
  std::optional<storage::ClientRecord> rec;
  ASSERT_TRUE(store->get_client("durable", "client-a", &rec).ok());
  ASSERT_TRUE(rec.has_value());
  EXPECT_EQ(rec->client_seq, 1u);
  EXPECT_EQ(rec->seq, seq);
  ASSERT_NE(rec->find(1), nullptr);
  EXPECT_EQ(rec->find(1)->value, seq);
}

TEST_F(ServerTest, ReconnectWithLastSeqGetsExactlyTheMissingChanges) {  // JOIN-2
  start();
  TestClient a(port);
  a.join("catchup", "client-a", 0, tok("catchup"));
  for (int i = 1; i <= 3; ++i) commit(a, i, create_note("n" + std::to_string(i), "x"));
  std::uint64_t last_seen = 0;
  {
    TestClient b(port);
    last_seen = b.join("catchup", "client-b", 0, tok("catchup")).head_seq();
    ASSERT_EQ(last_seen, 3u);
  }
  for (int i = 4; i <= 8; ++i) commit(a, i, update_text("n1", "v" + std::to_string(i)));
  TestClient b(port);
  auto w = b.join("catchup", "client-b", last_seen, tok("catchup"));
  EXPECT_EQ(w.head_seq(), 8u);
  EXPECT_FALSE(w.has_snapshot());
  ASSERT_EQ(w.changes_size(), 5);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(w.changes(i).seq(), last_seen + 1 + i);
  EXPECT_EQ(w.changes(4).ops(0).update().fields(0).value().text(), "v8");

  // Up to date: nothing to send but the head.
  TestClient c(port);
  auto wc = c.join("catchup", "client-c", 8, tok("catchup"));
  EXPECT_EQ(wc.changes_size(), 0);
  EXPECT_FALSE(wc.has_snapshot());
  // New client: a snapshot of the state at head.
  TestClient d(port);
  auto wd = d.join("catchup", "client-d", 0, tok("catchup"));
  ASSERT_TRUE(wd.has_snapshot());
  EXPECT_EQ(wd.snapshot().seq(), 8u);
  EXPECT_EQ(wd.snapshot().objects_size(), 3);
}

TEST_F(ServerTest, FarBehindClientGetsASnapshotInstead) {  // JOIN-3
  cfg.board.catchup_max_changes = 4;
  start();
  TestClient a(port);
  a.join("far", "client-a", 0, tok("far"));
  for (int i = 1; i <= 10; ++i) commit(a, i, create_note("n" + std::to_string(i), "x"));
  TestClient b(port);
  auto w = b.join("far", "client-b", 2, tok("far"));
  EXPECT_EQ(w.changes_size(), 0);
  ASSERT_TRUE(w.has_snapshot());
  EXPECT_EQ(w.snapshot().seq(), 10u);
  EXPECT_EQ(w.snapshot().objects_size(), 10);
}

TEST_F(ServerTest, AResentAckedChangeIsNotAppliedTwice) {  // IDEM-1, IDEM-2
  start();
  TestClient watcher(port);
  watcher.join("idem", "watcher", 0, tok("idem"));
  std::uint64_t seq = 0;
  auto c1 = change(1, {create_note("n1", "once")});
  {
    TestClient a(port);
    a.join("idem", "client-a", 0, tok("idem"));
    seq = commit(a, 1, c1.ops(0));
    ASSERT_GT(seq, 0u);
  }
  TestClient a(port);
  auto w = a.join("idem", "client-a", 0, tok("idem"));
  EXPECT_EQ(w.last_client_seq(), 1u);
  v1::ClientMessage resend;
  *resend.mutable_submit()->add_changes() = c1;
  a.send(resend);
  auto ack = a.wait_kind(Kind::kAck);
  ASSERT_TRUE(ack);
  EXPECT_TRUE(ack->ack().duplicate());
  EXPECT_EQ(ack->ack().seq(), seq);
  // The next new change gets the next seq: the resend took none.
  EXPECT_EQ(commit(a, 2, update_text("n1", "twice?")), seq + 1);
  auto changes_seen = 0;
  for (int i = 0; i < 2; ++i) {
    auto m = watcher.wait_kind(Kind::kChange);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->change().seq(), seq + i);
    ++changes_seen;
  }
  EXPECT_EQ(changes_seen, 2);
  EXPECT_EQ(testing::metric(port, "changes_duplicate_total"), 1u);
}

TEST_F(ServerTest, MalformedFramesGetAnErrorAndEveryoneGoesOn) {  // ERR-1
  start();
  TestClient a(port), b(port);
  a.join("bad", "client-a", 0, tok("bad"));
  b.join("bad", "client-b", 0, tok("bad"));
  a.send_raw(std::string("\xff\xff\xff\x01garbage", 11), true);
  auto e = a.wait_kind(Kind::kError);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->error().code(), v1::ERROR_CODE_MALFORMED_FRAME);
  a.send_raw("hello", false);  // a text frame
  e = a.wait_kind(Kind::kError);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->error().code(), v1::ERROR_CODE_MALFORMED_FRAME);
  // The same connection and the other client keep working.
  EXPECT_EQ(commit(a, 1, create_note("n1", "still here")), 1u);
  auto m = b.wait_kind(Kind::kChange);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->change().seq(), 1u);
  EXPECT_EQ(commit(b, 1, update_text("n1", "and me")), 2u);
}

TEST_F(ServerTest, InvalidChangesAreRejectedInOrderAndNeverBroadcast) {  // REJ-1, ACK-2
  start();
  TestClient a(port), b(port);
  a.join("rej", "client-a", 0, tok("rej"));
  b.join("rej", "client-b", 0, tok("rej"));
  a.send(submit({change(1, {create_note("n1", "ok")}), change(2, {update_text("ghost", "x")}),
                 change(3, {update_text("n1", "fine")})}));
  std::vector<std::pair<std::uint64_t, Kind>> replies;
  for (int i = 0; i < 3; ++i) {
    auto m = a.wait_for([](const v1::ServerMessage& m) { return m.has_ack() || m.has_reject(); });
    ASSERT_TRUE(m);
    replies.emplace_back(m->has_ack() ? m->ack().client_seq() : m->reject().client_seq(), m->kind_case());
    if (m->has_reject()) { EXPECT_EQ(m->reject().code(), v1::REJECT_CODE_UNKNOWN_OBJECT); }
  }
  std::vector<std::pair<std::uint64_t, Kind>> expected = {{1, Kind::kAck}, {2, Kind::kReject}, {3, Kind::kAck}};
  EXPECT_EQ(replies, expected);
  auto c1 = b.wait_kind(Kind::kChange);
  auto c2 = b.wait_kind(Kind::kChange);
  ASSERT_TRUE(c1 && c2);
  EXPECT_EQ(c1->change().seq(), 1u);
  EXPECT_EQ(c2->change().seq(), 2u);  // the rejected change took no seq
  EXPECT_EQ(c2->change().client_seq(), 3u);
}

TEST_F(ServerTest, UnknownBoardAndWrongVersionGetClearErrors) {  // JOIN-4, AUTH-2, VER-1
  start();
  TestClient a(port);
  // A well-signed token of a board that does not exist: refused like any bad token.
  a.send(testing::join_msg("nowhere", "client-a", 0, server->member_token("nowhere", v1::ROLE_OWNER, "x")));
  auto e = a.wait_kind(Kind::kError);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->error().code(), v1::ERROR_CODE_UNAUTHORIZED);
  EXPECT_EQ(a.wait_closed(), 4006);

  TestClient old(port);
  auto j = testing::join_msg("nowhere", "client-old", 0, tok("nowhere"));
  j.mutable_join()->set_protocol_version(999);
  old.send(j);
  e = old.wait_kind(Kind::kError);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->error().code(), v1::ERROR_CODE_PROTOCOL_VERSION);
  EXPECT_EQ(old.wait_closed(), 4002);
}

TEST_F(ServerTest, AClientThatNeverReadsIsClosedAndTheOthersGoOn) {  // FLOW-1
  cfg.durability = storage::Durability::kWal;
  cfg.outgoing_queue_bytes = 256 * 1024;
  cfg.slow_close_grace_ms = 60000;  // the close frame waits for the client to read
  start();
  TestClient writer(port), reader(port);
  TestClient slow(port, {.read = false, .receive_buffer_bytes = 4096});
  writer.join("slow", "writer", 0, tok("slow"));
  reader.join("slow", "reader", 0, tok("slow"));
  slow.send(testing::join_msg("slow", "slow", 0, tok("slow")));

  const std::string big(3500, 'x');
  std::uint64_t client_seq = 0, acked = 0;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (testing::metric(port, "slow_consumer_closes_total") == 0 && std::chrono::steady_clock::now() < deadline &&
         client_seq < 40000) {
    v1::ClientMessage m;
    for (int i = 0; i < 50; ++i) {
      ++client_seq;
      *m.mutable_submit()->add_changes() = change(client_seq, {create_note("n" + std::to_string(client_seq), big)});
    }
    writer.send(m);
    auto ack = writer.wait_for([&](const v1::ServerMessage& x) { return x.has_ack() && x.ack().client_seq() == client_seq; });
    ASSERT_TRUE(ack);
    acked = ack->ack().seq();
  }
  ASSERT_EQ(testing::metric(port, "slow_consumer_closes_total"), 1u);
  // The reader got every change, in order.
  for (std::uint64_t seq = 1; seq <= acked; ++seq) {
    auto m = reader.wait_kind(Kind::kChange);
    ASSERT_TRUE(m);
    ASSERT_EQ(m->change().seq(), seq);
  }
  // The slow client, once it reads, finds the close code after what was in flight.
  slow.start_reading();
  EXPECT_EQ(slow.wait_closed(30s), 4001);
  // And the board still serves.
  EXPECT_EQ(commit(writer, client_seq + 1, update_text("n1", "after")), acked + 1);
}

TEST_F(ServerTest, AFloodingClientIsReadNoFasterThanItIsAnswered) {  // FLOW-2
  cfg.max_inflight_changes = 300;
  start();
  TestClient a(port);
  a.join("flood", "client-a", 0, tok("flood"));
  std::uint64_t cs = 0;
  for (int frame = 0; frame < 8; ++frame) {
    v1::ClientMessage m;
    for (int i = 0; i < 200; ++i) {
      ++cs;
      *m.mutable_submit()->add_changes() = change(cs, {create_note("n" + std::to_string(cs), "x")});
    }
    a.send(m);  // without reading any answer
  }
  for (std::uint64_t want = 1; want <= cs; ++want) {
    auto ack = a.wait_kind(Kind::kAck);
    ASSERT_TRUE(ack);
    ASSERT_EQ(ack->ack().client_seq(), want);
    ASSERT_EQ(ack->ack().seq(), want);
  }
  EXPECT_GE(testing::metric(port, "reads_paused_total"), 1u);
}

TEST_F(ServerTest, ConnectionsPerAddressAreCapped) {  // LIMIT-1
  cfg.max_connections_per_address = 2;
  start();
  auto a = std::make_unique<TestClient>(port);
  TestClient b(port);
  EXPECT_THROW(TestClient c(port), std::exception);  // HTTP 429 instead of the upgrade
  EXPECT_EQ(testing::http_get(port, "/healthz"), "ok\n");  // plain HTTP is not counted
  b.join("cap", "client-b", 0, tok("cap"));
  a.reset();  // one leaves: room for one more, once the server has seen it go
  std::unique_ptr<TestClient> c;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!c && std::chrono::steady_clock::now() < deadline) {
    try {
      c = std::make_unique<TestClient>(port);
    } catch (const std::exception&) {
      // refused again: each attempt is a full round trip to the server
    }
  }
  ASSERT_TRUE(c);
  EXPECT_EQ(c->join("cap", "client-c", 0, tok("cap")).head_seq(), 0u);
}

TEST_F(ServerTest, IdleAndUnknownBoardsAreClosedAndReopenIntact) {  // LIFE-1
  start();
  for (int i = 0; i < 50; ++i) {
    TestClient probe(port);
    const std::string board = "nope-" + std::to_string(i);
    probe.send(testing::join_msg(board, "client-p", 0, server->member_token(board, v1::ROLE_EDITOR, "p")));
    auto e = probe.wait_kind(Kind::kError);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->error().code(), v1::ERROR_CODE_UNAUTHORIZED);
  }
  // 50 unknown ids cost nothing: each closes once refused.
  EXPECT_TRUE(testing::metric_reaches(port, "boards_open", 0));

  std::uint64_t head = 0;
  {
    TestClient a(port);
    a.join("idle", "client-a", 0, tok("idle"));
    for (int i = 1; i <= 5; ++i) head = commit(a, i, create_note("n" + std::to_string(i), "x"));
    EXPECT_EQ(testing::metric(port, "boards_open"), 1u);
  }
  // Once the last member has gone the board closes; wait for it (each poll is a round trip).
  ASSERT_TRUE(testing::metric_reaches(port, "boards_open", 0));
  TestClient a(port);
  auto w = a.join("idle", "client-a", head, tok("idle"));  // loaded again from the log
  EXPECT_EQ(w.head_seq(), head);
  EXPECT_EQ(w.last_client_seq(), 5u);
  EXPECT_EQ(commit(a, 6, update_text("n1", "still here")), head + 1);
}

TEST_F(ServerTest, PresenceReachesOthersAndNeverEntersTheLog) {  // PRES-1, PRES-2
  start();
  TestClient a(port), b(port);
  a.join("pres", "client-a", 0, tok("pres"));
  b.join("pres", "client-b", 0, tok("pres"));
  auto arrived = a.wait_for([](const v1::ServerMessage& m) {
    return m.has_presence() && m.presence().member().client_id() == "client-b";
  });
  ASSERT_TRUE(arrived);  // a sees b arrive
  v1::ClientMessage p;
  p.mutable_presence()->mutable_cursor()->set_x(12.5);
  p.mutable_presence()->mutable_cursor()->set_y(-3);
  a.send(p);
  auto got = b.wait_for([](const v1::ServerMessage& m) {
    return m.has_presence() && m.presence().member().client_id() == "client-a" && m.presence().presence().has_cursor();
  });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->presence().presence().cursor().x(), 12.5);
  EXPECT_EQ(got->presence().member().user_name(), "owner of pres");

  // A newcomer sees both in the welcome; a leaving member disappears for everyone.
  {
    TestClient c(port);
    auto w = c.join("pres", "client-c", 0, tok("pres"));
    EXPECT_EQ(w.present_size(), 2);
    EXPECT_EQ(w.head_seq(), 0u);  // presence took no seq
  }
  auto left = a.wait_for([](const v1::ServerMessage& m) {
    return m.has_member_left() && m.member_left().client_id() == "client-c";
  });
  ASSERT_TRUE(left);
  stop();
  std::unique_ptr<storage::Store> store;
  ASSERT_TRUE(storage::Store::open(dir.path() / "db", &store).ok());
  EXPECT_EQ(store->count_keys(storage::Cf::kOps), 0u);
}

TEST_F(ServerTest, StopAndStartOnTheSameDataGiveAnIdenticalBoard) {  // LOG-2
  cfg.board.snapshot_every_changes = 7;  // a snapshot and a tail to replay
  start();
  {
    TestClient a(port);
    a.join("restart", "client-a", 0, tok("restart"));
    std::uint64_t cs = 0;
    for (int i = 0; i < 20; ++i) commit(a, ++cs, create_note("n" + std::to_string(i), "t" + std::to_string(i), i, -i));
    for (int i = 0; i < 20; i += 3) commit(a, ++cs, update_text("n" + std::to_string(i), "edited"));
    for (int i = 1; i < 20; i += 4) commit(a, ++cs, delete_object("n" + std::to_string(i)));
  }
  std::string before;
  std::uint64_t head = 0;
  {
    TestClient b(port);
    auto w = b.join("restart", "client-b", 0, tok("restart"));
    ASSERT_TRUE(w.has_snapshot());
    before = w.snapshot().SerializeAsString();
    head = w.head_seq();
  }
  restart();
  TestClient c(port);
  auto w = c.join("restart", "client-c", 0, tok("restart"));
  EXPECT_EQ(w.head_seq(), head);
  ASSERT_TRUE(w.has_snapshot());
  EXPECT_EQ(w.snapshot().SerializeAsString(), before);
  // The dedup records survived too.
  TestClient a(port);
  EXPECT_EQ(a.join("restart", "client-a", 0, tok("restart")).last_client_seq(), 20u + 7u + 5u);
}

TEST_F(ServerTest, AFullDiskRejectsClearlyLosesNothingAndRecovers) {  // CLOSE-2, ACK-1
  auto fs = std::make_shared<testing::FaultyFs>();
  cfg.storage_env = testing::FaultyFs::env(fs);
  start();
  TestClient a(port), other(port);
  a.join("disk", "client-a", 0, tok("disk"));
  other.join("elsewhere", "client-o", 0, tok("elsewhere"));
  ASSERT_EQ(commit(a, 1, create_note("n1", "safe")), 1u);

  fs->fail(true);
  a.send(submit({change(2, {create_note("n2", "no room")})}));
  auto rej = a.wait_kind(Kind::kReject);
  ASSERT_TRUE(rej);
  EXPECT_EQ(rej->reject().client_seq(), 2u);
  EXPECT_EQ(rej->reject().code(), v1::REJECT_CODE_STORAGE_UNAVAILABLE);
  EXPECT_EQ(a.wait_closed(), 4003);
  // The server goes on: pings, joins and reads work while the disk is full.
  v1::ClientMessage ping;
  ping.mutable_ping()->set_nonce(7);
  other.send(ping);
  auto pong = other.wait_kind(Kind::kPong);
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->pong().nonce(), 7u);
  TestClient reader(port);
  auto w = reader.join("disk", "client-r", 0, tok("disk"));
  EXPECT_EQ(w.head_seq(), 1u);  // the acked change, not the refused one

  fs->fail(false);
  TestClient again(port);
  again.join("disk", "client-a", 1, tok("disk"));
  EXPECT_EQ(commit(again, 2, create_note("n2", "room again")), 2u);
  stop();
  start();
  TestClient check(port);
  auto after = check.join("disk", "client-c", 0, tok("disk"));
  EXPECT_EQ(after.head_seq(), 2u);
  ASSERT_EQ(after.snapshot().objects_size(), 2);
  std::string text;
  for (const auto& f : after.snapshot().objects(1).fields())
    if (f.name() == "text") text = f.value().text();
  EXPECT_EQ(text, "room again");
}

TEST_F(ServerTest, ADiskThatStaysFullIsAnsweredAndRecovers) {  // REJ-2, CLOSE-2
  // The reopen after a failed write fails too: the store answers with errors (it
  // used to keep a null handle and crash on the next call).
  auto fs = std::make_shared<testing::FaultyFs>();
  cfg.storage_env = testing::FaultyFs::env(fs);
  start();
  const std::string token = tok("full");
  {
    TestClient a(port);
    a.join("full", "client-a", 0, token);
    ASSERT_EQ(commit(a, 1, create_note("n1", "safe")), 1u);
  }
  fs->fail(true);
  for (std::uint64_t attempt = 0; attempt < 3; ++attempt) {
    TestClient a(port);
    a.join("full", "client-a", 1, token);
    a.send(submit({change(2, {create_note("n2", "no room")})}));
    auto rej = a.wait_kind(Kind::kReject);
    ASSERT_TRUE(rej) << "attempt " << attempt;
    EXPECT_EQ(rej->reject().code(), v1::REJECT_CODE_STORAGE_UNAVAILABLE);
    EXPECT_EQ(a.wait_closed(), 4003);
  }
  fs->fail(false);
  TestClient again(port);
  again.join("full", "client-a", 1, token);
  EXPECT_EQ(commit(again, 2, create_note("n2", "room again")), 2u);
}

TEST_F(ServerTest, ShutdownClosesSessionsWithGoingAway) {  // CLOSE-1
  start();
  TestClient a(port);
  a.join("bye", "client-a", 0, tok("bye"));
  commit(a, 1, create_note("n1", "x"));
  std::thread stopper([&] { server->shutdown(); });
  EXPECT_EQ(a.wait_closed(10s), 1001);
  stopper.join();
}

}  // namespace
}  // namespace tandem
