// `tandem serve`: every setting of the server as a flag, an environment variable
// (TANDEM_PORT for --port, ...) and a key of a config file (--config FILE, TOML or INI
// as CLI11 reads it; TANDEM_CONFIG). Precedence: flag > environment > config file >
// default (docs/OPERATIONS.md).
#pragma once

#include <string>
#include <vector>

#include "config.hpp"
#include "log.hpp"

namespace CLI {
class App;
}

namespace tandem::cli {

// What `tandem serve` fills in.
struct ServeSettings {
  ServerConfig config;
  log::Options log;
  std::string config_file;  // --config
  std::string data_dir = "./data";
  std::string durability = "sync";
  std::string create_boards = "anyone";
  std::string log_level = "info";
  std::vector<std::string> metrics_allow;  // given: replaces config.metrics_allow
  std::uint64_t snapshot_every_s = 300;
  std::string web_root;
};

// Adds the `serve` subcommand to `app` with its flags; returns it.
CLI::App* add_serve_command(CLI::App& app, ServeSettings& s);

// The flags `config_file` sets that the command line and environment left unset, as
// arguments to append ("--port=8080"). Throws CLI::FileError (unreadable file) or
// CLI::ValidationError (a key that names no flag).
std::vector<std::string> config_file_args(CLI::App& serve, const std::string& config_file);

// Throws CLI::ValidationError (exit 2) for settings that do not go together: the
// cluster flags come as a set (--redis with --node-id, --advertise, --cluster-entry).
void check_serve_settings(const ServeSettings& s);

// Moves the parsed strings of `s` into s.config and s.log (after parsing).
void finish_serve_settings(ServeSettings& s);

}  // namespace tandem::cli
