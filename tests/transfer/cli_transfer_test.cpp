// tandem export | import | replay (issue 13) against a real server on the fixture's data
// folder: the admin token comes from --data's secret (cli/remote.hpp).
#include <gtest/gtest.h>

#include "cli/child.hpp"
#include "cli/transfer_commands.hpp"
#include "support/ops.hpp"
#include "support/server_fixture.hpp"

namespace tandem::testing {
namespace {

using namespace std::chrono_literals;

TEST(CliTimeTest, ReplayTimesAreMillisecondsOrIso8601WithAZone) {
  EXPECT_EQ(cli::parse_time("1795960800000"), 1795960800000);
  EXPECT_EQ(cli::parse_time("2026-11-29T14:00:00Z"), 1795960800000);
  EXPECT_EQ(cli::parse_time("2026-11-29T15:00+01:00"), 1795960800000);
  EXPECT_EQ(cli::parse_time("2026-11-29T14:00:01.250Z"), 1795960801250);
  EXPECT_FALSE(cli::parse_time("2026-11-29T14:00"));  // no zone: ambiguous
  EXPECT_FALSE(cli::parse_time("yesterday"));
}

class CliTransferTest : public ServerFixture {
 protected:
  RunResult tandem(std::vector<std::string> args) {
    args.insert(args.begin(), TANDEM_BIN);
    return run(out.path().string(), args,
               {{"TANDEM_SERVER", "http://127.0.0.1:" + std::to_string(port)}, {"TANDEM_DATA", dir.path().string()}});
  }
  TempDir out;
};

TEST_F(CliTransferTest, ExportImportAndReplayABacklog) {
  const std::string token = server->create_board("q4", board_meta(v1::BOARD_KIND_BACKLOG, {}, "Q4"), "Olivia").value_or("");
  model::Schema schema;
  SyncClient olivia(port, "q4", "c-olivia", token, schema);
  olivia.connect();
  olivia.send(one(create_item("i1", "First, with a comma", "a0")));
  olivia.send(one(create_item("i2", "Second", "a1")));
  ASSERT_TRUE(olivia.settle(0, 10s));

  const std::string file = out.path().string() + "/q4.csv";
  RunResult ex = tandem({"export", "q4", "-o", file});
  ASSERT_EQ(ex.code, 0) << ex.err;
  EXPECT_EQ(slurp(file), "id,title,status,estimate,assignee,tags,description\r\n"
                         "i1,\"First, with a comma\",,,,,\r\ni2,Second,,,,,\r\n");
  RunResult im = tandem({"import", file, "--title", "Copy of Q4", "--json"});
  ASSERT_EQ(im.code, 0) << im.err;
  EXPECT_NE(im.out.find("\"title\":\"Copy of Q4\""), std::string::npos) << im.out;
  EXPECT_NE(im.out.find("\"skipped_columns\":[]"), std::string::npos) << im.out;

  RunResult first = tandem({"replay", "q4", "--seq", "1", "--format", "csv"});
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_EQ(first.out, "id,title,status,estimate,assignee,tags,description\r\ni1,\"First, with a comma\",,,,,\r\n");
  RunResult now = tandem({"replay", "q4", "--at", "2100-01-01T00:00:00Z"});
  ASSERT_EQ(now.code, 0) << now.err;
  EXPECT_NE(now.out.find("\"Second\""), std::string::npos) << now.out;
  EXPECT_NE(now.err.find("at change 2 of 2"), std::string::npos) << now.err;

  EXPECT_EQ(tandem({"replay", "q4", "--at", "yesterday"}).code, 2);
  EXPECT_EQ(tandem({"replay", "q4"}).code, 2);
  EXPECT_EQ(tandem({"replay", "q4", "--seq", "1", "--format", "markdown"}).code, 2);
  RunResult far = tandem({"replay", "q4", "--seq", "9"});
  EXPECT_EQ(far.code, 1);
  EXPECT_NE(far.err.find("1..2"), std::string::npos) << far.err;
  EXPECT_EQ(tandem({"export", "nope"}).code, 1);
}

}  // namespace
}  // namespace tandem::testing
