// The server secret: 32 random bytes kept in `<data_dir>/secret`, mode 0600
// (protocol/SPEC.md AUTH-1). It signs every token, so losing it refuses every token
// ever issued, and reading it lets anyone mint tokens.
//
// load_or_create_secret runs once at start-up, before the server accepts connections;
// it is not meant to race with itself on the same folder (a losing creator gets an
// error, not a second secret).
#pragma once

#include <filesystem>

#include "access/token.hpp"
#include "storage/status.hpp"

namespace tandem::access {

// Reads `data_dir/secret` into *out (*created = false), or, if it does not exist, creates
// data_dir as needed and writes a new random secret durably (*created = true). A file
// that is not exactly 32 bytes is Corruption. A file readable or writable by anyone but
// its owner is tightened to 0600.
Status load_or_create_secret(const std::filesystem::path& data_dir, Secret* out, bool* created);

}  // namespace tandem::access
