// The real thing on this machine (issue 14, SPEC CLUSTER-*, docs/CLUSTER.md): Redis,
// HAProxy and 3 Tandem nodes on loopback; clients on 30 boards through HAProxy while a
// node is drained (its boards move), taken back, and another node is killed with -9 and
// started again. Then, per board: every acked change is in the current owner's log
// exactly once at the seq it was acked with, no two owners acked at once (the lease
// epochs of the acks never go back as seqs go up, and no seq was acked for two
// changes), and every client holds the same state as the owner.
#include <gtest/gtest.h>
#include <google/protobuf/util/json_util.h>

#include <boost/json.hpp>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "cluster/cluster_harness.hpp"
#include "model/schema.hpp"
#include "support/ops.hpp"
#include "support/sync_client.hpp"
#include "tandem/v1/board.pb.h"

namespace tandem::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kBoards = 30;
constexpr int kClientsPerBoard = 2;

struct Board {
  std::string id, token;
  std::vector<std::unique_ptr<SyncClient>> clients;
  std::uint64_t acks_seen = 0;  // acks of its clients, as of the last count
};

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!executable("/usr/sbin/haproxy") || !executable("/usr/bin/redis-server") || !executable("/usr/bin/redis-cli"))
      GTEST_SKIP() << "haproxy or redis-server is not installed here (scripts/install-deps.sh installs both): "
                      "the cluster test cannot run";
    cluster_ = std::make_unique<Cluster>(TANDEM_BIN, 3);
    ASSERT_TRUE(cluster_->start()) << cluster_->why() << "\n" << cluster_->logs();
  }
  void TearDown() override {
    if (HasFailure() && cluster_) std::fprintf(stderr, "%s\n", cluster_->logs().c_str());
  }

  void open_boards() {
    for (int b = 0; b < kBoards; ++b) {
      auto r = http_request(cluster_->entry(), "POST", "/api/boards",
                            R"({"title":"board )" + std::to_string(b) + R"(","kind":"discovery","name":"Olivia"})");
      ASSERT_EQ(r.status, 201) << r.body;
      Board& board = boards_.emplace_back();
      board.id = json_field(r.body, "board_id");
      board.token = json_field(r.body, "member_token");
      for (int k = 0; k < kClientsPerBoard; ++k) {
        auto c = std::make_unique<SyncClient>(cluster_->entry(), board.id, "c" + std::to_string(b) + "x" + std::to_string(k),
                                              board.token, schema_);
        c->set_target("/b/" + board.id + "/ws");
        board.clients.push_back(std::move(c));
      }
    }
  }

  // One round of the load: reconnects what is closed, sends a change from each client
  // with nothing pending (its note, created once, then its text), handles what arrived.
  void round(bool send) {
    for (Board& b : boards_)
      for (auto& c : b.clients) {
        if (c->closed()) {
          c->disconnect();
          if (!c->try_connect(3s)) continue;
        }
        if (send && c->pending() == 0) {
          const std::uint64_t n = sent_[c->client_id()]++;
          const bool has_note = c->state().objects().count(c->client_id()) > 0;
          c->send(one(!has_note ? create_note(c->client_id(), "note", 1, 1) : update_text(c->client_id(), "text " + std::to_string(n))));
        }
        c->pump();
      }
    // Pacing the load loop (not a synchronisation: every wait below has its condition).
    std::this_thread::sleep_for(20ms);
  }

  // Runs the load until `done()` holds; false after `timeout`.
  template <typename Pred>
  bool drive_until(Pred done, std::chrono::milliseconds timeout, bool send = true) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() > end) return false;
      round(send);
    }
    return true;
  }

  std::uint64_t acks_of(const Board& b) const {
    std::uint64_t n = 0;
    for (const auto& c : b.clients) n += c->acked();
    return n;
  }
  // Marks every board's current ack count; progressed(b) is then whether it got a new ack.
  void mark() {
    for (Board& b : boards_) b.acks_seen = acks_of(b);
  }
  bool progressed(const Board& b) const { return acks_of(b) > b.acks_seen; }

  // The node whose store has each board's data (Redis tandem:home:<id>, docs/CLUSTER.md).
  std::map<std::string, std::string> homes() {
    std::map<std::string, std::string> out;
    for (const Board& b : boards_) out[b.id] = home_of(b.id);
    return out;
  }
  int homed_on(const std::string& node) {
    int n = 0;
    for (const auto& [id, home] : homes()) n += home == node;
    return n;
  }

  // A board created through the balancer, its first client connected through it (so the
  // node the balancer routes it to has claimed it).
  struct Opened {
    std::string id, token;
    std::unique_ptr<SyncClient> client;
  };
  Opened open_one(const std::string& kind, const std::string& client_id) {
    Opened o;
    auto r = http_request(cluster_->entry(), "POST", "/api/boards", R"({"title":"t","kind":")" + kind + R"(","name":"Po"})");
    EXPECT_EQ(r.status, 201) << r.body;
    o.id = json_field(r.body, "board_id");
    o.token = json_field(r.body, "member_token");
    o.client = std::make_unique<SyncClient>(cluster_->entry(), o.id, client_id, o.token, schema_);
    o.client->set_target("/b/" + o.id + "/ws");
    EXPECT_TRUE(eventually([&] { return o.client->try_connect(3s); }, 20s)) << kind << " board " << o.id;
    return o;
  }
  std::string home_of(const std::string& board) {
    auto r = run(cluster_->folder(), {"/usr/bin/redis-cli", "-p", std::to_string(cluster_->redis_port()), "GET", "tandem:home:" + board});
    std::string v = r.out;
    while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.pop_back();
    return v;
  }
  // Keeps `clients` connected (reconnecting what closed) and handles what arrives until
  // `done()`; false after `timeout`.
  template <typename Pred>
  bool keep_up(const std::vector<SyncClient*>& clients, Pred done, std::chrono::milliseconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() > end) return false;
      for (SyncClient* c : clients) {
        if (c->closed()) {
          c->disconnect();
          if (!c->try_connect(3s)) continue;
        }
        c->pump();
      }
      std::this_thread::sleep_for(20ms);  // pacing, as round()
    }
    return true;
  }

  // GET /api/boards with the admin token on `port`: board id -> the node it names, and
  // whether a node was unreachable.
  struct Listing {
    std::map<std::string, std::string> node_of;
    bool partial = false;
  };
  Listing listing(std::uint16_t port) {
    Listing out;
    auto r = http_request(port, "GET", "/api/boards", "", cluster_->admin());
    EXPECT_EQ(r.status, 200) << r.body;
    boost::json::value v = boost::json::parse(r.body);
    for (const auto& b : v.at("boards").as_array())
      out.node_of[std::string(b.at("board_id").as_string())] = std::string(b.at("node").as_string());
    const auto* gone = v.as_object().if_contains("unreachable");
    out.partial = gone && !gone->as_array().empty();
    if (out.partial) EXPECT_EQ(boost::json::serialize(*gone), R"(["n3"])");
    return out;
  }

  RunResult board_list(std::uint16_t port) {
    return run(cluster_->folder(), {TANDEM_BIN, "board", "list", "--server", "http://127.0.0.1:" + std::to_string(port),
                                    "--token", cluster_->admin()});
  }

  RunResult node_command(std::size_t node, const std::string& what) {
    return run(cluster_->folder(), {TANDEM_BIN, "node", what, "--server",
                                    "http://127.0.0.1:" + std::to_string(cluster_->node(node).port), "--token",
                                    cluster_->admin()});
  }

  model::Schema schema_;
  std::unique_ptr<Cluster> cluster_;
  std::vector<Board> boards_;
  std::map<std::string, std::uint64_t> sent_;  // changes sent per client
};

