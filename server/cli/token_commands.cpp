// tandem owner-link and tandem admin-token: signed with the data folder's secret
// (docs/SECURITY.md); neither needs the server, nor needs it stopped.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "access/secret.hpp"
#include "auth.hpp"
#include "cli/admin_commands.hpp"
#include "cli/command_util.hpp"

namespace tandem::cli {

namespace {

Authorizer load(const Remote& remote, const std::string& cmd) {
  if (!std::filesystem::exists(std::filesystem::path(remote.data_dir) / "secret"))
    fail(2, cmd + ": no secret in " + remote.data_dir + " (start the server on it once)");
  access::Secret secret;
  bool created = false;
  Status s = access::load_or_create_secret(remote.data_dir, &secret, &created);
  if (!s.ok()) fail(1, cmd + ": " + s.to_string());
  return Authorizer(secret, CreatePolicy::kAdmin);
}

}  // namespace

void add_token_commands(CLI::App& app, const Remote& remote) {
  auto board = std::make_shared<std::string>();
  CLI::App* owner = app.add_subcommand("owner-link", "print an owner invite link for a board (reads --data)");
  owner->add_option("BOARD_ID", *board, "the board")->required();
  owner->callback([&remote, board] {
    Authorizer auth = load(remote, "owner-link");
    v1::TokenClaims c;
    c.set_kind(v1::TOKEN_KIND_INVITE);
    c.set_board_id(*board);
    c.set_role(v1::ROLE_OWNER);
    c.set_nonce(access::random_id());
    c.set_issued_ms(std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count());
    std::printf("/b/%s?invite=%s\n", board->c_str(), auth.tokens().sign(c).c_str());
  });

  CLI::App* admin = app.add_subcommand("admin-token", "print the admin token (reads --data)");
  admin->callback([&remote] { std::printf("%s\n", load(remote, "admin-token").admin_token().c_str()); });
}

}  // namespace tandem::cli
