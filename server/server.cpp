#include "server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>

#include <cstdio>
#include <future>
#include <optional>

#include "cluster/cluster_placement.hpp"
#include "log.hpp"
#include "net/listener.hpp"
#include "access/secret.hpp"
#include "model/schema.hpp"
#include "server_context.hpp"
#include "storage/group_committer.hpp"
#include "storage/store.hpp"

namespace tandem {

namespace net = boost::asio;

namespace {

// Each group commit: its latency and size into the histograms, and a line when the
// log fails to write and when writes resume (docs/OPERATIONS.md; storage thread).
storage::GroupCommitter::BatchObserver batch_observer(Metrics& metrics) {
  return [&metrics, failed = std::uint64_t{0}](std::size_t requests, std::uint64_t ns, const Status& s) mutable {
    metrics.flush_ns.observe(ns);
    metrics.batch_changes.observe(requests);
    if (!s.ok()) {
      static log::Limiter limiter(1, 5);  // a full disk fails every retry
      if (failed++ == 0) log::line(log::Level::kError, "storage: a log write failed: %s", s.to_string().c_str());
      else log::limited(limiter, log::Level::kError, "storage: a log write failed again (%llu in a row): %s",
                        static_cast<unsigned long long>(failed), s.to_string().c_str());
    } else if (failed) {
      log::line(log::Level::kInfo, "storage: log writes resumed after %llu failed batches",
                static_cast<unsigned long long>(failed));
      failed = 0;
    }
  };
}

}  // namespace

struct Server::Impl {
  explicit Impl(const ServerConfig& cfg)
      : ioc(std::make_unique<net::io_context>(threads_for(cfg))), schema(cfg.board.schema) {}
  // Network threads. Default chosen by measurement (docs/PERFORMANCE.md, "A lean op path"):
  // on 2 cores one network thread costs less CPU per op and per delivery than two, at the
  // same or better throughput: the storage thread, the kernel's loopback/TCP work and the
  // clients need the other core, and one thread never wakes or locks against a second one.
  // Above 2 cores: one per core, but one left to the storage thread and the kernel.
  static int threads_for(const ServerConfig& cfg) {
    if (cfg.threads > 0) return cfg.threads;
    const unsigned n = std::thread::hardware_concurrency();
    return n <= 2 ? 1 : static_cast<int>(n - 1);
  }

