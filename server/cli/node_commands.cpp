// tandem node drain|undrain|status: a node of a cluster, through its HTTP API
// (server/net/http_cluster.hpp, SPEC CLUSTER-7, docs/CLUSTER.md), with the admin token.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/admin_commands.hpp"
#include "cli/command_util.hpp"

namespace tandem::cli {

namespace {

void print_status(const boost::json::object& o) {
  const boost::json::value* d = o.if_contains("draining");
  std::printf("node %s: %s, %lld boards open\n", text(o, "node").c_str(),
              d && d->is_bool() && d->as_bool() ? "draining" : "serving",
              static_cast<long long>(integer(o, "open_boards")));
}

}  // namespace

void add_node_commands(CLI::App& app, const Remote& remote) {
  CLI::App* node = app.add_subcommand("node", "a node of a cluster (--server: that node's own URL)");
  node->require_subcommand(1);

  CLI::App* drain = node->add_subcommand(
      "drain", "hand every board of the node to the others (it stops taking boards); exit 1 if some are left");
  drain->callback([&remote] {
    boost::json::object o = expect_ok(call(remote, "POST", "/api/cluster/drain"));
    std::printf("moved %lld boards\n", static_cast<long long>(integer(o, "moved")));
    const boost::json::value* left = o.if_contains("left");
    std::size_t n = left && left->is_array() ? left->as_array().size() : 0;
    if (n == 0) return;
    std::printf("left on %s (%zu):\n", text(o, "node").c_str(), n);
    for (const auto& b : left->as_array())
      if (b.is_string()) std::printf("  %s\n", std::string(b.as_string()).c_str());
    fail(1, "node drain: " + std::to_string(n) + " boards are still on the node");
  });

  CLI::App* undrain = node->add_subcommand("undrain", "let the node take boards again");
  undrain->callback([&remote] { print_status(expect_ok(call(remote, "POST", "/api/cluster/undrain"))); });

  CLI::App* status = node->add_subcommand("status", "the node's name, whether it drains, its open boards");
  status->callback([&remote] { print_status(expect_ok(call(remote, "GET", "/api/cluster"))); });
}

}  // namespace tandem::cli
