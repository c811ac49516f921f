// /metrics, /readyz and who may read /metrics (issue 13; server/metrics.hpp,
// server/metrics/render.cpp, docs/OPERATIONS.md): the histograms move when they should,
// rejects are counted by code, readiness follows the store through a disk fault, the
// page is refused to a stranger, and promtool finds nothing to complain about.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "metrics/histogram.hpp"
#include "support/faulty_fs.hpp"
#include "support/ops.hpp"
#include "support/server_fixture.hpp"

namespace tandem {
namespace {

using namespace std::chrono_literals;
using namespace tandem::testing;
using Kind = v1::ServerMessage::KindCase;

bool metric_at_least(std::uint16_t port, const std::string& name, std::uint64_t v, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (metric(port, name) >= v) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
  }
}

// The status of GET `path` once it is `status`, or the last one seen at the deadline.
int wait_status(std::uint16_t port, const std::string& path, int status, std::chrono::milliseconds timeout = 20s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const int got = http_request(port, "GET", path).status;
    if (got == status || std::chrono::steady_clock::now() >= deadline) return got;
  }
}

TEST(HistogramTest, ObservationsLandInTheirBucketAndRenderCumulatively) {
  Histogram h({10, 100, 1000}, 1e-3);
  h.observe(0);
  h.observe(10);    // le is inclusive
  h.observe(11);
  h.observe(5000);  // +Inf
  EXPECT_EQ(h.count(), 4u);
  EXPECT_EQ(h.sum(), 5021u);
  std::string out;
  h.render(&out, "x_seconds", "An example.");
  EXPECT_EQ(out,
            "# HELP tandem_x_seconds An example.\n"
            "# TYPE tandem_x_seconds histogram\n"
            "tandem_x_seconds_bucket{le=\"0.01\"} 2\n"
            "tandem_x_seconds_bucket{le=\"0.1\"} 3\n"
            "tandem_x_seconds_bucket{le=\"1\"} 3\n"
            "tandem_x_seconds_bucket{le=\"+Inf\"} 4\n"
            "tandem_x_seconds_sum 5.021\n"
            "tandem_x_seconds_count 4\n");
}

class MetricsTest : public BoardFixture {};

TEST_F(MetricsTest, AJoinObservesTheWelcomeAndAChangeTheFlushBatchAndFanOut) {
  const auto welcomes = metric(port, "welcome_bytes_count");
  const auto flushes = metric(port, "log_flush_seconds_count");
  const auto batches = metric(port, "log_batch_changes_count");
  const auto fanouts = metric(port, "fanout_seconds_count");
  TestClient a(port), b(port);
  a.join(board, "a", 0, alice);
  b.join(board, "b", 0, bob);
  EXPECT_TRUE(metric_at_least(port, "welcome_bytes_count", welcomes + 2));
  EXPECT_GE(metric(port, "welcome_bytes_sum"), 100u);  // two Welcomes of a board with its meta
  a.send(submit({change(1, {create_note("n1", "measure me")})}));
  ASSERT_TRUE(a.wait_kind(Kind::kAck));
  ASSERT_TRUE(b.wait_kind(Kind::kChange));
  EXPECT_TRUE(metric_at_least(port, "log_flush_seconds_count", flushes + 1));
  EXPECT_TRUE(metric_at_least(port, "log_batch_changes_count", batches + 1));
  EXPECT_TRUE(metric_at_least(port, "fanout_seconds_count", fanouts + 1));
  EXPECT_GE(metric(port, "log_batch_changes_sum"), metric(port, "log_batch_changes_count"));  // >= 1 change a batch
}

TEST_F(MetricsTest, RejectsAreCountedByTheirCode) {
  TestClient a(port);
  a.join(board, "a", 0, alice);
  a.send(submit({change(1, {update_text("no-such-note", "x")})}));
  auto r = a.wait_kind(Kind::kReject);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->reject().code(), v1::REJECT_CODE_UNKNOWN_OBJECT);
  EXPECT_EQ(metric(port, "rejects_total{code=\"REJECT_CODE_UNKNOWN_OBJECT\"}"), 1u);
  a.send(submit({change(2, {update_text("no-such-note", "z")}), change(3, {update_text("gone", "y")})}));
  ASSERT_TRUE(a.wait_for([](const v1::ServerMessage& m) { return m.has_reject() && m.reject().client_seq() == 3; }));
  EXPECT_EQ(metric(port, "rejects_total{code=\"REJECT_CODE_UNKNOWN_OBJECT\"}"), 3u);
  EXPECT_EQ(metric(port, "changes_rejected_total"), 3u);
  EXPECT_EQ(metric(port, "rejects_total{code=\"REJECT_CODE_BAD_OP\"}"), 0u);
}

TEST_F(MetricsTest, ConnectionsAreCountedByKind) {
  TestClient a(port);
  a.join(board, "a", 0, alice);
  EXPECT_GE(metric(port, "connections{kind=\"websocket\"}"), 1u);
  EXPECT_GE(metric(port, "connections{kind=\"http\"}"), 1u);  // the scrape's own
  EXPECT_EQ(metric(port, "boards_open"), 1u);
}

