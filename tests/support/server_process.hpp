// ServerProcess: the tandem binary as a child process on an ephemeral loopback
// port (read from the URL it prints). Used by the crash test and bench/load.cpp.
// kill9() (or the destructor) ends it with SIGKILL; terminate() with SIGTERM.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace tandem::testing {

class ServerProcess {
 public:
  // Runs `bin --port 0 --data <data> <extra...>`; port() is 0 when it did not start.
  ServerProcess(const std::string& bin, const std::string& data, const std::vector<std::string>& extra = {}) {
    int fds[2];
    if (pipe(fds) != 0) return;
    std::vector<std::string> args = {bin, "--port", "0", "--data", data};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], 1);
      close(fds[0]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(fds[1]);
    std::string line;
    char c;
    while (read(fds[0], &c, 1) == 1 && c != '\n') line += c;
    close(fds[0]);
    auto pos = line.find("127.0.0.1:");
    if (pos != std::string::npos) port_ = static_cast<std::uint16_t>(std::atoi(line.c_str() + pos + 10));
  }
  ~ServerProcess() { kill9(); }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  void kill9() { stop(SIGKILL); }
  void terminate() { stop(SIGTERM); }
  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }

 private:
  void stop(int sig) {
    if (pid_ <= 0) return;
    kill(pid_, sig);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace tandem::testing
