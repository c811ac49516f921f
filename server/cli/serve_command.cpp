#include "cli/serve_command.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>

namespace tandem::cli {

namespace {

// A whole integer in [min, max]; the message says what the flag accepts.
CLI::Validator integer(long long min, long long max, const std::string& what) {
  const std::string desc = what + ", " + std::to_string(min) + ".." + std::to_string(max);
  return CLI::Validator(
      [min, max, desc](std::string& v) -> std::string {
        long long n = 0;
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (v.empty() || ec != std::errc() || end != v.data() + v.size() || n < min || n > max)
          return "'" + v + "' is not " + desc;
        return "";
      },
      "", "integer");
}

// A number in [min, max].
CLI::Validator number(double min, double max, const std::string& desc) {
  return CLI::Validator(
      [min, max, desc](std::string& v) -> std::string {
        char* end = nullptr;
        const double n = std::strtod(v.c_str(), &end);
        if (v.empty() || *end || !std::isfinite(n) || n < min || n > max) return "'" + v + "' is not " + desc;
        return "";
      },
      "", "number");
}

// One of `names`.
CLI::Validator one_of(std::vector<std::string> names) {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  return CLI::Validator(
      [names, list](std::string& v) -> std::string {
        if (std::find(names.begin(), names.end(), v) != names.end()) return "";
        return "'" + v + "' is not one of: " + list;
      },
      "", "choice");
}

std::string env_name(const std::string& flag) {
  std::string e = "TANDEM_";
  for (char c : flag) e.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return e;
}

// --flag with its environment variable and group.
template <typename T>
CLI::Option* flag(CLI::App& app, const std::string& name, T& var, const std::string& help, const char* group) {
  return app.add_option("--" + name, var, help)->envname(env_name(name))->group(group);
}

}  // namespace

CLI::App* add_serve_command(CLI::App& app, ServeSettings& s) {
  CLI::App* serve = app.add_subcommand("serve", "run the server (the default when no command is given)");
  serve->option_defaults()->always_capture_default();
  ServerConfig& c = s.config;
  const char* net = "Network";
  const char* store = "Storage";
  const char* limits = "Limits";
  const char* logging = "Logging";
  const char* metrics = "Metrics";

  flag(*serve, "port", c.port, "HTTP/WebSocket port (0: any free port, printed at start)", net)
      ->check(integer(0, 65535, "a port number"))
      ->type_name("PORT");
  flag(*serve, "address", c.address, "address to listen on (0.0.0.0: every interface)", net)
      ->type_name("ADDR");
  flag(*serve, "threads", c.threads, "network threads (0: 1 on up to 2 cores, else cores - 1)", net)
      ->check(integer(0, 256, "a number of threads"))
      ->type_name("N");
  flag(*serve, "web-root", s.web_root, "the built web client served at / (default: web-client/dist if present)", net)
      ->always_capture_default(false)
      ->type_name("DIR");
  flag(*serve, "create-boards", s.create_boards,
       "who may create boards: anyone who reaches the server, or holders of the admin token "
       "(`tandem admin-token`)", net)
      ->check(one_of({"anyone", "admin"}))
      ->type_name("anyone|admin");

  flag(*serve, "trusted-proxy", c.trusted_proxies,
       "a proxy in front whose X-Forwarded-For names the client, for the per-address cap (repeatable)", net)
      ->always_capture_default(false)
      ->delimiter(',')
      ->type_name("ADDR");

  flag(*serve, "data", s.data_dir, "data folder: the RocksDB database and the signing secret", store)
      ->type_name("DIR");
  flag(*serve, "durability", s.durability,
       "sync: fsync the log before acking; wal: write the log without fsync (survives a killed "
       "process, not a power loss)", store)
      ->check(one_of({"sync", "wal"}))
      ->type_name("sync|wal");
  flag(*serve, "snapshot-every", c.board.snapshot_every_changes, "a board snapshot with every Nth change", store)
      ->check(integer(1, 1LL << 40, "a number of changes"))
      ->type_name("N");
  flag(*serve, "snapshot-every-s", s.snapshot_every_s,
       "or with the first change N seconds after the last snapshot (0: by count only)", store)
      ->check(integer(0, 1LL << 30, "a number of seconds"))
      ->type_name("SECONDS");
  flag(*serve, "log-retention", c.board.log_retention_changes,
       "0: keep the whole log (history, replay); N: a new snapshot trims the log before the newest "
       "snapshot at least N changes older (LOG-3; keep N >= 2000, the catch-up window)", store)
      ->check(integer(0, 1LL << 40, "a number of changes"))
      ->type_name("N");

  flag(*serve, "presence-tick-ms", c.board.presence_tick_ms, "how often a board sends what presence changed (PRES-4)",
       limits)
      ->check(integer(5, 1000, "a number of milliseconds"))
      ->type_name("MS");
  flag(*serve, "welcome-part-bytes", c.board.welcome_part_bytes,
       "a joiner's snapshot goes in frames of about this size (JOIN-8)", limits)
      ->check(integer(1024, 16 << 20, "a number of bytes"))
      ->type_name("BYTES");
  flag(*serve, "request-timeout-ms", c.request_timeout_ms,
       "an HTTP request or WebSocket upgrade arrives whole within this (LIMIT-2)", limits)
      ->check(integer(100, 600000, "a number of milliseconds"))
      ->type_name("MS");
  flag(*serve, "max-connections-per-address", c.max_connections_per_address,
       "WebSockets from one client address; more get HTTP 429 (LIMIT-1)", limits)
      ->check(integer(1, 1 << 20, "a number of connections"))
      ->type_name("N");
  flag(*serve, "rate-per-second", c.rate_per_second, "messages a second per connection (0: no limit; RATE-1)", limits)
      ->check(number(0, 1e9, "a number, 0..1e9"))
      ->type_name("N");
  flag(*serve, "rate-burst", c.rate_burst, "the bucket --rate-per-second refills (RATE-1)", limits)
      ->check(number(1, 1e9, "a number, 1..1e9"))
      ->type_name("N");

  flag(*serve, "log-level", s.log_level, "the least level written", logging)
      ->check(one_of({"debug", "info", "warn", "error"}))
      ->type_name("debug|info|warn|error");
  serve->add_flag("--log-json", s.log.json, "write the log as JSON lines (one object a line)")
      ->envname(env_name("log-json"))
      ->group(logging);

  flag(*serve, "metrics-allow", s.metrics_allow,
       "a peer address that may read /metrics (repeatable; '*': any address)", metrics)
      ->default_str("127.0.0.1,::1")
      ->delimiter(',')
      ->type_name("ADDR");
  flag(*serve, "metrics-token", c.metrics_token, "a bearer token that may read /metrics from any address", metrics)
      ->always_capture_default(false)
      ->type_name("TOKEN");

  const char* cluster = "Cluster";  // several nodes behind a balancer (docs/CLUSTER.md, SPEC CLUSTER-*)
  flag(*serve, "redis", c.cluster.redis, "the Redis holding board leases (HOST:PORT); unset: a single node", cluster)
      ->always_capture_default(false)
      ->type_name("HOST:PORT");
  flag(*serve, "node-id", c.cluster.node_id, "this node's name, unique in the cluster, kept across restarts", cluster)
      ->always_capture_default(false)
      ->type_name("NAME");
  flag(*serve, "advertise", c.cluster.advertise, "the URL other nodes reach this one at (http://host:port)", cluster)
      ->always_capture_default(false)
      ->type_name("URL");
  flag(*serve, "cluster-entry", c.cluster.entry, "the balancer's URL: drains and promotes go through it", cluster)
      ->always_capture_default(false)
      ->type_name("URL");
  flag(*serve, "lease-ttl-ms", c.cluster.lease_ttl_ms,
       "a board's lease lapses this long after its last renewal (renewed every third; CLUSTER-2)", cluster)
      ->check(integer(300, 600000, "a number of milliseconds"))
      ->type_name("MS");

  serve->add_option("--config", s.config_file,
                    "a TOML/INI file of these flags (key = value, names without --); flags and the "
                    "environment win over it")
      ->envname("TANDEM_CONFIG")
      ->type_name("FILE")
      ->group("Config");
  serve->footer(
      "Every flag also from the environment: TANDEM_ and its name in capitals, '-' as '_' (TANDEM_PORT).\n"
      "Precedence: flag > environment > config file > default.");
  return serve;
}

std::vector<std::string> config_file_args(CLI::App& serve, const std::string& config_file) {
  if (!std::filesystem::is_regular_file(config_file)) throw CLI::FileError("--config: cannot read " + config_file);
  std::vector<CLI::ConfigItem> items = CLI::ConfigTOML().from_file(config_file);
  std::vector<std::string> args;
  for (const CLI::ConfigItem& item : items) {
    if (item.name == "++" || item.name == "--") continue;  // section markers
    if (!item.parents.empty() && !(item.parents.size() == 1 && item.parents[0] == "serve"))
      throw CLI::ValidationError("--config", config_file + ": unknown section [" + item.parents[0] + "]");
    std::string name = item.name;
    std::replace(name.begin(), name.end(), '_', '-');
    CLI::Option* opt = name == "config" ? nullptr : serve.get_option_no_throw("--" + name);
    if (!opt) throw CLI::ValidationError("--config", config_file + ": '" + item.name + "' names no flag of tandem serve");
    if (opt->count() > 0) continue;  // the command line or the environment set it
    for (const std::string& v : item.inputs) args.push_back("--" + name + "=" + v);
  }
  return args;
}

namespace {

// "host:port" with a port 1..65535.
bool host_port(const std::string& v) {
  const auto colon = v.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  int port = 0;
  auto [end, ec] = std::from_chars(v.data() + colon + 1, v.data() + v.size(), port);
  return ec == std::errc() && end == v.data() + v.size() && port > 0 && port < 65536;
}

bool http_url(const std::string& v) { return v.rfind("http://", 0) == 0 && v.size() > 7; }

}  // namespace

void check_serve_settings(const ServeSettings& s) {
  const ClusterConfig& k = s.config.cluster;
  if (k.redis.empty()) {
    if (!k.node_id.empty() || !k.advertise.empty() || !k.entry.empty())
      throw CLI::ValidationError("--node-id, --advertise and --cluster-entry need --redis");
    return;
  }
  if (!host_port(k.redis)) throw CLI::ValidationError("--redis: '" + k.redis + "' is not HOST:PORT");
  if (k.node_id.empty() || k.advertise.empty() || k.entry.empty())
    throw CLI::ValidationError("--redis needs --node-id, --advertise and --cluster-entry too");
  if (k.node_id.size() > 64 || k.node_id.find_first_of(": /") != std::string::npos)
    throw CLI::ValidationError("--node-id: 1-64 characters, no ':', ' ' or '/'");
  if (!http_url(k.advertise)) throw CLI::ValidationError("--advertise: '" + k.advertise + "' is not an http:// URL");
  if (!http_url(k.entry)) throw CLI::ValidationError("--cluster-entry: '" + k.entry + "' is not an http:// URL");
}

void finish_serve_settings(ServeSettings& s) {
  ServerConfig& c = s.config;
  c.durability = *storage::parse_durability(s.durability);
  c.create_boards = s.create_boards == "admin" ? CreatePolicy::kAdmin : CreatePolicy::kAnyone;
  c.board.snapshot_every_ms = s.snapshot_every_s * 1000;
  if (!s.metrics_allow.empty()) {
    c.metrics_allow = s.metrics_allow;
    if (std::find(s.metrics_allow.begin(), s.metrics_allow.end(), "*") != s.metrics_allow.end())
      c.metrics_allow.clear();  // empty: any address (config.hpp)
  }
  s.log.level = s.log_level == "debug" ? log::Level::kDebug
              : s.log_level == "warn"  ? log::Level::kWarn
              : s.log_level == "error" ? log::Level::kError
                                       : log::Level::kInfo;
  c.data_dir = s.data_dir;
  if (!s.web_root.empty()) c.web_root = s.web_root;
  else if (std::filesystem::exists("web-client/dist/index.html")) c.web_root = "web-client/dist";
}

}  // namespace tandem::cli
