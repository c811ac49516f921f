#include "cli/command_util.hpp"
#include "transfer/markdown.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace tandem::cli {

namespace json = boost::json;

void fail(int code, const std::string& message) {
  std::fprintf(stderr, "tandem: %s\n", message.c_str());
  throw CLI::RuntimeError(code);
}

json::object expect_ok(const Reply& reply) {
  if (reply.status == 0) fail(1, reply.error);
  boost::system::error_code ec;
  json::value v = json::parse(reply.body, ec);
  if (reply.status >= 300) {
    std::string why = !ec && v.is_object() ? text(v.as_object(), "error") : reply.body;
    if (reply.status == 401) why += " (the token is refused, or there is no such board)";
    fail(1, "the server refused (HTTP " + std::to_string(reply.status) + "): " + why);
  }
  if (ec || !v.is_object()) fail(1, "the server's answer is not a JSON object: " + reply.body.substr(0, 200));
  return std::move(v.as_object());
}

std::string text(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::int64_t integer(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
  return 0;
}

std::string format_time(std::int64_t ms) { return ms <= 0 ? "-" : transfer::utc_time(ms); }

void print_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size() && i < width.size(); ++i) width[i] = std::max(width[i], r[i].size());
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      out += cells[i];
      if (i + 1 < cells.size()) out += std::string(width[i] - cells[i].size() + 2, ' ');
    }
    std::printf("%s\n", out.c_str());
  };
  line(header);
  for (const auto& r : rows) line(r);
}

std::string invite_link(const Remote& remote, const std::string& board_id, const std::string& invite) {
  std::string base = remote.server;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/b/" + board_id + "?invite=" + invite;
}

}  // namespace tandem::cli
