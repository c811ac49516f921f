// `tandem export`, `tandem import` and `tandem replay` (issue 13): added to the command
// line by main.cpp; they act through a running server's API (remote.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace tandem::cli {

struct Remote;

// A failing command throws CLI::RuntimeError(code): 1 for a refused request, 2 for bad input.
void add_transfer_commands(CLI::App& app, const Remote& remote);

// `tandem replay --at TIME`: milliseconds since 1970, or ISO 8601 with a zone
// ("2026-11-27T15:00:00Z", "2026-11-27T16:00+01:00"); nullopt otherwise.
std::optional<std::int64_t> parse_time(const std::string& s);

}  // namespace tandem::cli