TEST_F(ClusterTest, ThirtyBoardsKeepEveryAckedChangeThroughMovesAndAKilledNode) {
  open_boards();
  ASSERT_EQ(boards_.size(), static_cast<std::size_t>(kBoards));
  mark();
  ASSERT_TRUE(drive_until([&] { return std::all_of(boards_.begin(), boards_.end(), [&](const Board& b) { return acks_of(b) >= 10; }); }, 60s))
      << "every board takes changes through the balancer";
  // The balancer spread the boards: every node owns some.
  for (std::size_t i = 0; i < cluster_->size(); ++i) EXPECT_GT(homed_on(cluster_->node(i).id), 0) << cluster_->node(i).id;
  // Whichever node answers, the admin listing has every board, each on its home (CLUSTER-8).
  {
    const auto listed = listing(cluster_->entry());
    EXPECT_FALSE(listed.partial);
    EXPECT_EQ(listed.node_of, homes()) << "the listing names each board's home";
    RunResult cli = board_list(cluster_->entry());
    EXPECT_EQ(cli.code, 0) << cli.err;
    EXPECT_NE(cli.out.find("NODE"), std::string::npos) << cli.out;
    EXPECT_NE(cli.out.find(std::to_string(kBoards) + " boards"), std::string::npos) << cli.out;
  }

  // ---- Drain n2 while the load runs: its boards move to n1 and n3 (CLUSTER-4, -7).
  const int on_n2 = homed_on("n2");
  RunResult drained;
  std::atomic<bool> drain_done{false};
  std::thread drainer([&] {
    drained = node_command(1, "drain");
    drain_done = true;
  });
  const bool drain_finished = drive_until([&] { return drain_done.load(); }, 120s);
  drainer.join();
  ASSERT_TRUE(drain_finished);
  EXPECT_EQ(drained.code, 0) << drained.out << drained.err;
  EXPECT_NE(drained.out.find("moved " + std::to_string(on_n2)), std::string::npos) << drained.out;
  EXPECT_EQ(homed_on("n2"), 0) << "a drained node keeps no board";
  mark();
  ASSERT_TRUE(drive_until([&] { return std::all_of(boards_.begin(), boards_.end(), [&](const Board& b) { return progressed(b); }); }, 60s))
      << "every board takes changes after the drain";

  // ---- Take n2 back: new connections route its boards to it again, and it pulls them.
  RunResult undrained = node_command(1, "undrain");
  EXPECT_EQ(undrained.code, 0) << undrained.out << undrained.err;
  ASSERT_TRUE(cluster_->balancer_sees_all(20s));
  for (Board& b : boards_) b.clients[0]->disconnect();
  // The same three nodes hash the same boards to n2 as before the drain; waiting for all
  // of them leaves no move in flight when n3 is killed below.
  ASSERT_TRUE(drive_until([&] { return homed_on("n2") >= on_n2; }, 60s)) << "boards move back to n2";
  mark();
  ASSERT_TRUE(drive_until([&] { return std::all_of(boards_.begin(), boards_.end(), [&](const Board& b) { return progressed(b); }); }, 60s));

  // ---- Kill n3 with -9: only its boards stop; the others go on (CLUSTER-5).
  auto before_kill = homes();
  std::set<std::string> on_n3;
  for (const auto& [id, home] : before_kill)
    if (home == "n3") on_n3.insert(id);
  ASSERT_FALSE(on_n3.empty());
  cluster_->kill9(2);
  const auto killed_at = std::chrono::steady_clock::now();
  // Acks n3 wrote before it died may still be on their way (HAProxy forwards what it
  // had read): each client of n3's boards handles them until its connection ends, and
  // only then are the boards marked.
  for (Board& b : boards_)
    if (on_n3.count(b.id))
      for (auto& c : b.clients)
        while (!c->closed()) {
          ASSERT_LT(std::chrono::steady_clock::now() - killed_at, 15s) << "a connection to the killed node stayed open";
          c->pump_one(50ms);
        }
  mark();
  std::uint64_t refusals_before = 0;
  for (const Board& b : boards_)
    if (on_n3.count(b.id))
      for (const auto& c : b.clients) refusals_before += c->refusals();
  // Down for longer than two lease TTLs (1.5 s here), so its leases run out in Redis too.
  ASSERT_TRUE(drive_until([&] {
    for (const Board& b : boards_)
      if (!on_n3.count(b.id) && !progressed(b)) return false;
    return std::chrono::steady_clock::now() - killed_at > 3500ms;
  }, 60s)) << "the boards of the other nodes keep working while n3 is down";
  std::uint64_t refusals_after = 0;
  for (const Board& b : boards_)
    if (on_n3.count(b.id))
      for (const auto& c : b.clients) refusals_after += c->refusals();
  EXPECT_GT(refusals_after, refusals_before) << "the clients of n3's boards are told it is unavailable";
  for (const auto& [id, home] : homes())
    if (on_n3.count(id)) EXPECT_EQ(home, "n3") << "nobody took a board whose data is on the dead node";
  {
    // n1 lists the boards of n2 and its own, and says n3 did not answer (CLUSTER-8).
    const auto listed = listing(cluster_->node(0).port);
    EXPECT_TRUE(listed.partial);
    EXPECT_EQ(listed.node_of.size(), boards_.size() - on_n3.size());
    for (const auto& [id, node] : listed.node_of) EXPECT_FALSE(on_n3.count(id)) << id << " listed on " << node;
    RunResult cli = board_list(cluster_->node(0).port);
    EXPECT_EQ(cli.code, 1) << "a listing without n3's boards is not a success";
    EXPECT_NE(cli.err.find("node n3 did not answer"), std::string::npos) << cli.err;
  }
  for (const Board& b : boards_)
    if (on_n3.count(b.id)) EXPECT_FALSE(progressed(b)) << b.id << " acked a change while its node was down";

  // ---- n3 comes back: its boards come back with everything acked.
  ASSERT_TRUE(cluster_->start_node(2)) << cluster_->why();
  ASSERT_TRUE(cluster_->balancer_sees_all(20s));
  mark();
  ASSERT_TRUE(drive_until([&] { return std::all_of(boards_.begin(), boards_.end(), [&](const Board& b) { return progressed(b); }); }, 90s))
      << "every board takes changes again";

  // ---- Quiet: nothing pending, every client at the head.
  ASSERT_TRUE(drive_until([&] {
    for (const Board& b : boards_)
      for (const auto& c : b.clients)
        if (c->closed() || c->pending() > 0) return false;
    return true;
  }, 60s, false)) << "every change is answered";

  struct {
    std::uint64_t acks = 0, changes = 0, duplicates = 0, refusals = 0, max_epoch = 0;
  } totals;
  for (Board& b : boards_) {
    SCOPED_TRACE("board " + b.id);
    auto r = http_request(cluster_->entry(), "GET", "/api/boards/" + b.id + "/export?format=json&log=1", "", cluster_->admin());
    ASSERT_EQ(r.status, 200) << r.body;
    v1::BoardExport exp;
    google::protobuf::util::JsonParseOptions opts;
    opts.ignore_unknown_fields = true;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(r.body, &exp, opts).ok());
    // The owner's log: seqs 1..head, each change once.
    std::map<std::uint64_t, const v1::SequencedChange*> by_seq;
    std::map<std::pair<std::string, std::uint64_t>, int> times;
    for (const auto& c : exp.log()) {
      EXPECT_TRUE(by_seq.emplace(c.seq(), &c).second) << "seq " << c.seq() << " twice";
      if (!c.client_id().empty()) ++times[{c.client_id(), c.client_seq()}];
    }
    ASSERT_EQ(by_seq.size(), exp.head_seq());
    for (const auto& [key, n] : times) EXPECT_EQ(n, 1) << key.first << "/" << key.second << " logged " << n << " times";
    // Every ack: its change at its seq; epochs never go back as seqs go up.
    std::map<std::uint64_t, std::uint64_t> epoch_at;  // seq -> epoch of the ack
    for (const auto& c : b.clients) {
      for (const auto& a : c->acks()) {
        auto it = by_seq.find(a.seq);
        ASSERT_NE(it, by_seq.end()) << c->client_id() << " acked seq " << a.seq << " is not in the log";
        EXPECT_EQ(it->second->client_id(), c->client_id()) << "seq " << a.seq;
        EXPECT_EQ(it->second->client_seq(), a.client_seq) << "seq " << a.seq;
        if (!a.duplicate) epoch_at[a.seq] = a.lease_epoch;
      }
      EXPECT_EQ(c->state().seq(), exp.head_seq()) << c->client_id();
      EXPECT_EQ(c->state().snapshot().SerializeAsString(), b.clients[0]->state().snapshot().SerializeAsString())
          << c->client_id() << " converged with " << b.clients[0]->client_id();
    }
    std::uint64_t last_epoch = 0;
    for (const auto& [seq, epoch] : epoch_at) {
      EXPECT_GT(epoch, 0u) << "acked under a lease (seq " << seq << ")";
      EXPECT_GE(epoch, last_epoch) << "seq " << seq << " acked under an older lease than an earlier seq: two owners";
      last_epoch = epoch;
    }
    EXPECT_EQ(static_cast<int>(b.clients[0]->state().objects().size()), exp.snapshot().objects_size());
    totals.acks += acks_of(b);
    totals.changes += exp.head_seq();
    totals.max_epoch = std::max(totals.max_epoch, last_epoch);
    for (const auto& c : b.clients) {
      totals.refusals += c->refusals();
      for (const auto& a : c->acks()) totals.duplicates += a.duplicate;
    }
  }
  std::printf("cluster: %d boards, %llu changes logged, %llu acks (%llu duplicate answers to resends), "
              "%llu joins refused (moved or unavailable), highest lease epoch %llu, %zu boards were on the killed node\n",
              kBoards, static_cast<unsigned long long>(totals.changes), static_cast<unsigned long long>(totals.acks),
              static_cast<unsigned long long>(totals.duplicates), static_cast<unsigned long long>(totals.refusals),
              static_cast<unsigned long long>(totals.max_epoch), on_n3.size());
}

