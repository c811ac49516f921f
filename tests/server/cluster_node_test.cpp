// One node of a cluster against a real redis-server (tests/cluster/redis_server.hpp;
// protocol/SPEC.md CLUSTER-1, -2, -7): the serve settings reach a ClusterPlacement, the
// node endpoints answer, a drain makes /readyz 503 "draining" and refuses claims until
// undrain. Nothing else answers at the balancer's URL here, so a drain moves nothing and
// lists what is left. Moving boards between nodes is tests/cluster/'s.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "access/secret.hpp"
#include "auth.hpp"
#include "cluster/redis_server.hpp"
#include "support/ops.hpp"
#include "support/server_fixture.hpp"

namespace tandem::testing {
namespace {

namespace json = boost::json;

class ClusterNodeTest : public ServerFixture {
 protected:
  void SetUp() override {
    if (redis.port() == 0) GTEST_SKIP() << "redis-server (" << RedisServer::kBinary << ") did not start";
    cfg.cluster.redis = "127.0.0.1:" + std::to_string(redis.port());
    cfg.cluster.node_id = "n-test";
    cfg.cluster.advertise = "http://127.0.0.1:1";  // nobody asks this node for a hand-over here
    cfg.cluster.entry = "http://127.0.0.1:1";      // no balancer: a drain cannot move anything
    cfg.cluster.lease_ttl_ms = 2000;
    ServerFixture::SetUp();
    if (HasFatalFailure()) return;
    admin = admin_token_of(dir.path());
  }
  json::object call(const std::string& method, const std::string& path, int want) {
    auto r = http_request(port, method, path, "", admin);
    EXPECT_EQ(r.status, want) << method << " " << path << ": " << r.body;
    boost::system::error_code ec;
    json::value v = json::parse(r.body, ec);
    return !ec && v.is_object() ? v.as_object() : json::object{};
  }
  RedisServer redis;
  std::string admin;
};

TEST_F(ClusterNodeTest, ANodeServesItsBoardsUnderALeaseAndDrainsOnRequest) {
  json::object st = call("GET", "/api/cluster", 200);
  EXPECT_EQ(st["node"].as_string(), "n-test");
  EXPECT_FALSE(st["draining"].as_bool());

  NewBoard b = create_board_http(port, "discovery", "Olivia");
  ASSERT_FALSE(b.id.empty());
  EXPECT_EQ(http_request(port, "GET", "/api/cluster", "", b.member_token).status, 401);
  TestClient::Options at;
  at.target = "/b/" + b.id + "/ws";
  {
    TestClient c(port, at);
    v1::Welcome w = c.join(b.id, "client-a", 0, b.member_token);
    EXPECT_GE(w.lease_epoch(), 1u) << "a clustered board is served under a lease (CLUSTER-2, -3)";
    c.send(submit({change(1, {create_note("n1", "hello")})}));
    ASSERT_TRUE(c.wait_for([](const v1::ServerMessage& m) { return m.has_ack(); }).has_value());
  }
  json::object claimed = call("POST", "/api/boards/" + b.id + "/claim", 200);
  EXPECT_EQ(claimed["node"].as_string(), "n-test");
  EXPECT_GE(claimed["head_seq"].as_int64(), 1);
  call("POST", "/api/boards/nosuchboard/claim", 404);
  EXPECT_EQ(http_get(port, "/readyz"), "ready\n");

  // CLUSTER-7: draining, the balancer is told (/readyz) and no claim is taken here.
  json::object drained = call("POST", "/api/cluster/drain?deadline_ms=300", 200);
  EXPECT_EQ(drained["moved"].as_int64(), 0);
  ASSERT_TRUE(drained["left"].is_array());
  bool listed = false;
  for (const auto& id : drained["left"].as_array()) listed = listed || id.as_string() == b.id;
  EXPECT_TRUE(listed) << json::serialize(drained);
  EXPECT_TRUE(call("GET", "/api/cluster", 200)["draining"].as_bool());
  EXPECT_EQ(http_get(port, "/readyz"), "not ready: draining\n");
  call("POST", "/api/boards/" + b.id + "/claim", 503);

  call("POST", "/api/cluster/undrain", 200);
  EXPECT_EQ(http_get(port, "/readyz"), "ready\n");
  EXPECT_EQ(call("POST", "/api/boards/" + b.id + "/claim", 200)["node"].as_string(), "n-test");
}

}  // namespace
}  // namespace tandem::testing
