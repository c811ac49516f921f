// The JSON form of a board (protocol/SPEC.md EXPORT-1): protobuf's JSON mapping of
// v1::BoardExport (protocol/board.proto), field names in lowerCamelCase as protobuf
// prints them, and the file name an export is offered under. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tandem/v1/board.pb.h"

namespace tandem::transfer {

// `pretty`: indented, for files people open; compact for the history slider.
std::string to_json(const v1::BoardExport& e, bool pretty);
// Parses an export; nullopt with `error` saying what is wrong.
std::optional<v1::BoardExport> from_json(std::string_view json, std::string* error);

// "<title>.<ext>": the title with anything but letters, digits, space, '-', '_' and '.'
// replaced by '_', at most 100 bytes, "board" when nothing is left (EXPORT-1).
std::string file_name(std::string_view title, std::string_view ext);

}  // namespace tandem::transfer
