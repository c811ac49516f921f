// tandem: the board server binary. See README.md and `tandem --help`.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <cstdlib>
#include <cstring>
#include <string>

#include "access/secret.hpp"
#include "server.hpp"

namespace {

void usage() {
  std::printf(
      "usage: tandem [--port N] [--address A] [--data DIR] [--durability sync|wal]\n"
      "              [--threads N] [--web-root DIR] [--create-boards anyone|admin]\n"
      "              [--presence-tick-ms N] [--welcome-part-bytes N]\n"
      "              [--request-timeout-ms N] [--rate-per-second N] [--rate-burst N]\n"
      "              [--snapshot-every N] [--snapshot-every-s N] [--log-retention N]\n"
      "       tandem owner-link BOARD_ID [--data DIR]   an owner invite link for a board\n"
      "       tandem admin-token [--data DIR]           the token that creates boards\n"
      "  --port        HTTP/WebSocket port (default 8080)\n"
      "  --address     address to listen on (default 127.0.0.1)\n"
      "  --data        data folder, holds the RocksDB database (default ./data)\n"
      "  --durability  sync: fsync the log before acking (default); wal: write the\n"
      "                log without fsync (survives a killed process, not power loss)\n"
      "  --threads     network threads (default: 1 on up to 2 cores, else cores - 1)\n"
      "  --web-root    built web client to serve at / (default: web-client/dist if present)\n"
      "  --create-boards  who may create boards: anyone who reaches the server (default)\n"
      "                or holders of the admin token\n"
      "  --presence-tick-ms  how often a board sends what presence changed (default 30,\n"
      "                5..1000; PRES-4)\n"
      "  --welcome-part-bytes  a joiner's snapshot goes in frames of about this size\n"
      "                (default 262144, 1024..16777216; JOIN-8)\n"
      "  --snapshot-every  a board snapshot with every Nth change (default 1000)\n"
      "  --snapshot-every-s  or with the first change N seconds after the last one\n"
      "                (default 300; 0: by count only)\n"
      "  --log-retention  0: keep the whole log and every snapshot (default); N: a new\n"
      "                snapshot trims the log and snapshots before the newest snapshot at\n"
      "                least N changes older (LOG-3; keep N >= 2000, the catch-up window)\n"
      "  --request-timeout-ms  an HTTP request or WebSocket upgrade arrives whole within\n"
      "                this (default 5000, 100..600000; LIMIT-2)\n"
      "  --rate-per-second  messages a second per connection, refilling a bucket of\n"
      "                --rate-burst (defaults 200 and 2000; 0 = no limit; RATE-1)\n");
}

// `tandem owner-link` and `tandem admin-token`: sign with the data folder's secret
// (docs/SECURITY.md). Neither needs the server to be stopped.
int token_command(const std::string& cmd, int argc, char** argv) {
  std::string data = "./data", board;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--data" && i + 1 < argc) data = argv[++i];
    else if (board.empty() && a.rfind("--", 0) != 0) board = a;
    else {
      std::fprintf(stderr, "tandem %s: unexpected %s\n", cmd.c_str(), a.c_str());
      return 2;
    }
  }
  if (!std::filesystem::exists(std::filesystem::path(data) / "secret")) {
    std::fprintf(stderr, "tandem %s: no secret in %s (start the server on it once)\n", cmd.c_str(), data.c_str());
    return 2;
  }
  tandem::access::Secret secret;
  bool created = false;
  tandem::Status s = tandem::access::load_or_create_secret(data, &secret, &created);
  if (!s.ok()) {
    std::fprintf(stderr, "tandem %s: %s\n", cmd.c_str(), s.to_string().c_str());
    return 1;
  }
  tandem::Authorizer auth(secret, tandem::CreatePolicy::kAdmin);
  if (cmd == "admin-token") {
    std::printf("%s\n", auth.admin_token().c_str());
    return 0;
  }
  if (board.empty()) {
    std::fprintf(stderr, "tandem owner-link: which board? (tandem owner-link BOARD_ID)\n");
    return 2;
  }
  tandem::v1::TokenClaims c;
  c.set_kind(tandem::v1::TOKEN_KIND_INVITE);
  c.set_board_id(board);
  c.set_role(tandem::v1::ROLE_OWNER);
  c.set_nonce(tandem::access::random_id());
  c.set_issued_ms(std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count());
  std::printf("/b/%s?invite=%s\n", board.c_str(), auth.tokens().sign(c).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && (std::string(argv[1]) == "owner-link" || std::string(argv[1]) == "admin-token"))
    return token_command(argv[1], argc, argv);
  tandem::ServerConfig cfg;
  bool web_root_set = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "tandem: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      usage();
      return 0;
    } else if (a == "--port") {
      cfg.port = static_cast<std::uint16_t>(std::stoi(value()));
    } else if (a == "--address") {
      cfg.address = value();
    } else if (a == "--data") {
      cfg.data_dir = value();
    } else if (a == "--durability") {
      auto d = tandem::storage::parse_durability(value());
      if (!d) {
        std::fprintf(stderr, "tandem: --durability is sync or wal\n");
        return 2;
      }
      cfg.durability = *d;
    } else if (a == "--threads") {
      cfg.threads = std::stoi(value());
    } else if (a == "--create-boards") {
      std::string v = value();
      if (v != "anyone" && v != "admin") {
        std::fprintf(stderr, "tandem: --create-boards is anyone or admin\n");
        return 2;
      }
      cfg.create_boards = v == "admin" ? tandem::CreatePolicy::kAdmin : tandem::CreatePolicy::kAnyone;
    } else if (a == "--presence-tick-ms") {
      const std::string v = value();
      char* end = nullptr;
      const long ms = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end || ms < 5 || ms > 1000) {
        std::fprintf(stderr, "tandem: --presence-tick-ms is a number of milliseconds, 5..1000\n");
        return 2;
      }
      cfg.board.presence_tick_ms = static_cast<int>(ms);
    } else if (a == "--welcome-part-bytes") {
      const std::string v = value();
      char* end = nullptr;
      const long long n = std::strtoll(v.c_str(), &end, 10);
      if (v.empty() || *end || n < 1024 || n > (16 << 20)) {
        std::fprintf(stderr, "tandem: --welcome-part-bytes is a number of bytes, 1024..16777216\n");
        return 2;
      }
      cfg.board.welcome_part_bytes = static_cast<std::size_t>(n);
    } else if (a == "--snapshot-every" || a == "--snapshot-every-s" || a == "--log-retention") {
      const std::string v = value();
      char* end = nullptr;
      const long long n = std::strtoll(v.c_str(), &end, 10);
      const long long min = a == "--snapshot-every" ? 1 : 0;
      if (v.empty() || *end || n < min || n > (1LL << 40)) {
        std::fprintf(stderr, "tandem: %s is a number, at least %lld\n", a.c_str(), min);
        return 2;
      }
      const auto u = static_cast<std::uint64_t>(n);
      if (a == "--snapshot-every") cfg.board.snapshot_every_changes = u;
      else if (a == "--snapshot-every-s") cfg.board.snapshot_every_ms = u * 1000;
      else cfg.board.log_retention_changes = u;
    } else if (a == "--request-timeout-ms") {
      const std::string v = value();
      char* end = nullptr;
      const long ms = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end || ms < 100 || ms > 600000) {
        std::fprintf(stderr, "tandem: --request-timeout-ms is a number of milliseconds, 100..600000\n");
        return 2;
      }
      cfg.request_timeout_ms = static_cast<int>(ms);
    } else if (a == "--rate-per-second" || a == "--rate-burst") {
      const std::string v = value();
      char* end = nullptr;
      const double n = std::strtod(v.c_str(), &end);
      if (v.empty() || *end || !(n >= 0) || n > 1e9 || (a == "--rate-burst" && n < 1)) {
        std::fprintf(stderr, "tandem: %s is a number, 0..1e9 (a burst at least 1)\n", a.c_str());
        return 2;
      }
      (a == "--rate-burst" ? cfg.rate_burst : cfg.rate_per_second) = n;
    } else if (a == "--web-root") {
      cfg.web_root = value();
      web_root_set = true;
    } else {
      std::fprintf(stderr, "tandem: unknown option %s\n", a.c_str());
      usage();
      return 2;
    }
  }
  if (!web_root_set && std::filesystem::exists("web-client/dist/index.html")) cfg.web_root = "web-client/dist";

  tandem::Server server(cfg);
  tandem::Status s = server.start();
  if (!s.ok()) {
    std::fprintf(stderr, "tandem: cannot start: %s\n", s.to_string().c_str());
    return 1;
  }
  std::string host = cfg.address == "0.0.0.0" ? "127.0.0.1" : cfg.address;
  std::printf("Tandem is running: open http://%s:%u/  (data: %s, durability: %s)\n", host.c_str(),
              static_cast<unsigned>(server.port()), cfg.data_dir.string().c_str(),
              tandem::storage::durability_name(cfg.durability));
  std::fflush(stdout);
  server.run_until_signal();
  return 0;
}
