// PlacementTest: a real redis-server and nodes made of a real RocksDB store, a group
// committer and a ClusterPlacement each, all in this process (placement_test.cpp,
// placement_move_test.cpp; docs/CLUSTER.md).
#pragma once

// First: its access() must not see namespace tandem::access (server headers below).
#include "cluster/cluster_harness.hpp"  // eventually()

#include <gtest/gtest.h>
#include <unistd.h>

#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cluster/cluster_placement.hpp"
#include "cluster/redis.hpp"
#include "cluster/redis_server.hpp"
#include "cluster/tiny_http.hpp"
#include "storage/group_committer.hpp"
#include "storage/keys.hpp"
#include "support/temp_dir.hpp"
#include "tandem/v1/board.pb.h"

namespace tandem::placement_testing {

using cluster::ClusterPlacement;
using cluster::Redis;
using cluster::RedisReply;
using namespace std::chrono_literals;
using testing::RedisServer;
using testing::TempDir;
using testing::TinyHttp;
using testing::eventually;

constexpr int kTtlMs = 300;
// A URL nothing answers at (connection refused): a node whose HTTP is away.
constexpr const char* kNobody = "http://127.0.0.1:1";

struct Node {
  TempDir dir;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<storage::GroupCommitter> committer;
  std::unique_ptr<ClusterPlacement> placement;
};

class PlacementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::access(RedisServer::kBinary, X_OK) != 0) GTEST_SKIP() << "redis-server is not installed (scripts/install-deps.sh)";
    redis_server_ = std::make_unique<RedisServer>();
    ASSERT_NE(redis_server_->port(), 0) << "redis-server did not start";
    redis_ = std::make_unique<Redis>(redis_server_->address(), 1s, 1s);
    ASSERT_TRUE(redis_->connect().ok());
  }

  std::unique_ptr<Node> node(const std::string& id, std::string advertise = kNobody, std::string entry = kNobody,
                             bool start = true) {
    auto n = std::make_unique<Node>();
    EXPECT_TRUE(storage::Store::open(n->dir.path(), &n->store).ok());
    n->committer = std::make_unique<storage::GroupCommitter>(*n->store, storage::Durability::kWal);
    ClusterConfig cfg;
    cfg.redis = redis_server_->address();
    cfg.node_id = id;
    cfg.advertise = std::move(advertise);
    cfg.entry = std::move(entry);
    cfg.lease_ttl_ms = kTtlMs;
    n->placement = std::make_unique<ClusterPlacement>(cfg, *n->store, *n->committer, "admin-token");
    if (start) {
      EXPECT_TRUE(n->placement->start().ok());
    }
    return n;
  }

  static Claim claim(Node& n, const std::string& board, bool pull = true) {
    std::promise<Claim> p;
    auto f = p.get_future();
    n.placement->claim(board, pull, [&p](Claim c) { p.set_value(std::move(c)); });
    if (f.wait_for(20s) != std::future_status::ready) {
      ADD_FAILURE() << "claim of " << board << " not answered";
      std::abort();  // `p` is still referenced by the placement
    }
    return f.get();
  }

  std::string get(const std::string& key) {
    RedisReply r;
    EXPECT_TRUE(redis_->command({"GET", key}, &r).ok());
    return r.is_nil() ? "<nil>" : r.text();
  }
  void redis(const std::vector<std::string>& argv) {
    RedisReply r;
    ASSERT_TRUE(redis_->command(argv, &r).ok());
    ASSERT_FALSE(r.is_error()) << r.str;
  }

  // Writes `writes` of `board` into n's store through its committer.
  static void write(Node& n, const std::string& board, std::vector<storage::Write> writes) {
    std::promise<Status> p;
    n.committer->submit(board, std::move(writes), [&p](const Status& s) { p.set_value(s); });
    ASSERT_TRUE(p.get_future().get().ok());
  }
  static storage::Write meta(const std::string& board, bool deleted = false) {
    v1::BoardMeta m;
    m.set_id(board);
    m.set_title("Board " + board);
    m.set_deleted(deleted);
    return {storage::Cf::kBoards, storage::board_key(board), m.SerializeAsString()};
  }

  std::unique_ptr<RedisServer> redis_server_;
  std::unique_ptr<Redis> redis_;
};

}  // namespace tandem::placement_testing