// CLUSTER-6: a promote goes to the backlog board's node through the balancer; while that
// node is down the promote waits (not decided) and is resent by the discovery board's
// timer, and once the node is back the item is created exactly once.
TEST_F(ClusterTest, APromoteReachesABacklogOnANodeThatWasDownExactlyOnce) {
  Opened discovery = open_one("discovery", "team");
  Opened backlog;
  for (int i = 0; i < 12 && (backlog.id.empty() || home_of(backlog.id) == home_of(discovery.id)); ++i)
    backlog = open_one("backlog", "po" + std::to_string(i));
  const std::string backlog_home = home_of(backlog.id);
  ASSERT_NE(backlog_home, home_of(discovery.id)) << "no backlog landed on another node in 12 tries";
  const std::size_t down = static_cast<std::size_t>(std::stoi(backlog_home.substr(1)) - 1);

  cluster_->kill9(down);
  discovery.client->send(one(create_note("n1", "Export to spreadsheet")));
  discovery.client->send(one(promote("n1", backlog.id, "item-n1", backlog.token)));
  ASSERT_TRUE(keep_up({discovery.client.get()}, [&] { return discovery.client->pending() == 0; }, 30s));
  EXPECT_EQ(discovery.client->rejected(), 0u);
  // The promote is logged; its backlog is away, so it stays in the outbox (PROMOTE-6).
  ASSERT_TRUE(keep_up({discovery.client.get()}, [&] { return !discovery.client->state().outbox().empty(); }, 10s));

  ASSERT_TRUE(cluster_->start_node(down)) << cluster_->why();
  // The backlog's owner gets the item and the discovery board its PromoteDone, with no
  // reconnect of the discovery board's client needed: the timer resends (CLUSTER-6).
  ASSERT_TRUE(keep_up({discovery.client.get(), backlog.client.get()}, [&] {
    return backlog.client->state().find("item-n1") != nullptr && discovery.client->state().outbox().empty();
  }, 60s));
  EXPECT_EQ(backlog.client->state().find("item-n1")->text("source_note"), "n1");
  EXPECT_EQ(discovery.client->state().find("n1")->text("promoted_item"), "item-n1");
  EXPECT_EQ(discovery.client->state().find("n1")->text("promote_error"), "");
  auto r = http_request(cluster_->entry(), "GET", "/api/boards/" + backlog.id + "/export?format=json&log=1", "", cluster_->admin());
  ASSERT_EQ(r.status, 200) << r.body;
  v1::BoardExport exp;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(r.body, &exp).ok());
  int creates = 0;
  for (const auto& c : exp.log())
    for (const auto& op : c.ops()) creates += op.has_create() && op.create().id() == "item-n1";
  EXPECT_EQ(creates, 1) << "the item is created once however often the promote was sent";
}

}  // namespace
}  // namespace tandem::testing
