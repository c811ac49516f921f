// The routes a cluster adds, on a single node (protocol/SPEC.md CLUSTER-1, CLUSTER-4..7;
// the cluster itself is tests/cluster/): the WebSocket at /b/<id>/ws, and the node-to-node
// and drain endpoints, which take the admin token only and answer 409 without a cluster.
// A real server on an ephemeral port, a real RocksDB.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "access/secret.hpp"
#include "auth.hpp"
#include "support/ops.hpp"
#include "support/server_fixture.hpp"

namespace tandem::testing {
namespace {

class ClusterApiTest : public BoardFixture {
 protected:
  void SetUp() override {
    BoardFixture::SetUp();
    if (HasFatalFailure()) return;
    admin = admin_token_of(dir.path());
  }
  TestClient::Options at(const std::string& path) {
    TestClient::Options o;
    o.target = path;
    return o;
  }
  std::string admin;
};

TEST_F(ClusterApiTest, TheBoardPathJoinsAndServesChanges) {  // CLUSTER-1
  TestClient a(port, at("/b/" + board + "/ws"));
  v1::Welcome w = a.join(board, "client-a", 0, alice);
  ASSERT_EQ(w.board().id(), board);
  TestClient b(port, at("/b/" + board + "/ws"));
  b.join(board, "client-b", 0, bob);

  a.send(submit({change(1, {create_note("n1", "hello")})}));
  auto ack = a.wait_for([](const v1::ServerMessage& m) { return m.has_ack() && m.ack().client_seq() == 1; });
  ASSERT_TRUE(ack.has_value());
  auto seen = b.wait_for([](const v1::ServerMessage& m) { return m.has_change(); });
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->change().seq(), ack->ack().seq());
}

TEST_F(ClusterApiTest, AJoinOfAnotherBoardThanThePathsIsRefusedAndClosed) {  // CLUSTER-1
  TestClient c(port, at("/b/someotherboard/ws"));
  c.send(join_msg(board, "client-a", 0, alice));
  auto e = c.wait_for([](const v1::ServerMessage& m) { return m.has_error(); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->error().code(), v1::ERROR_CODE_BAD_REQUEST);
  EXPECT_EQ(c.wait_closed().value_or(0), 1008);
  for (const auto& m : c.drain()) EXPECT_FALSE(m.has_welcome());
  // The plain /ws route still takes any board.
  TestClient plain(port);
  EXPECT_EQ(plain.join(board, "client-b", 0, alice).board().id(), board);
}

TEST_F(ClusterApiTest, OnlyBoardIdsRouteAndPlainHttpIsTold) {  // CLUSTER-1
  EXPECT_EQ(http_request(port, "GET", "/b/bad.id/ws").status, 404);
  EXPECT_EQ(http_request(port, "GET", "/b/" + std::string(65, 'a') + "/ws").status, 404);
  EXPECT_EQ(http_request(port, "GET", "/b//ws").status, 404);
  EXPECT_EQ(http_request(port, "GET", "/b/" + board + "/ws").status, 426);  // not an upgrade
  EXPECT_EQ(http_request(port, "GET", "/ws").status, 426);
  // A WebSocket upgrade at a bad id is refused: the join never reaches a board.
  EXPECT_ANY_THROW(TestClient(port, at("/b/bad.id/ws")));
  EXPECT_ANY_THROW(TestClient(port, at("/b/" + board + "/ws?token=x")));  // like /ws: no query
  // The page's board route still serves the page (a client route).
  EXPECT_EQ(http_request(port, "GET", "/b/" + board).status, 200);
}

TEST_F(ClusterApiTest, ClusterEndpointsTakeTheAdminTokenOnlyAndNeedACluster) {  // CLUSTER-4, -6, -7
  struct Route {
    std::string method, path;
  };
  const std::vector<Route> routes = {
      {"POST", "/api/boards/" + board + "/handover?to=n2"},
      {"POST", "/api/boards/" + board + "/handover/done?epoch=3"},
      {"POST", "/api/boards/" + board + "/promote"},
      {"POST", "/api/boards/" + board + "/claim"},
      {"POST", "/api/cluster/drain"},
      {"POST", "/api/cluster/undrain"},
      {"GET", "/api/cluster"},
  };
  for (const auto& r : routes) {
    EXPECT_EQ(http_request(port, r.method, r.path).status, 401) << r.path;
    EXPECT_EQ(http_request(port, r.method, r.path, "", owner).status, 401) << r.path << " with the owner's token";
    EXPECT_EQ(http_request(port, r.method, r.path, "", alice).status, 401) << r.path << " with a member token";
    auto single = http_request(port, r.method, r.path, "", admin);
    EXPECT_EQ(single.status, 409) << r.path;
    EXPECT_NE(single.body.find("not clustered"), std::string::npos) << single.body;
  }
  EXPECT_EQ(http_request(port, "GET", "/api/cluster/drain", "", admin).status, 405);
  EXPECT_EQ(http_request(port, "POST", "/api/boards/bad.id/claim", "", admin).status, 404);
  // Nothing was handed over: the board still serves its members.
  TestClient c(port);
  EXPECT_EQ(c.join(board, "client-a", 0, alice).board().id(), board);
  // Ready as before: a single node never drains.
  EXPECT_EQ(http_get(port, "/readyz"), "ready\n");
}

}  // namespace
}  // namespace tandem::testing
