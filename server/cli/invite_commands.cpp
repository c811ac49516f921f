// tandem invite create|list|revoke: API-4 of a running server (protocol/SPEC.md).
#include <CLI/CLI.hpp>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <memory>

#include "cli/admin_commands.hpp"
#include "cli/command_util.hpp"

namespace tandem::cli {

namespace json = boost::json;

namespace {

// "7d", "12h", "30m", "90s", "2w"; "never" or "0": no expiry. Seconds; nullopt if bad.
std::optional<std::int64_t> parse_duration(const std::string& s) {
  if (s == "never" || s == "0") return 0;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || n <= 0 || end + 1 != s.data() + s.size()) return std::nullopt;
  switch (*end) {
    case 's': return n;
    case 'm': return n * 60;
    case 'h': return n * 3600;
    case 'd': return n * 86400;
    case 'w': return n * 7 * 86400;
    default: return std::nullopt;
  }
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct CreateArgs {
  std::string board, role, expires = "7d", label;
  bool json = false;
};

void create(const Remote& remote, const CreateArgs& a) {
  auto secs = parse_duration(a.expires);
  if (!secs || *secs > 10LL * 365 * 86400)
    fail(2, "--expires: '" + a.expires + "' is not a duration like 7d, 12h, 30m, 2w (at most ten years) or never");
  json::object body{{"role", a.role}, {"expires_in_s", *secs}, {"label", a.label}};
  json::object r = expect_ok(call(remote, "POST", "/api/boards/" + a.board + "/invites", json::serialize(body)));
  const std::string link = invite_link(remote, a.board, text(r, "token"));
  if (a.json) {
    r["link"] = link;
    std::printf("%s\n", json::serialize(r).c_str());
    return;
  }
  std::printf("%s\n", link.c_str());
}

void list(const Remote& remote, const std::string& board, bool as_json) {
  json::object r = expect_ok(call(remote, "GET", "/api/boards/" + board + "/invites"));
  const json::value* invites = r.if_contains("invites");
  if (!invites || !invites->is_array()) fail(1, "the server's answer has no invites");
  if (as_json) {
    std::printf("%s\n", json::serialize(*invites).c_str());
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const json::value& v : invites->as_array()) {
    if (!v.is_object()) continue;
    const json::object& i = v.as_object();
    const json::value* revoked = i.if_contains("revoked");
    const std::int64_t expires = integer(i, "expires_ms");
    std::string state = revoked && revoked->is_bool() && revoked->as_bool() ? "revoked"
                        : expires && expires < now_ms()                     ? "expired"
                                                                            : "active";
    rows.push_back({text(i, "nonce"), text(i, "role"), state, expires ? format_time(expires) : "never",
                    format_time(integer(i, "created_ms")), text(i, "label")});
  }
  print_table({"NONCE", "ROLE", "STATE", "EXPIRES", "CREATED", "LABEL"}, rows);
}

void revoke(const Remote& remote, const std::string& board, const std::string& nonce) {
  expect_ok(call(remote, "DELETE", "/api/boards/" + board + "/invites/" + nonce));
  std::printf("invite %s revoked: whoever joined through it is out\n", nonce.c_str());
}

}  // namespace

void add_invite_commands(CLI::App& app, const Remote& remote) {
  CLI::App* invite = app.add_subcommand("invite", "create, list and revoke a board's invite links on a running server");
  invite->require_subcommand(1);

  auto c = std::make_shared<CreateArgs>();
  CLI::App* create_cmd = invite->add_subcommand("create", "a new invite link for a role; prints the link");
  create_cmd->add_option("BOARD", c->board, "the board")->required();
  create_cmd->add_option("--role", c->role, "viewer, editor, facilitator or owner")
      ->required()
      ->check(CLI::IsMember({"viewer", "editor", "facilitator", "owner"}));
  create_cmd->add_option("--expires", c->expires, "how long it admits: 30m, 12h, 7d, 2w or never")->capture_default_str();
  create_cmd->add_option("--label", c->label, "a note shown in the list (who it is for)");
  create_cmd->add_flag("--json", c->json, "print JSON");
  create_cmd->callback([&remote, c] { create(remote, *c); });

  auto board = std::make_shared<std::string>();
  auto as_json = std::make_shared<bool>(false);
  CLI::App* list_cmd = invite->add_subcommand("list", "a board's invite links");
  list_cmd->add_option("BOARD", *board, "the board")->required();
  list_cmd->add_flag("--json", *as_json, "print JSON (with each link's token)");
  list_cmd->callback([&remote, board, as_json] { list(remote, *board, *as_json); });

  auto rboard = std::make_shared<std::string>();
  auto nonce = std::make_shared<std::string>();
  CLI::App* revoke_cmd = invite->add_subcommand("revoke", "revoke an invite link: everyone who joined through it is out");
  revoke_cmd->add_option("BOARD", *rboard, "the board")->required();
  revoke_cmd->add_option("NONCE", *nonce, "the link's nonce (tandem invite list)")->required();
  revoke_cmd->callback([&remote, rboard, nonce] { revoke(remote, *rboard, *nonce); });
}

}  // namespace tandem::cli
