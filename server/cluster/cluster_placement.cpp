// ClusterPlacement: leases in Redis, boards pulled from the node that has them
// (SPEC CLUSTER-2, -3, -4, -7; docs/CLUSTER.md). Promotes and drains: cluster_calls.cpp.
#include "cluster/cluster_placement.hpp"

#include <algorithm>
#include <future>

#include "cluster/lease_scripts.hpp"
#include "cluster/redis.hpp"
#include "log.hpp"
#include "net/http_call.hpp"
#include "storage/keys.hpp"
#include "tandem/v1/cluster.pb.h"

namespace tandem::cluster {
namespace {

constexpr auto kHandoverTimeout = std::chrono::seconds(5);
constexpr auto kDoneTimeout = std::chrono::seconds(2);
constexpr int kWorkers = 2;  // a claim may wait on a handover while another board's claim runs

std::string lease_key(const std::string& board) { return "tandem:lease:" + board; }
std::string home_key(const std::string& board) { return "tandem:home:" + board; }
std::string epoch_key(const std::string& board) { return "tandem:epoch:" + board; }
std::string node_key(const std::string& node) { return "tandem:node:" + node; }
std::string draining_key(const std::string& node) { return "tandem:draining:" + node; }

Claim refuse(ClaimOutcome outcome, std::string why) {
  Claim c;
  c.outcome = outcome;
  c.why = std::move(why);
  return c;
}

std::uint64_t to_u64(const std::string& s) {
  try {
    return std::stoull(s);
  } catch (...) {
    return 0;
  }
}

}  // namespace

ClusterPlacement::ClusterPlacement(ClusterConfig cfg, storage::Store& store, storage::GroupCommitter& committer,
                                   std::string admin_token)
    : cfg_(std::move(cfg)), store_(store), committer_(committer), admin_token_(std::move(admin_token)) {}

ClusterPlacement::~ClusterPlacement() { stop(); }

std::unique_ptr<Redis> ClusterPlacement::new_redis() const {
  const auto command_timeout = std::chrono::milliseconds(std::clamp(cfg_.lease_ttl_ms / 3, 100, 1000));
  return std::make_unique<Redis>(cfg_.redis, std::chrono::milliseconds(1000), command_timeout);
}

Status ClusterPlacement::start() {
  std::lock_guard control(control_mu_);
  {
    std::lock_guard l(jobs_mu_);
    if (started_) return Status::Ok();
  }
  if (cfg_.node_id.empty()) return Status::InvalidArgument("a cluster node needs a node id (--node-id)");
  if (cfg_.lease_ttl_ms < 30) return Status::InvalidArgument("the lease TTL must be at least 30 ms");
  if (!parse_http_url(cfg_.advertise))
    return Status::InvalidArgument("a cluster node needs the http://host:port other nodes reach it at (--advertise)");
  if (!parse_http_url(cfg_.entry))
    return Status::InvalidArgument("a cluster node needs the balancer's http://host:port (--cluster-entry)");
  control_ = new_redis();
  Status s = control_->connect();
  if (!s.ok()) return s;
  RedisReply r;
  s = control_->command({"PING"}, &r);
  if (s.ok() && r.text() != "PONG") s = Status::Unavailable("Redis at " + cfg_.redis + " answered PING with " + r.str);
  if (s.ok())
    s = control_->command({"SET", node_key(cfg_.node_id), cfg_.advertise, "PX", std::to_string(3 * cfg_.lease_ttl_ms)}, &r);
  if (s.ok()) s = control_->command({"HSET", "tandem:nodes", cfg_.node_id, cfg_.advertise}, &r);
  if (s.ok()) s = control_->command({"DEL", draining_key(cfg_.node_id)}, &r);
  if (!s.ok()) return s;
  draining_ = false;
  {
    std::lock_guard l(jobs_mu_);
    started_ = true;
    stopping_ = false;
  }
  for (int i = 0; i < kWorkers; ++i) workers_.emplace_back([this] { worker_loop(); });
  renewer_ = std::thread([this] { renew_loop(); });
  return Status::Ok();
}

void ClusterPlacement::stop() {
  {
    std::lock_guard l(jobs_mu_);
    stopping_ = true;
  }
  jobs_cv_.notify_all();
  stop_cv_.notify_all();
  for (auto& t : workers_)
    if (t.joinable()) t.join();
  workers_.clear();
  if (renewer_.joinable()) renewer_.join();
}

void ClusterPlacement::enqueue(Job job, std::function<void()> dropped) {
  {
    std::lock_guard l(jobs_mu_);
    if (started_ && !stopping_) {
      jobs_.emplace_back(std::move(job), std::move(dropped));
      jobs_cv_.notify_one();
      return;
    }
  }
  if (dropped) dropped();
}

// Runs queued jobs, each with this worker's own Redis connection; at stop, finishes
// what is queued (releases at shutdown still give their leases back).
void ClusterPlacement::worker_loop() {
  auto redis = new_redis();
  for (;;) {
    Job job;
    {
      std::unique_lock l(jobs_mu_);
      jobs_cv_.wait(l, [&] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      job = std::move(jobs_.front().first);
      jobs_.pop_front();
    }
    job(*redis);
  }
}

void ClusterPlacement::claim(const std::string& board_id, bool pull, ClaimDone done) {
  {
    std::lock_guard l(jobs_mu_);
    auto it = claiming_.find(board_id);
    if (it != claiming_.end()) {  // one claim of a board at a time: share its result
      it->second.push_back(std::move(done));
      return;
    }
    claiming_[board_id].push_back(std::move(done));
  }
  enqueue(
      [this, board_id, pull](Redis& redis) {
        std::function<void()> after;
        Claim c = do_claim(redis, board_id, pull, &after);
        finish_claim(board_id, c);
        if (after) after();
      },
      [this, board_id] { finish_claim(board_id, refuse(ClaimOutcome::kUnavailable, "this node is stopping")); });
}

void ClusterPlacement::finish_claim(const std::string& board_id, const Claim& claim) {
  std::vector<ClaimDone> waiting;
  {
    std::lock_guard l(jobs_mu_);
    auto it = claiming_.find(board_id);
    if (it == claiming_.end()) return;
    waiting = std::move(it->second);
    claiming_.erase(it);
  }
  for (auto& d : waiting) d(claim);
}

std::uint64_t ClusterPlacement::min_epoch(const std::string& board_id) {
  std::uint64_t fence = 0;
  Status s = store_.read_fence(board_id, &fence);
  if (!s.ok()) return 0;
  return fence + 1;
}

void ClusterPlacement::remember(const std::string& board_id, std::uint64_t epoch, Clock::time_point t0) {
  std::lock_guard l(leases_mu_);
  leases_[board_id] = Lease{epoch, t0 + ttl() - ttl() / 5};
}

// CLUSTER-2: take the lease when it is free and the data is here (or nowhere);
// otherwise pull the board from the node that has it (CLUSTER-4), or answer kMoved.
Claim ClusterPlacement::do_claim(Redis& redis, const std::string& board_id, bool pull, std::function<void()>* after) {
  // A draining node takes no board (CLUSTER-7), but still loads its own to hand them
  // over (pull false: the handover of a board that is not open here).
  if (draining_ && pull) return refuse(ClaimOutcome::kMoved, "this node is draining");
  const std::uint64_t min = min_epoch(board_id);
  if (min == 0) return refuse(ClaimOutcome::kUnavailable, "the board's storage cannot be read here");
  const auto t0 = Clock::now();  // before the lease is taken: its deadline here runs from then
  RedisReply r;
  Status s = redis.eval(scripts::kAcquire, {lease_key(board_id), home_key(board_id), epoch_key(board_id)},
                        {cfg_.node_id, std::to_string(cfg_.lease_ttl_ms), std::to_string(min)}, &r);
  if (!s.ok() || r.type != RedisReply::Type::kArray || r.elements.size() < 2) {
    static log::Limiter limiter(1, 5);  // each client's retry claims again (OPS-3)
    log::limited(limiter, log::Level::kWarn, log::Fields().board(board_id), "cluster: claim failed: %s",
              s.ok() ? r.str.c_str() : s.message().c_str());
    return refuse(ClaimOutcome::kUnavailable, "the placement store does not answer");
  }
  const std::string tag = r.elements[0].text();
  if (tag == "owned") {
    const std::uint64_t epoch = to_u64(r.elements[1].text());
    remember(board_id, epoch, t0);
    Claim c;
    c.epoch = epoch;
    return c;
  }
  const std::string node = r.elements[1].text();
  const std::uint64_t seen = tag == "held" && r.elements.size() > 2 ? to_u64(r.elements[2].text()) : 0;
  if (!pull || node.empty()) return refuse(ClaimOutcome::kMoved, "the board is served by another node");
  return pull_board(redis, board_id, node, seen, after);
}

Status ClusterPlacement::write_shipment(const std::string& board_id, std::vector<storage::Write> writes) {
  committer_.clear_poison(board_id);  // the board is replaced whole: an old failed write no longer matters
  std::promise<Status> written;
  auto result = written.get_future();
  committer_.submit(board_id, std::move(writes), [&written](const Status& st) { written.set_value(st); });
  return result.get();
}

// CLUSTER-4: the node that has the board stops accepting and ships it; the shipment is
// written here, then the lease and home move in one script, only if that node still
// holds them (else someone else moved it meanwhile and the copy here is dropped).
Claim ClusterPlacement::pull_board(Redis& redis, const std::string& board_id, const std::string& node,
                                   std::uint64_t seen_epoch, std::function<void()>* after) {
  RedisReply r;
  Status s = redis.command({"GET", node_key(node)}, &r);
  if (!s.ok()) return refuse(ClaimOutcome::kUnavailable, "the placement store does not answer");
  if (r.is_nil() || r.text().empty()) return refuse(ClaimOutcome::kUnavailable, "the board's node is down");
  const std::string url = r.text();

  HttpCall call;
  call.base_url = url;
  call.method = "POST";
  call.target = "/api/boards/" + url_encode(board_id) + "/handover?to=" + url_encode(cfg_.node_id);
  call.bearer = admin_token_;
  call.timeout = kHandoverTimeout;
  HttpCallResult answer = http_call(call);
  if (answer.status != 200) {
    static log::Limiter limiter(1, 5);  // each client's retry claims again (OPS-3)
    log::limited(limiter, log::Level::kWarn, log::Fields().board(board_id), "cluster: handover from %s failed: %s", node.c_str(),
              answer.status ? ("HTTP " + std::to_string(answer.status)).c_str() : answer.error.c_str());
    return refuse(ClaimOutcome::kUnavailable, "the board's node did not hand it over");
  }
  v1::BoardShipment shipment;
  if (!shipment.ParseFromString(answer.body) || shipment.board_id() != board_id)
    return refuse(ClaimOutcome::kUnavailable, "the board's node sent a bad shipment");
  std::vector<storage::Write> writes = storage::wipe_board_writes(board_id);
  for (const auto& k : shipment.keys()) {
    if (k.cf() >= static_cast<std::uint32_t>(storage::kCfCount))
      return refuse(ClaimOutcome::kUnavailable, "the board's node sent a bad shipment");
    writes.push_back({static_cast<storage::Cf>(k.cf()), k.key(), k.value()});
  }
  s = write_shipment(board_id, std::move(writes));
  if (!s.ok()) return refuse(ClaimOutcome::kUnavailable, "the board could not be written here");

  const std::uint64_t from_epoch = shipment.epoch() ? shipment.epoch() : seen_epoch;
  const std::uint64_t min = std::max(min_epoch(board_id), from_epoch + 1);
  const auto t0 = Clock::now();
  s = redis.eval(scripts::kTransfer, {lease_key(board_id), home_key(board_id), epoch_key(board_id)},
                 {node, std::to_string(from_epoch), cfg_.node_id, std::to_string(cfg_.lease_ttl_ms), std::to_string(min)},
                 &r);
  const std::uint64_t epoch = s.ok() && r.type == RedisReply::Type::kInteger ? static_cast<std::uint64_t>(r.integer) : 0;
  if (epoch == 0) {
    write_shipment(board_id, storage::wipe_board_writes(board_id)).ignore_error();  // not ours: no stale copy
    return refuse(ClaimOutcome::kUnavailable, s.ok() ? "the board moved meanwhile" : "the placement store does not answer");
  }
  remember(board_id, epoch, t0);
  *after = [this, url, board_id, epoch] {  // best effort: the old node wipes its copy and closes the board
    HttpCall done;
    done.base_url = url;
    done.method = "POST";
    done.target = "/api/boards/" + url_encode(board_id) + "/handover/done?epoch=" + std::to_string(epoch);
    done.bearer = admin_token_;
    done.timeout = kDoneTimeout;
    HttpCallResult res = http_call(done);
    if (res.status != 200)
      log::line(log::Level::kWarn, log::Fields().board(board_id), "cluster: handover/done not answered: %s",
                res.status ? ("HTTP " + std::to_string(res.status)).c_str() : res.error.c_str());
  };
  Claim c;
  c.epoch = epoch;
  return c;
}

bool ClusterPlacement::holds(const std::string& board_id, std::uint64_t epoch) const {
  std::lock_guard l(leases_mu_);
  auto it = leases_.find(board_id);
  return it != leases_.end() && it->second.epoch == epoch && Clock::now() < it->second.deadline;
}

void ClusterPlacement::release(const std::string& board_id, std::uint64_t epoch, bool exists) {
  {
    std::lock_guard l(leases_mu_);
    auto it = leases_.find(board_id);
    if (it != leases_.end() && it->second.epoch == epoch) leases_.erase(it);
  }
  enqueue([this, board_id, epoch, exists](Redis& redis) { do_release(redis, board_id, epoch, exists); }, {});
}

void ClusterPlacement::do_release(Redis& redis, const std::string& board_id, std::uint64_t epoch, bool exists) {
  RedisReply r;
  Status s = redis.eval(scripts::kRelease, {lease_key(board_id), home_key(board_id)},
                        {cfg_.node_id, std::to_string(epoch), exists ? "0" : "1"}, &r);
  if (!s.ok() || r.is_error())  // the lease runs out by itself
    log::line(log::Level::kWarn, log::Fields().board(board_id), "cluster: release failed: %s",
              s.ok() ? r.str.c_str() : s.message().c_str());
}

// CLUSTER-3: every ttl/3, all held leases pushed back in one script call. The deadline
// here runs from a time taken before the call, less a fifth of the TTL.
void ClusterPlacement::renew_loop() {
  auto redis = new_redis();
  const auto period = ttl() / 3;
  std::unique_lock l(jobs_mu_);
  while (!stop_cv_.wait_for(l, period, [&] { return stopping_; })) {
    l.unlock();
    renew_once(*redis);
    l.lock();
  }
}

void ClusterPlacement::renew_once(Redis& redis) {
  std::vector<std::pair<std::string, std::uint64_t>> held;
  {
    std::lock_guard l(leases_mu_);
    for (const auto& [board, lease] : leases_) held.emplace_back(board, lease.epoch);
  }
  const auto t0 = Clock::now();
  RedisReply r;
  Status s = redis.command({"SET", node_key(cfg_.node_id), cfg_.advertise, "PX", std::to_string(3 * cfg_.lease_ttl_ms)}, &r);
  if (!s.ok()) return;  // Redis away: nothing is renewed, leases run out here (the safe failure)
  if (held.empty()) return;
  std::vector<std::string> keys, args = {cfg_.node_id, std::to_string(cfg_.lease_ttl_ms)};
  for (const auto& [board, epoch] : held) {
    keys.push_back(lease_key(board));
    args.push_back(std::to_string(epoch));
  }
  s = redis.eval(scripts::kRenew, keys, args, &r);
  if (!s.ok() || r.type != RedisReply::Type::kArray || r.elements.size() != held.size()) return;
  std::lock_guard l(leases_mu_);
  for (std::size_t i = 0; i < held.size(); ++i) {
    auto it = leases_.find(held[i].first);
    if (it == leases_.end() || it->second.epoch != held[i].second) continue;
    if (r.elements[i].integer == 1)
      it->second.deadline = t0 + ttl() - ttl() / 5;
    else
      leases_.erase(it);  // lost: the Board sees holds() false at its next write
  }
}

void ClusterPlacement::set_draining(bool on) {
  draining_ = on;
  std::lock_guard control(control_mu_);
  if (!control_) return;
  RedisReply r;
  Status s = on ? control_->command({"SET", draining_key(cfg_.node_id), "1"}, &r)
                : control_->command({"DEL", draining_key(cfg_.node_id)}, &r);
  if (!s.ok()) log::line(log::Level::kWarn, "cluster: cannot record the draining flag: %s", s.message().c_str());
}

}  // namespace tandem::cluster