// The server starts once the test has set up its disk or its access settings.
class LateStartTest : public ServerFixture {
 protected:
  void SetUp() override {}
};

TEST_F(LateStartTest, ReadyzIs503WhileAFailingDiskKeepsTheStoreUnwritableAnd200After) {
  auto fs = std::make_shared<FaultyFs>();
  cfg.storage_env = FaultyFs::env(fs);
  start();
  auto ready = http_request(port, "GET", "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, "ready\n");
  EXPECT_EQ(http_request(port, "GET", "/healthz").status, 200);
  NewBoard b = create_board_http(port);
  TestClient a(port);
  a.join(b.id, "a", 0, b.member_token);

  fs->fail(true);  // the disk is full: the next log write fails
  a.send(submit({change(1, {create_note("n1", "lost")})}));
  EXPECT_EQ(a.wait_closed(), 4003);
  EXPECT_EQ(wait_status(port, "/readyz", 503), 503);
  auto not_ready = http_request(port, "GET", "/readyz");
  EXPECT_EQ(not_ready.status, 503);
  EXPECT_NE(not_ready.body.find("storage not writable"), std::string::npos) << not_ready.body;
  EXPECT_EQ(http_request(port, "GET", "/healthz").status, 200);  // alive, not ready

  fs->fail(false);  // room again: the storage thread recovers on its backoff
  EXPECT_EQ(wait_status(port, "/readyz", 200), 200);
  TestClient again(port);
  again.join(b.id, "a2", 0, b.member_token);
  again.send(submit({change(1, {create_note("n2", "kept")})}));
  EXPECT_TRUE(again.wait_kind(Kind::kAck));
}

TEST_F(LateStartTest, MetricsAreRefusedToAnAddressNotAllowed) {
  cfg.metrics_allow = {"192.0.2.1"};  // documentation range: never this test's address
  start();
  EXPECT_EQ(http_request(port, "GET", "/metrics").status, 403);
  EXPECT_EQ(http_request(port, "GET", "/metrics", "", "any-token").status, 403);  // no token configured
  EXPECT_EQ(http_request(port, "GET", "/healthz").status, 200);
}

TEST_F(LateStartTest, MetricsNeedTheBearerTokenFromAnAddressNotAllowed) {
  cfg.metrics_allow = {"192.0.2.1"};
  cfg.metrics_token = "scrape-secret-123";
  start();
  EXPECT_EQ(http_request(port, "GET", "/metrics").status, 403);
  EXPECT_EQ(http_request(port, "GET", "/metrics", "", "scrape-secret-12").status, 403);
  EXPECT_EQ(http_request(port, "GET", "/metrics", "", "scrape-secret-1234").status, 403);
  auto ok = http_request(port, "GET", "/metrics", "", "scrape-secret-123");
  EXPECT_EQ(ok.status, 200);
  EXPECT_NE(ok.body.find("# TYPE tandem_fanout_seconds histogram"), std::string::npos);
}

TEST_F(LateStartTest, MetricsAreServedToAnAllowedAddressAndToAnyoneWhenTheListIsEmpty) {
  cfg.metrics_allow = {"192.0.2.1", "127.0.0.1"};
  cfg.metrics_token = "scrape-secret-123";
  start();
  EXPECT_EQ(http_request(port, "GET", "/metrics").status, 200);  // by address, no token
  stop();
  cfg.metrics_allow = {};
  cfg.metrics_token = "";
  start();
  EXPECT_EQ(http_request(port, "GET", "/metrics").status, 200);
}

// Runs `command`; its exit status and what it printed (stdout and stderr).
int run(const std::string& command, std::string* output) {
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) return -1;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) output->append(buf, n);
  const int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(MetricsTest, PromtoolFindsNothingToComplainAboutOnARealPage) {
  if (::access("/usr/bin/promtool", X_OK) != 0)
    GTEST_SKIP() << "promtool is not installed (Debian package prometheus): the page is not checked";
  // Traffic first, so that every kind of sample is on the page (labels included).
  TestClient a(port);
  a.join(board, "a", 0, alice);
  a.send(submit({change(1, {create_note("n1", "x")}), change(2, {update_text("missing", "y")})}));
  ASSERT_TRUE(a.wait_for([](const v1::ServerMessage& m) { return m.has_reject() && m.reject().client_seq() == 2; }));
  ASSERT_TRUE(metric_at_least(port, "fanout_seconds_count", 1));
  const std::string page = http_get(port, "/metrics");
  ASSERT_NE(page.find("tandem_rejects_total{code=\"REJECT_CODE_UNKNOWN_OBJECT\"} 1"), std::string::npos) << page;
  const std::string file = dir.path().string() + "/metrics.txt";
  std::ofstream(file) << page;
  std::string output;
  const int status = run("/usr/bin/promtool check metrics < " + file, &output);
  EXPECT_EQ(status, 0) << output << "\n" << page;
  EXPECT_EQ(output, "") << page;
}

}  // namespace
}  // namespace tandem
