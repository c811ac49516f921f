// TestClient: a real Beast WebSocket client for integration tests.
//
// It connects on the calling thread, then reads on a thread of its own: every
// ServerMessage of every frame goes into an inbox that the test waits on with a
// deadline (never a sleep). send() is synchronous. A client made with
// `read = false` never reads until start_reading() (a slow consumer).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tandem/v1/sync.pb.h"
#include "http_client.hpp"

namespace tandem::testing {

using namespace std::chrono_literals;

class TestClient {
 public:
  struct Options {
    bool read = true;
    int receive_buffer_bytes = 0;  // 0: the system default
    std::string target = "/ws";    // the upgrade's path ("/b/<id>/ws": through a balancer, CLUSTER-1)
    bool tolerate_send_errors = false;  // a send to a closed connection is dropped, not a failure
  };

  explicit TestClient(std::uint16_t port) : TestClient(port, Options{}) {}
  TestClient(std::uint16_t port, Options options);
  ~TestClient();
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  void send(const v1::ClientMessage& msg);
  void send_raw(const std::string& bytes, bool binary);
  void start_reading();

  // The next message matching `pred`, waiting up to `timeout`; messages before it
  // are consumed. Fails the test (and returns nullopt) on timeout.
  std::optional<v1::ServerMessage> wait_for(const std::function<bool(const v1::ServerMessage&)>& pred,
                                            std::chrono::milliseconds timeout = 10s,
                                            const std::string& what = "message");
  // The next message, waiting up to `timeout`; nullopt (no failure) on timeout or close.
  std::optional<v1::ServerMessage> next(std::chrono::milliseconds timeout);
  bool closed() const;
  std::optional<v1::ServerMessage> wait_kind(v1::ServerMessage::KindCase kind,
                                             std::chrono::milliseconds timeout = 10s);

  // Joins with a member token and waits for the welcome.
  v1::Welcome join(const std::string& board, const std::string& client_id, std::uint64_t last_seen,
                   const std::string& token);
  // Waits for a welcome and the snapshot parts after it (JOIN-8), merged into one;
  // an empty Welcome when it does not come. `parts_seen`: how many parts it had.
  v1::Welcome wait_welcome(std::chrono::milliseconds timeout = std::chrono::seconds(10),
                           std::uint32_t* parts_seen = nullptr);

  // Waits until the server ends the connection; returns the close code (0 if the
  // TCP connection ended without a close frame).
  std::optional<int> wait_closed(std::chrono::milliseconds timeout = 10s);

  // Messages received and not consumed yet (does not wait).
  std::vector<v1::ServerMessage> drain();
  std::uint64_t frames_received() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// GET a path on the server; returns the body ("" on failure).
std::string http_get(std::uint16_t port, const std::string& path);
// One counter from /metrics.
std::uint64_t metric(std::uint16_t port, const std::string& name);
// Polls /metrics until `name` is `value` (each poll is a round trip), up to `timeout`:
// for what the server does after it answered (a board closing once its last member left).
bool metric_reaches(std::uint16_t port, const std::string& name, std::uint64_t value,
                    std::chrono::milliseconds timeout = std::chrono::seconds(10));


// A board made through POST /api/boards (SPEC API-1).
struct NewBoard {
  std::string id, member_token, owner_invite;
};
NewBoard create_board_http(std::uint16_t port, const std::string& kind = "discovery", const std::string& name = "Owner");

}  // namespace tandem::testing
