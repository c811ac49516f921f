// tandem_faulty: the server on a disk that fills up on demand, for end-to-end tests
// of a full disk (SPEC REJ-2, CLOSE-3 4003). Not installed, test builds only.
//   SIGUSR1: every write fails with "no space left on device" from now on
//   SIGUSR2: the disk has room again
// Flags: --port N, --data DIR, --web-root DIR (the rest as in `tandem`'s defaults).
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "server.hpp"
#include "support/faulty_fs.hpp"

namespace {
// A signal handler may only touch a lock-free atomic: the switch FaultyFs reads.
std::shared_ptr<tandem::testing::FaultyFs> g_fs;
extern "C" void on_full(int) { g_fs->fail(true); }
extern "C" void on_room(int) { g_fs->fail(false); }
}  // namespace

int main(int argc, char** argv) {
  tandem::ServerConfig cfg;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i], v = argv[i + 1];
    if (a == "--port") cfg.port = static_cast<std::uint16_t>(std::atoi(v.c_str()));
    else if (a == "--data") cfg.data_dir = v;
    else if (a == "--web-root") cfg.web_root = v;
    else {
      std::fprintf(stderr, "tandem_faulty: unknown option %s\n", a.c_str());
      return 2;
    }
  }
  g_fs = std::make_shared<tandem::testing::FaultyFs>();
  cfg.storage_env = tandem::testing::FaultyFs::env(g_fs);
  std::signal(SIGUSR1, on_full);
  std::signal(SIGUSR2, on_room);
  tandem::Server server(cfg);
  tandem::Status s = server.start();
  if (!s.ok()) {
    std::fprintf(stderr, "tandem_faulty: cannot start: %s\n", s.to_string().c_str());
    return 1;
  }
  std::printf("Tandem (failing disk on SIGUSR1) is running: open http://127.0.0.1:%u/\n",
              static_cast<unsigned>(server.port()));
  std::fflush(stdout);
  server.run_until_signal();
  return 0;
}