  std::unique_ptr<net::io_context> ioc;  // reset in shutdown, before what its handlers use
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  net::thread_pool blocking{1};
  model::Schema schema;
  Metrics metrics;
  std::unique_ptr<Authorizer> auth;  // made in start(), from the data folder's secret
  SessionRegistry sessions;
  SingleNodePlacement placement;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<storage::GroupCommitter> committer;
  // A node of a cluster (cluster.redis set; SPEC CLUSTER-*): its placement, made after
  // the store and committer it writes shipments with, gone after the boards using it.
  std::unique_ptr<cluster::ClusterPlacement> cluster;
  net::thread_pool cluster_jobs{2};  // drains, board listings (ServerContext::cluster_jobs)
  std::unique_ptr<BoardDirectory> boards;
  std::unique_ptr<ServerContext> ctx;
  std::shared_ptr<Listener> listener;
  std::vector<std::thread> threads;
  bool stopped = false;
};

Server::Server(ServerConfig config) : config_(std::move(config)), impl_(std::make_unique<Impl>(config_)) {}

Server::~Server() { shutdown(); }

Status Server::start() {
  Impl& m = *impl_;
  log::route_protobuf();  // a client's bad bytes must not flood the log (server/log.hpp)
  access::Secret secret;
  bool created = false;
  Status s = access::load_or_create_secret(config_.data_dir, &secret, &created);
  if (!s.ok()) return s;
  m.auth = std::make_unique<Authorizer>(secret, config_.create_boards);
  if (created && config_.create_boards == CreatePolicy::kAdmin)
    std::printf("Board creation needs this admin token (shown once; `tandem admin-token` shows it again):\n  %s\n",
                m.auth->admin_token().c_str());
  s = storage::Store::open(config_.data_dir / "db", &m.store, config_.storage_env);
  if (!s.ok()) return s;
  m.committer = std::make_unique<storage::GroupCommitter>(*m.store, config_.durability, batch_observer(m.metrics));
  Placement* placement = &m.placement;
  if (!config_.cluster.redis.empty()) {  // before the listener: every claim needs it (CLUSTER-2)
    m.cluster = std::make_unique<cluster::ClusterPlacement>(config_.cluster, *m.store, *m.committer,
                                                            m.auth->admin_token());
    s = m.cluster->start();
    if (!s.ok()) return s;
    placement = m.cluster.get();
  }
  Board::Deps deps{*m.store, *m.committer, m.blocking, m.schema, config_.board, m.metrics, &m.auth->tokens()};
  m.boards = std::make_unique<BoardDirectory>(m.ioc->get_executor(), deps, *placement);
  m.ctx = std::unique_ptr<ServerContext>(
      new ServerContext{config_, *m.boards, *m.auth, m.metrics, m.sessions, *m.committer});
  m.ctx->store = m.store.get();
  m.ctx->cluster = m.cluster.get();
  m.ctx->cluster_jobs = &m.cluster_jobs;
  m.listener = std::make_shared<Listener>(*m.ioc, *m.ctx);
  boost::system::error_code ec;
  auto address = net::ip::make_address(config_.address, ec);
  if (ec) return Status::InvalidArgument("bad address " + config_.address);
  s = m.listener->bind({address, config_.port});
  if (!s.ok()) return s;
  m.listener->run();
  m.work.emplace(m.ioc->get_executor());
  const int n = Impl::threads_for(config_);
  for (int i = 0; i < n; ++i) m.threads.emplace_back([&m] { m.ioc->run(); });
  return Status::Ok();
}

std::optional<std::string> Server::create_board(const std::string& id, v1::BoardMeta meta,
                                               const std::string& owner_name) {
  Impl& m = *impl_;
  auto board = m.boards ? m.boards->find_or_open(id) : nullptr;
  if (!board || model::check_new_board(meta)) return std::nullopt;
  AdminRequest req{AdminRequest::Kind::kCreate};
  req.meta = std::move(meta);
  std::promise<int> status;
  board->admin(std::move(req), [&status](AdminResult r) { status.set_value(r.status); });
  if (status.get_future().get() != 201) return std::nullopt;
  return member_token(id, v1::ROLE_OWNER, owner_name);
}

std::string Server::member_token(const std::string& board_id, v1::Role role, const std::string& name,
                                 const std::string& member_id) const {
  v1::TokenClaims c;
  c.set_kind(v1::TOKEN_KIND_MEMBER);
  c.set_board_id(board_id);
  c.set_role(role);
  c.set_member_id(member_id.empty() ? access::random_id() : member_id);
  c.set_name(name);
  return impl_->auth->tokens().sign(c);
}

std::uint16_t Server::port() const { return impl_->listener ? impl_->listener->port() : 0; }

void Server::shutdown() {
  Impl& m = *impl_;
  if (m.stopped) return;
  m.stopped = true;
  if (m.ctx) m.ctx->stopping.store(true);  // /readyz answers 503 from here on
  if (m.listener) m.listener->stop();
  if (!m.threads.empty()) {
    m.sessions.close_all(1001, "server shutting down");
    if (!m.sessions.wait_empty(std::chrono::milliseconds(config_.shutdown_grace_ms)))
      log::line(log::Level::kWarn, "%zu sessions did not close in time", m.sessions.size());
  }
  if (m.committer) m.committer->stop();  // writes what is queued
  m.blocking.join();
  m.work.reset();
  m.ioc->stop();
  for (auto& t : m.threads) t.join();
  m.threads.clear();
  m.listener.reset();
  m.boards.reset();
  // The boards are closed: their leases lapse (a drain still running ends at its deadline).
  if (m.cluster) m.cluster->stop();
  m.cluster_jobs.join();
  // Destroys the handlers still queued (and the sessions and boards they hold)
  // while the context, committer and store they use are still alive.
  m.ioc.reset();
  m.cluster.reset();
  m.committer.reset();
  m.store.reset();
}

void Server::run_until_signal() {
  int sig = 0;
  {
    std::promise<int> got;
    auto done = got.get_future();
    net::signal_set signals(*impl_->ioc, SIGINT, SIGTERM);
    signals.async_wait([&got](const boost::system::error_code& ec, int s) { got.set_value(ec ? 0 : s); });
    sig = done.get();
  }
  log::line(log::Level::kInfo, "signal %d: shutting down", sig);
  shutdown();
}

}  // namespace tandem
