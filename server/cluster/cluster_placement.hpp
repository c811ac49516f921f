// ClusterPlacement: the Placement of a node in a cluster (SPEC CLUSTER-2..7,
// docs/CLUSTER.md). Leases live in Redis; a board's data moves between nodes over HTTP
// (the handover endpoints, with the admin token every node shares).
//
// Redis keys:
//   tandem:lease:<board>   "<node>:<epoch>", PX lease_ttl_ms: the node that may write it
//   tandem:home:<board>    the node whose store has the board's data (no TTL)
//   tandem:epoch:<board>   counter: the last epoch handed out for the board
//   tandem:node:<node>     its advertise URL, PX 3 * lease_ttl_ms (refreshed while alive)
//   tandem:draining:<node> present while the node drains (CLUSTER-7)
//   tandem:nodes           hash: every node that ever started -> its advertise URL (no
//                          TTL: a board listing asks each, CLUSTER-8)
//
// Threads: claim, release and forward_promote run on two workers (a claim may wait on a
// handover while another board's claim runs); a renew thread pushes every held lease
// back each ttl/3. holds() only reads a local table: a lease counts until a deadline
// taken before the renew call that extended it, less a margin (CLUSTER-3), so when
// Redis is unreachable leases run out here first.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "board/placement.hpp"
#include "config.hpp"
#include "storage/group_committer.hpp"
#include "storage/store.hpp"

namespace tandem::cluster {

class Redis;

class ClusterPlacement final : public Placement {
 public:
  using Clock = std::chrono::steady_clock;

  ClusterPlacement(ClusterConfig cfg, storage::Store& store, storage::GroupCommitter& committer,
                   std::string admin_token);
  ~ClusterPlacement() override;  // stop()
  ClusterPlacement(const ClusterPlacement&) = delete;
  ClusterPlacement& operator=(const ClusterPlacement&) = delete;

  // Connects to Redis (Unavailable naming the address when it does not answer),
  // registers this node (tandem:node:<id>), clears its draining flag, starts the
  // workers and the renew thread.
  Status start();
  // Finishes the jobs already queued and joins the threads; calls after it (or before
  // start) are answered at once: claims kUnavailable, promotes kRetry. Idempotent; a
  // stopped placement is not started again.
  void stop();

  bool clustered() const override { return true; }
  void claim(const std::string& board_id, bool pull, ClaimDone done) override;
  bool holds(const std::string& board_id, std::uint64_t epoch) const override;
  void release(const std::string& board_id, std::uint64_t epoch, bool exists) override;
  void forward_promote(const std::string& backlog_board, const PromoteRequest& req, PromoteDone done) override;

  // CLUSTER-7: a draining node claims nothing (kMoved). Sets tandem:draining:<id> too.
  void set_draining(bool on);
  bool draining() const { return draining_.load(); }

  struct DrainReport {
    int moved = 0;
    std::vector<std::string> left;  // boards still here when `deadline` passed
  };
  // Blocking (not on a network thread): sets draining, then asks the balancer
  // (POST {entry}/api/boards/<id>/claim) to have another node pull each board stored
  // here, retrying every 200 ms while this node still answers (503) until `deadline`.
  DrainReport drain(std::chrono::milliseconds deadline);

  const std::string& node_id() const { return cfg_.node_id; }

  // Blocking (not on a network thread): `GET target` with the admin token on every
  // other node that ever started (tandem:nodes), each bounded by `timeout`, one after
  // another. A node that is down answers nothing (NodeAnswer::error).
  struct NodeAnswer {
    std::string node;
    int status = 0;     // 0: no answer
    std::string body;
    std::string error;  // why there is no answer
  };
  std::vector<NodeAnswer> ask_other_nodes(const std::string& target, std::chrono::milliseconds timeout);

 private:
  using Job = std::function<void(Redis&)>;
  struct Lease {
    std::uint64_t epoch = 0;
    Clock::time_point deadline;
  };

  void enqueue(Job job, std::function<void()> dropped);
  void worker_loop();
  void renew_loop();
  void renew_once(Redis& redis);

  Claim do_claim(Redis& redis, const std::string& board_id, bool pull, std::function<void()>* after);
  // `after`: what to do once the claim is answered (tell the old node it is done).
  Claim pull_board(Redis& redis, const std::string& board_id, const std::string& node, std::uint64_t seen_epoch,
                   std::function<void()>* after);
  void finish_claim(const std::string& board_id, const Claim& claim);
  void do_release(Redis& redis, const std::string& board_id, std::uint64_t epoch, bool exists);
  void remember(const std::string& board_id, std::uint64_t epoch, Clock::time_point t0);
  Status write_shipment(const std::string& board_id, std::vector<storage::Write> writes);
  std::uint64_t min_epoch(const std::string& board_id);
  std::unique_ptr<Redis> new_redis() const;
  Clock::duration ttl() const { return std::chrono::milliseconds(cfg_.lease_ttl_ms); }

  const ClusterConfig cfg_;
  storage::Store& store_;
  storage::GroupCommitter& committer_;
  const std::string admin_token_;
  std::atomic<bool> draining_{false};

  mutable std::mutex leases_mu_;
  std::map<std::string, Lease> leases_;  // GUARDED_BY(leases_mu_)

  std::mutex jobs_mu_;
  std::condition_variable jobs_cv_;  // a job was queued, or stopping
  std::condition_variable stop_cv_;  // stopping (the renew thread waits on it)
  std::deque<std::pair<Job, std::function<void()>>> jobs_;        // GUARDED_BY(jobs_mu_)
  std::map<std::string, std::vector<ClaimDone>> claiming_;       // GUARDED_BY(jobs_mu_)
  bool stopping_ = false;                                        // GUARDED_BY(jobs_mu_)
  bool started_ = false;                                         // GUARDED_BY(jobs_mu_)

  std::mutex control_mu_;  // start, set_draining
  std::unique_ptr<Redis> control_;  // GUARDED_BY(control_mu_)

  std::vector<std::thread> workers_;
  std::thread renewer_;
};

}  // namespace tandem::cluster
