// A board's past (EXPORT-7) and restoring it (EXPORT-8): the state at a seq and at a time
// equals the state the board had then, recorded while the changes were made; retention
// (LOG-3) bounds what is reachable. Real server, real RocksDB.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>

#include "transfer_fixture.hpp"

namespace tandem::testing {
namespace {

using namespace std::chrono_literals;

class HistoryTest : public TransferFixture {
 protected:
  // 15 changes on board `id`, each acked before the next; the replica's state after each.
  void make_history(const std::string& id) {
    auto olivia = owner(id, "c-olivia", board_meta(v1::BOARD_KIND_DISCOVERY, v1::BOARD_TEMPLATE_UNSPECIFIED, "Then"));
    for (int i = 1; i <= 15; ++i) {
      v1::Op op;
      if (i % 5 == 0) {
        op.mutable_update_board()->set_title("Title " + std::to_string(i));
      } else if (i % 3 == 0) {
        op = update_text("n1", "edited at " + std::to_string(i));
      } else if (i == 7) {
        op = delete_object("n4");
      } else {
        op = create_note("n" + std::to_string(i), "note " + std::to_string(i));
      }
      olivia->send(one(op));
      ASSERT_TRUE(olivia->settle(0, 10s));
      ASSERT_EQ(olivia->state().seq(), static_cast<std::uint64_t>(i));
      states[i] = olivia->state().snapshot();
    }
  }
  v1::BoardExport history(const std::string& id, const std::string& query) {
    Answer a = get("/api/boards/" + id + "/history" + query, owner_token);
    EXPECT_EQ(a.status, 200) << query << ": " << a.body;
    EXPECT_EQ(a.content_type, "application/json");
    return parse_export(a);
  }
  std::map<std::uint64_t, v1::BoardSnapshot> states;
};

TEST_F(HistoryTest, AtEverySeqAndTimeTheStateIsTheOneTheBoardHadThen) {  // EXPORT-7
  cfg.board.snapshot_every_changes = 4;  // snapshots at 4, 8, 12: states built from one plus the log
  restart();
  make_history("h1");
  if (HasFatalFailure()) return;
  std::map<std::uint64_t, std::int64_t> time;
  for (std::uint64_t k = 1; k <= 15; ++k) {
    v1::BoardExport e = history("h1", "?seq=" + std::to_string(k));
    EXPECT_EQ(e.snapshot().seq(), k);
    EXPECT_EQ(e.head_seq(), 15u);
    EXPECT_EQ(e.first_seq(), 1u);
    // Before the first rename (seq 5) too: the metadata keeps the title it was created with.
    EXPECT_EQ(e.snapshot().settings().title(), states[k].settings().title()) << k;
    EXPECT_EQ(e.meta().title(), states[k].settings().title()) << k;
    expect_same_objects(states[k], e.snapshot());
    time[k] = e.state_time_ms();
    EXPECT_GT(time[k], 0);
  }
  for (std::uint64_t k = 1; k <= 15; ++k) {  // the last change at or before the time
    std::uint64_t last = 0;
    for (const auto& [j, t] : time)
      if (t <= time[k]) last = j;
    EXPECT_EQ(history("h1", "?at=" + std::to_string(time[k])).snapshot().seq(), last) << k;
  }
  EXPECT_EQ(history("h1", "").snapshot().seq(), 15u);
  Answer early = get("/api/boards/h1/history?at=" + std::to_string(time[1] - 1), owner_token);
  EXPECT_EQ(early.status, 400) << early.body;
  for (const char* q : {"?seq=16", "?seq=0"}) {
    Answer out = get(std::string("/api/boards/h1/history") + q, owner_token);
    EXPECT_EQ(out.status, 400) << q;
    EXPECT_NE(out.body.find("1..15"), std::string::npos) << out.body;
  }
  EXPECT_EQ(get("/api/boards/h1/history?seq=x", owner_token).status, 400);
  EXPECT_EQ(get("/api/boards/h1/history?seq=3", "nope").status, 401);
}

TEST_F(HistoryTest, RetentionMovesTheFirstReachableSeqToASnapshot) {  // EXPORT-7, LOG-3
  cfg.board.snapshot_every_changes = 4;
  cfg.board.log_retention_changes = 4;  // snapshot 12 trims the log up to snapshot 8
  restart();
  make_history("h2");
  if (HasFatalFailure()) return;
  v1::BoardExport e = history("h2", "?seq=8");
  EXPECT_EQ(e.first_seq(), 8u);
  expect_same_objects(states[8], e.snapshot());
  expect_same_objects(states[13], history("h2", "?seq=13").snapshot());
  Answer before = get("/api/boards/h2/history?seq=7", owner_token);
  EXPECT_EQ(before.status, 400);
  EXPECT_NE(before.body.find("8..15"), std::string::npos) << before.body;
}

TEST_F(HistoryTest, RestoreMakesANewBoardHoldingThatState) {  // EXPORT-8
  make_history("h3");
  if (HasFatalFailure()) return;
  Answer r = request(port, "POST", "/api/boards/h3/restore", owner_token, R"({"seq": 7, "title": "Back then"})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto body = boost::json::parse(r.body).as_object();
  const std::string id(body.at("board_id").as_string());
  EXPECT_NE(id, "h3");
  EXPECT_EQ(body.at("title").as_string(), "Back then");
  EXPECT_EQ(body.at("name").as_string(), "Olivia");
  v1::BoardExport e = export_json(id, std::string(body.at("member_token").as_string()));
  expect_same_objects(states[7], e.snapshot());
  EXPECT_EQ(request(port, "POST", "/api/boards/h3/restore", owner_token, R"({"seq": 99})").status, 400);
  EXPECT_EQ(request(port, "POST", "/api/boards/h3/restore", owner_token, R"({"title": "x"})").status, 400);
  EXPECT_EQ(request(port, "POST", "/api/boards/h3/restore", "", R"({"seq": 3})").status, 401);
}

// The cost of a slider position on a board of 10,000 changes (docs: figures measured
// here, printed, not asserted).
TEST_F(HistoryTest, TenThousandChangesAnswerAnySeq) {  // EXPORT-7
  cfg.rate_per_second = 0;
  cfg.durability = storage::Durability::kWal;
  restart();
  auto olivia = owner("big", "c-olivia", board_meta());
  constexpr int kChanges = 10000;
  for (int i = 1; i <= kChanges; ++i) {
    olivia->send(one(i <= 200 ? create_note("n" + std::to_string(i), "note " + std::to_string(i))
                              : update_text("n" + std::to_string(i % 200 + 1), "text " + std::to_string(i))));
    if (i % 500 == 0) ASSERT_TRUE(olivia->settle(0, 60s));
  }
  ASSERT_EQ(olivia->state().seq(), static_cast<std::uint64_t>(kChanges));
  for (std::uint64_t k : {1ull, 999ull, 1000ull, 5555ull, 9999ull, 10000ull}) {
    const auto t0 = std::chrono::steady_clock::now();
    Answer a = get("/api/boards/big/history?seq=" + std::to_string(k), owner_token);
    const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    ASSERT_EQ(a.status, 200) << a.body;
    EXPECT_EQ(parse_export(a).snapshot().seq(), k);
    std::printf("history of a %d-change board at seq %llu: %.1f ms, %zu bytes\n", kChanges,
                static_cast<unsigned long long>(k), ms, a.body.size());
  }
}

}  // namespace
}  // namespace tandem::testing
