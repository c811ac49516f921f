// SyncClient: a test client with what a real client's sync layer keeps: a replica of
// the board (the same pure model the server runs), changes pending until acked or
// rejected, and resend after a reconnect (SPEC JOIN-5, IDEM-*). The replica holds
// only confirmed state, so it must equal the server's byte for byte once quiet.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/board_state.hpp"
#include "test_client.hpp"
#include "support/welcome_parts.hpp"

namespace tandem::testing {

class SyncClient {
 public:
  // `token`: a member token of `board`.
  SyncClient(std::uint16_t port, std::string board, std::string client_id, std::string token,
             const model::Schema& schema);

  // Connects and joins (with the last seen seq), then resends every pending change
  // (IDEM-3: the server answers each as it did the first time).
  void connect();
  void disconnect();
  void set_port(std::uint16_t port) { port_ = port; }  // the server moved (a restart)
  bool connected() const { return conn_ != nullptr; }

  // Through a balancer (CLUSTER-*): the upgrade's path, e.g. "/b/<id>/ws". A client with a
  // target set tolerates what a cluster does: try_connect() answers false (no failure) when
  // the connection cannot be made, ends, or the join is refused because the board moved
  // or its node is down (4008, 4009), and the caller tries again.
  void set_target(std::string target) { target_ = std::move(target); }
  bool try_connect(std::chrono::milliseconds timeout);
  // Whether the connection ended (or there is none).
  bool closed() const;
  // Every ack this client got, with the lease epoch of the Welcome of its connection
  // (CLUSTER-3): duplicates too (they name the seq the change got the first time).
  struct AckRecord {
    std::uint64_t seq = 0, client_seq = 0, lease_epoch = 0;
    bool duplicate = false;
  };
  const std::vector<AckRecord>& acks() const { return acks_; }
  std::uint64_t refusals() const { return refusals_; }  // joins refused: moved or unavailable

  // Sends one change; returns its client_seq. Offline, it stays pending.
  std::uint64_t send(const google::protobuf::RepeatedPtrField<v1::Op>& ops);

  // Handles what has arrived; returns how many messages.
  int pump();
  // Waits up to `timeout` for one message and handles it; false on timeout.
  bool pump_one(std::chrono::milliseconds timeout);
  // Pumps until nothing is pending and the replica is at `head` (or the deadline).
  bool settle(std::uint64_t head, std::chrono::milliseconds timeout);
  // Pumps until `pred` holds for the replica (or the deadline); false on timeout.
  bool wait_state(const std::function<bool(const model::BoardState&)>& pred,
                  std::chrono::milliseconds timeout = std::chrono::seconds(15));

  const model::BoardState& state() const { return state_; }
  std::size_t pending() const { return pending_.size(); }
  std::uint64_t acked() const { return acked_; }
  std::uint64_t rejected() const { return rejected_; }
  std::uint64_t stale() const { return stale_; }  // rejects for STALE_CLIENT_SEQ
  std::uint64_t rebalances() const { return rebalances_; }  // server rebalances seen
  const std::string& client_id() const { return client_id_; }
  const std::string& user() const { return user_; }  // the token's name, once welcomed
  const std::string& member_id() const { return member_id_; }

 private:
  v1::ClientMessage join_message() const;  // with the last seen seq once initialized
  void handle(const v1::ServerMessage& m);
  void welcome(const v1::Welcome& w);

  std::uint16_t port_;
  std::string board_, client_id_, token_, user_, member_id_;
  std::unique_ptr<TestClient> conn_;
  bool joined_ = false;
  bool initialized_ = false;
  WelcomeParts parts_;
  v1::BoardMeta meta_;
  model::BoardState state_;
  std::map<std::uint64_t, v1::Change> pending_;  // by client_seq
  std::uint64_t next_client_seq_ = 1;
  std::uint64_t acked_ = 0, rejected_ = 0, stale_ = 0, rebalances_ = 0;
  std::string target_;  // "" : /ws, failures are test failures
  std::uint64_t lease_epoch_ = 0, refusals_ = 0;
  bool refused_ = false;
  std::vector<AckRecord> acks_;
};

}  // namespace tandem::testing
