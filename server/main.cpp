// tandem: the board server binary and its admin commands (CLI11). See README.md,
// `tandem --help` and docs/OPERATIONS.md.
//   tandem [serve] [flags]          run the server (cli/serve_command.hpp)
//   tandem board|invite ...         act on a running server through its HTTP API
//   tandem export|import|replay     the same (cli/transfer_commands.hpp)
//   tandem owner-link|admin-token   sign with the data folder's secret
//   tandem node drain|undrain|status  a node of a cluster (cli/node_commands.cpp)
// Exit codes: 0 done; 1 the server refused, could not be reached or could not start;
// 2 a bad flag, value or config file.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/admin_commands.hpp"
#include "cli/remote.hpp"
#include "cli/serve_command.hpp"
#include "cli/transfer_commands.hpp"
#include "log.hpp"
#include "server.hpp"

namespace {

int serve(tandem::cli::ServeSettings& s) {
  tandem::cli::finish_serve_settings(s);
  tandem::log::configure(s.log);
  const tandem::ServerConfig& cfg = s.config;
  tandem::Server server(cfg);
  tandem::Status st = server.start();
  if (!st.ok()) {
    std::fprintf(stderr, "tandem: cannot start: %s\n", st.to_string().c_str());
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

// `tandem` with flags but no command serves (scripts and tests start `tandem --port 0 ...`).
std::vector<std::string> with_command(const CLI::App& app, std::vector<std::string> args) {
  if (!args.empty()) {
    const std::string& first = args.front();
    if (first == "-h" || first == "--help" || first == "--help-all" || first.rfind('-', 0) != 0) return args;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
      if (std::find(args.begin(), args.end(), sub->get_name()) != args.end()) return args;
  }
  args.insert(args.begin(), "serve");
  return args;
}

void parse(CLI::App& app, std::vector<std::string> args) {
  std::reverse(args.begin(), args.end());  // CLI11 takes them last first
  app.parse(std::move(args));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Tandem: a real-time multiplayer board server for product teams.", "tandem"};
  app.fallthrough();  // an admin command takes --server, --token and --data after its name
  app.require_subcommand(0, 1);
  app.set_help_all_flag("--help-all", "every command's help");

  tandem::cli::Remote remote;
  const char* remote_group = "Admin commands (board, invite, export, import, replay, node)";
  app.add_option("--server", remote.server, "the running server's URL")
      ->envname("TANDEM_SERVER")
      ->capture_default_str()
      ->group(remote_group);
  app.add_option("--token", remote.token, "the token to act with (default: the admin token of --data)")
      ->envname("TANDEM_TOKEN")
      ->group(remote_group);
  app.add_option("--data", remote.data_dir, "the server's data folder, for the admin token and owner-link")
      ->envname("TANDEM_DATA")
      ->capture_default_str()
      ->group(remote_group);

  tandem::cli::ServeSettings settings;
  CLI::App* serve_cmd = tandem::cli::add_serve_command(app, settings);
  serve_cmd->fallthrough(false);
  tandem::cli::add_board_commands(app, remote);
  tandem::cli::add_invite_commands(app, remote);
  tandem::cli::add_transfer_commands(app, remote);
  tandem::cli::add_token_commands(app, remote);
  tandem::cli::add_node_commands(app, remote);
  app.footer([serve_cmd] {
    return "With no command, tandem runs `tandem serve`:\n\n" + serve_cmd->help("tandem");
  });

  std::vector<std::string> args = with_command(app, std::vector<std::string>(argv + 1, argv + argc));
  try {
    parse(app, args);
    if (serve_cmd->parsed() && !settings.config_file.empty()) {
      // Precedence flag > environment > config file (docs/OPERATIONS.md): the file
      // only fills flags the first parse left unset.
      std::vector<std::string> extra = tandem::cli::config_file_args(*serve_cmd, settings.config_file);
      if (!extra.empty()) {
        args.insert(args.end(), extra.begin(), extra.end());
        settings = tandem::cli::ServeSettings{};
        parse(app, args);
      }
    }
    if (serve_cmd->parsed()) tandem::cli::check_serve_settings(settings);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::RuntimeError& e) {  // a command failed; it said why (command_util.hpp)
    if (std::string(e.what()) != "Runtime error" && *e.what()) std::fprintf(stderr, "tandem: %s\n", e.what());
    return e.get_exit_code();
  } catch (const CLI::ArgumentMismatch& e) {  // "--port: 1 required PORT missing"
    std::string what = e.what();
    if (what.find(" missing") != std::string::npos) what = what.substr(0, what.find(':')) + ": needs a value";
    std::fprintf(stderr, "tandem: %s (see tandem --help)\n", what.c_str());
    return 2;
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "tandem: %s (see tandem --help)\n", e.what());
    // Ids made before they stopped starting with '-' (access/token.hpp) read as flags.
    for (const std::string& a : args)
      if (a.size() == 22 && a[0] == '-' && a[1] != '-')
        std::fprintf(stderr, "tandem: if %s is an id, put -- before it: tandem ... -- %s\n", a.c_str(), a.c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tandem: %s\n", e.what());
    return 1;
  }
  if (serve_cmd->parsed()) return serve(settings);
  return 0;
}
