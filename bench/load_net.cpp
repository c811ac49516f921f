// tandem_load: HTTP API calls, WebSocket connect / join, readings from /proc.
#include <boost/beast/http.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "load.hpp"
#include "support/welcome_parts.hpp"

namespace tandem::load {

namespace http = beast::http;

double now_us() {
  static const Clock::time_point t0 = Clock::now();
  return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
}

using testing::http_request;
using testing::json_field;

// POST to the JSON API (API-*).
testing::HttpResult http_post(int port, const std::string& target, const std::string& body, const std::string& bearer = "") {
  return http_request(static_cast<std::uint16_t>(port), "POST", target, body, bearer);
}

std::optional<BoardAccess> create_board(int port) {
  auto r = http_post(port, "/api/boards", R"({"title":"load","kind":"discovery","name":"load"})");
  BoardAccess b{json_field(r.body, "board_id"), json_field(r.body, "member_token"), {}};
  if (r.status != 201 || b.board_id.empty()) return std::nullopt;
  return b;
}

std::vector<std::string> member_tokens(int port, const BoardAccess& b, int n, const std::string& name_prefix) {
  std::vector<std::string> out;
  auto inv = http_post(port, "/api/boards/" + b.board_id + "/invites",
                       R"({"role":"editor","expires_in_s":0,"label":"load"})", b.owner_token);
  const std::string invite = json_field(inv.body, "token");
  if (inv.status != 201 || invite.empty()) return out;
  for (int i = 0; i < n; ++i) {
    auto r = http_post(port, "/api/boards/" + b.board_id + "/members",
                       R"({"invite":")" + invite + R"(","name":")" + name_prefix + std::to_string(i) + "\"}");
    std::string t = json_field(r.body, "member_token");
    if (r.status != 200 || t.empty()) return {};
    out.push_back(t);
  }
  return out;
}

std::string source_address(std::uint64_t k) { return "127.0.0." + std::to_string(2 + k % 253); }

void open_ws(WebSocket& ws, int port, const std::string& source, const std::string& board) {
  auto& s = ws.next_layer();
  s.open(tcp::v4());
  if (!source.empty()) s.bind(tcp::endpoint(net::ip::make_address(source), 0));
  s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  s.set_option(tcp::no_delay(true));
  ws.handshake("127.0.0.1", board.empty() ? "/ws" : "/b/" + board + "/ws");
  ws.binary(true);
}

std::string join_message(const std::string& board, const std::string& token, const std::string& client_id) {
  tandem::v1::ClientMessage j;
  j.mutable_join()->set_protocol_version(tandem::v1::PROTOCOL_VERSION_CURRENT);
  j.mutable_join()->set_board_id(board);
  j.mutable_join()->set_client_id(client_id);
  j.mutable_join()->set_token(token);
  return j.SerializeAsString();
}

bool read_welcome(WebSocket& ws, tandem::v1::Welcome* out) {
  tandem::testing::WelcomeParts parts;  // JOIN-8: the snapshot parts follow the welcome
  for (;;) {
    beast::flat_buffer b;
    beast::error_code ec;
    ws.read(b, ec);
    if (ec) return false;
    tandem::v1::ServerFrame f;
    auto d = b.cdata();
    if (!f.ParseFromArray(d.data(), static_cast<int>(d.size()))) return false;
    for (auto& m : *f.mutable_messages()) {
      if (m.has_error()) return false;
      if (auto w = parts.take(&m)) {
        if (out) *out = std::move(*w);
        return true;
      }
    }
  }
}

double cpu_seconds(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto close = s.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream in(s.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15; ++i) {
    in >> field;
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

long rss_kib(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return 0;
}

double self_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void raise_fd_limit() {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
  }
}

}  // namespace tandem::load
