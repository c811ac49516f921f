// The cluster's command line (issue 14, docs/CLUSTER.md): the serve flags come as a set
// (a bad combination exits 2 with one line, before anything starts), and `tandem node`
// against a single node says it is not clustered (exit 1). The real binary (TANDEM_BIN).
#include <gtest/gtest.h>

#include <algorithm>

#include "cli/child.hpp"
#include "support/server_fixture.hpp"

namespace tandem::testing {
namespace {

const std::string kTandem = TANDEM_BIN;

class ClusterCliTest : public ::testing::Test {
 protected:
  RunResult tandem(std::vector<std::string> args, const Env& env = {}) {
    args.insert(args.begin(), kTandem);
    return run(dir.path().string(), args, env);
  }
  TempDir dir;
};

TEST_F(ClusterCliTest, ClusterFlagsComeAsASetOrExit2WithOneLine) {
  const std::string data = (dir.path() / "data").string();
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{"--redis", "127.0.0.1:6379"}, "--redis needs --node-id, --advertise and --cluster-entry"},
      {{"--redis", "127.0.0.1:6379", "--node-id", "n1", "--advertise", "http://127.0.0.1:1"},
       "--redis needs --node-id, --advertise and --cluster-entry"},
      {{"--node-id", "n1"}, "need --redis"},
      {{"--redis", "localhost", "--node-id", "n1", "--advertise", "http://a:1", "--cluster-entry", "http://b:2"},
       "--redis: 'localhost' is not HOST:PORT"},
      {{"--redis", "h:1", "--node-id", "n:1", "--advertise", "http://a:1", "--cluster-entry", "http://b:2"},
       "--node-id"},
      {{"--redis", "h:1", "--node-id", "n1", "--advertise", "a:1", "--cluster-entry", "http://b:2"},
       "--advertise: 'a:1' is not an http:// URL"},
      {{"--lease-ttl-ms", "10"}, "--lease-ttl-ms"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = c.args;
    args.insert(args.end(), {"--port", "0", "--data", data});
    RunResult r = tandem(args);
    EXPECT_EQ(r.code, 2) << c.says << "\n" << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_TRUE(r.out.empty()) << "started anyway: " << r.out;
  }
  // From the environment too, like every flag.
  RunResult env = tandem({"--port", "0", "--data", data}, {{"TANDEM_REDIS", "127.0.0.1:6379"}});
  EXPECT_EQ(env.code, 2) << env.err;
  EXPECT_NE(env.err.find("--redis needs"), std::string::npos) << env.err;
  // A Redis that does not answer: the server does not start (exit 1), saying so.
  RunResult down = tandem({"--port", "0", "--data", data, "--redis", "127.0.0.1:1", "--node-id", "n1", "--advertise",
                           "http://127.0.0.1:1", "--cluster-entry", "http://127.0.0.1:2", "--lease-ttl-ms", "1000"});
  EXPECT_EQ(down.code, 1) << down.err;
  EXPECT_NE(down.err.find("cannot start"), std::string::npos) << down.err;
}

TEST_F(ClusterCliTest, HelpShowsTheClusterGroup) {
  RunResult r = tandem({"serve", "--help"});
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* s : {"Cluster", "--redis", "--node-id", "--advertise", "--cluster-entry", "--lease-ttl-ms",
                        "TANDEM_REDIS"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
}

class NodeCliTest : public ServerFixture {};

TEST_F(NodeCliTest, NodeCommandsOnASingleNodeSayItIsNotClustered) {
  TempDir cwd;
  const Env env = {{"TANDEM_SERVER", "http://127.0.0.1:" + std::to_string(port)}, {"TANDEM_DATA", dir.path().string()}};
  for (const char* sub : {"status", "drain", "undrain"}) {
    RunResult r = run(cwd.path().string(), {kTandem, "node", sub}, env);
    EXPECT_EQ(r.code, 1) << sub << ": " << r.err;
    EXPECT_NE(r.err.find("not clustered"), std::string::npos) << sub << ": " << r.err;
  }
  RunResult none = run(cwd.path().string(), {kTandem, "node"}, env);
  EXPECT_EQ(none.code, 2) << none.err;
}

}  // namespace
}  // namespace tandem::testing
