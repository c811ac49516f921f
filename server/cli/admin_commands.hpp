// The admin commands of `tandem` (issue 13): they act on a running server through its
// HTTP API (protocol/SPEC.md API-*) as `remote` says, except the token commands,
// which read the data folder.
//   tandem board create|list|rename|delete    (board_commands.cpp)
//   tandem invite create|list|revoke          (invite_commands.cpp)
//   tandem owner-link, tandem admin-token     (token_commands.cpp)
//   tandem node drain|undrain|status          (node_commands.cpp, a node of a cluster)
// A failing command throws CLI::RuntimeError(code) (command_util.hpp: fail()).
#pragma once

namespace CLI {
class App;
}

namespace tandem::cli {

struct Remote;

void add_board_commands(CLI::App& app, const Remote& remote);
void add_invite_commands(CLI::App& app, const Remote& remote);
void add_token_commands(CLI::App& app, const Remote& remote);
void add_node_commands(CLI::App& app, const Remote& remote);

}  // namespace tandem::cli
