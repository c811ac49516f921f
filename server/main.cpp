// tandem: the board server binary. See README.md and `tandem --help`.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "server.hpp"

namespace {

void usage() {
  std::printf(
      "usage: tandem [--port N] [--address A] [--data DIR] [--durability sync|wal]\n"
      "              [--threads N] [--web-root DIR]\n"
      "  --port        HTTP/WebSocket port (default 8080)\n"
      "  --address     address to listen on (default 127.0.0.1)\n"
      "  --data        data folder, holds the RocksDB database (default ./data)\n"
      "  --durability  sync: fsync the log before acking (default); wal: write the\n"
      "                log without fsync (survives a killed process, not power loss)\n"
      "  --threads     network threads (default: one per core)\n"
      "  --web-root    built web client to serve at / (default: web-client/dist if present)\n");
}

}  // namespace

int main(int argc, char** argv) {
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
