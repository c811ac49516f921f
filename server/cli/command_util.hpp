// What the admin commands share: failing with an exit code, reading the server's
// answer, and printing tables (docs/OPERATIONS.md, exit codes).
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "cli/remote.hpp"

namespace tandem::cli {

// Prints "tandem: <message>" on stderr and ends the command with `code`
// (CLI::RuntimeError, mapped to the exit code by main.cpp): 1 the server refused or
// could not be reached, 2 bad input.
[[noreturn]] void fail(int code, const std::string& message);

// The JSON object of a successful answer; fails with 1 (the server's error text, or
// that it could not be reached) otherwise.
boost::json::object expect_ok(const Reply& reply);

// A string field of `o` ("" when absent or not a string); an integer field (0).
std::string text(const boost::json::object& o, const char* key);
std::int64_t integer(const boost::json::object& o, const char* key);

// Milliseconds since the epoch as "2026-11-27 15:04 UTC"; "-" for 0.
std::string format_time(std::int64_t ms);

// Columns padded to their widest cell, a header row first.
void print_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

// The link a browser opens to redeem `invite` for `board_id` on `remote`'s server.
std::string invite_link(const Remote& remote, const std::string& board_id, const std::string& invite);

}  // namespace tandem::cli
