// The `tandem` binary as a child process, for the command line tests: run() a command
// to its end (exit code, stdout, stderr); Started runs `tandem serve` until destroyed
// and reads the URL it prints. The child's environment is the test's without any
// TANDEM_* variable, plus `env`.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

extern char** environ;

namespace tandem::testing {

using Env = std::vector<std::pair<std::string, std::string>>;

inline pid_t spawn(const std::vector<std::string>& args, const Env& env, int out_fd, int err_fd) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  std::vector<std::string> names;
  for (char** e = environ; *e; ++e)
    if (std::strncmp(*e, "TANDEM_", 7) == 0) names.emplace_back(*e, std::strchr(*e, '=') - *e);
  for (const auto& n : names) unsetenv(n.c_str());
  for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
  int in = open("/dev/null", O_RDONLY);
  dup2(in, 0);
  dup2(out_fd, 1);
  dup2(err_fd, 2);
  std::vector<char*> argv;
  std::vector<std::string> copy = args;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  execv(argv[0], argv.data());
  _exit(127);
}

struct RunResult {
  int code = -1;
  std::string out, err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// Runs `args` (args[0]: the binary) to its end; its output goes through files in `dir`.
inline RunResult run(const std::string& dir, const std::vector<std::string>& args, const Env& env = {}) {
  const std::string out = dir + "/run.out", err = dir + "/run.err";
  int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = spawn(args, env, o, e);
  close(o);
  close(e);
  int status = 0;
  waitpid(pid, &status, 0);
  RunResult r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

// `tandem serve ...` running until destroyed (SIGTERM). line() is the first line it
// printed (the URL), "" when it did not print one within the deadline.
class Started {
 public:
  Started(const std::vector<std::string>& args, const Env& env = {},
          std::chrono::milliseconds deadline = std::chrono::seconds(20)) {
    int fds[2];
    if (pipe(fds) != 0) return;
    int err = open("/dev/null", O_WRONLY);
    pid_ = spawn(args, env, fds[1], err);
    close(fds[1]);
    close(err);
    const auto end = std::chrono::steady_clock::now() + deadline;
    char c;
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
      pollfd p{fds[0], POLLIN, 0};
      if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      if (read(fds[0], &c, 1) != 1 || c == '\n') break;
      line_ += c;
    }
    close(fds[0]);
  }
  ~Started() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  Started(const Started&) = delete;
  Started& operator=(const Started&) = delete;

  const std::string& line() const { return line_; }
  // The port of the printed URL (0 if none).
  std::uint16_t port() const {
    auto pos = line_.find("127.0.0.1:");
    return pos == std::string::npos ? 0 : static_cast<std::uint16_t>(std::atoi(line_.c_str() + pos + 10));
  }

 private:
  pid_t pid_ = -1;
  std::string line_;
};

}  // namespace tandem::testing
