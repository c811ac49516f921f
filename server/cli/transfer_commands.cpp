#include "cli/transfer_commands.hpp"

#include <CLI/CLI.hpp>

#include "cli/remote.hpp"

namespace tandem::cli {

void add_transfer_commands(CLI::App&, const Remote&) {}

}  // namespace tandem::cli
