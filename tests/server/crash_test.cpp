// kill -9 under load (DESIGN section 6, "crash"): the real tandem binary in a child
// process, clients writing as fast as acks come; SIGKILL; restart on the same data.
// Zero acknowledged changes may be lost, and every client must converge after
// reconnecting and resending what was pending (ACK-1, LOG-1, IDEM-*).
#include <gtest/gtest.h>

#include <set>

#include "support/ops.hpp"
#include "support/server_process.hpp"
#include "support/sync_client.hpp"
#include "support/temp_dir.hpp"

namespace tandem {
namespace {

using namespace std::chrono_literals;
using namespace tandem::testing;

class Crash : public ::testing::TestWithParam<const char*> {};

TEST_P(Crash, KillNineUnderLoadLosesNothingAcknowledged) {
  TempDir dir;
  model::Schema schema;
  const std::vector<std::string> args = {"--durability", GetParam(), "--threads", "2"};
  auto server = std::make_unique<ServerProcess>(TANDEM_BIN, dir.path().string(), args);
  ASSERT_NE(server->port(), 0) << "the server did not start";
  const NewBoard board = create_board_http(server->port());
  ASSERT_FALSE(board.id.empty());

  constexpr int kClients = 4, kWindow = 8;
  std::vector<std::unique_ptr<SyncClient>> clients;
  std::vector<int> next(kClients, 0);
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<SyncClient>(server->port(), board.id, "w" + std::to_string(i),
                                                   board.member_token, schema));
    clients.back()->connect();
  }
  auto send_one = [&](int i) {
    google::protobuf::RepeatedPtrField<v1::Op> ops;
    *ops.Add() = create_note("w" + std::to_string(i) + "-" + std::to_string(++next[i]), "x");
    clients[i]->send(ops);
  };
  // Load: every client keeps kWindow changes in flight.
  std::uint64_t acked = 0;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (acked < 3000 && std::chrono::steady_clock::now() < deadline) {
    acked = 0;
    for (int i = 0; i < kClients; ++i) {
      while (clients[i]->pending() < kWindow) send_one(i);
      clients[i]->pump_one(5ms);
      acked += clients[i]->acked();
    }
  }
  ASSERT_GE(acked, 3000u);
  for (int i = 0; i < kClients; ++i) send_one(i);  // in flight at the kill
  server->kill9();

  // What the clients saw acknowledged (or saw of each other) before the crash.
  std::set<std::string> confirmed;
  for (auto& c : clients) {
    c->pump();
    auto snap = c->state().snapshot();
    for (const auto& o : snap.objects()) confirmed.insert(o.id());
  }
  ASSERT_GE(confirmed.size(), 3000u);

  server = std::make_unique<ServerProcess>(TANDEM_BIN, dir.path().string(), args);
  ASSERT_NE(server->port(), 0) << "the server did not restart";
  for (auto& c : clients) {
    c->disconnect();
    c->set_port(server->port());
    c->connect();  // catch up, resend what is pending
  }
  for (auto& c : clients) ASSERT_TRUE(c->settle(0, 30s)) << c->client_id();
  TestClient observer(server->port());
  auto w = observer.join(board.id, "observer", 0, board.member_token);
  std::set<std::string> after;
  for (const auto& o : w.snapshot().objects()) after.insert(o.id());
  std::vector<std::string> lost;
  for (const auto& id : confirmed)
    if (!after.count(id)) lost.push_back(id);
  EXPECT_TRUE(lost.empty()) << lost.size() << " acknowledged notes lost, e.g. " << lost.front();
  // Every change ever sent is there exactly once (resends were deduplicated).
  std::size_t sent = 0;
  for (int n : next) sent += static_cast<std::size_t>(n);
  EXPECT_EQ(after.size(), sent);
  for (auto& c : clients) {
    ASSERT_TRUE(c->settle(w.head_seq(), 30s));
    EXPECT_EQ(c->state().snapshot().SerializeAsString(), w.snapshot().SerializeAsString()) << c->client_id();
  }
  std::printf("%s: %zu changes acknowledged before kill -9, %zu on the board after restart\n", GetParam(),
              confirmed.size(), after.size());
}

INSTANTIATE_TEST_SUITE_P(Durability, Crash, ::testing::Values("sync", "wal"));

}  // namespace
}  // namespace tandem
