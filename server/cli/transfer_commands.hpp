// `tandem export`, `tandem import` and `tandem replay` (issue 13): added to the command
// line by main.cpp; they act through a running server's API (remote.hpp).
#pragma once

namespace CLI {
class App;
}

namespace tandem::cli {

struct Remote;

// A failing command throws CLI::RuntimeError(code): 1 for a refused request, 2 for bad input.
void add_transfer_commands(CLI::App& app, const Remote& remote);

}  // namespace tandem::cli
