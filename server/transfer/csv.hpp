// CSV (RFC 4180) for backlogs (protocol/SPEC.md EXPORT-4, EXPORT-6): the backlog in its
// order as a file, and the reader of a file. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/v1/board.pb.h"

namespace tandem::transfer {

// The columns of a backlog's CSV, in order: the backlog item's client fields of the
// schema (protocol/schema.json) and its id.
const std::vector<std::string>& backlog_csv_columns();

// A header row of backlog_csv_columns(), then one row per live backlog item in board
// order (ORDER-3). Tags are joined with "; ". Lines end in CRLF.
std::string backlog_csv(const v1::BoardExport& e);

// One field as RFC 4180 writes it: quoted when it holds a comma, a quote, CR or LF.
std::string csv_field(std::string_view value);

using CsvRows = std::vector<std::vector<std::string>>;
// Reads RFC 4180 (LF or CRLF line ends, a UTF-8 byte order mark skipped, quoted fields
// holding commas, quotes and newlines). nullopt with `error` (the line) when a quote is
// left open or the text is not UTF-8.
std::optional<CsvRows> parse_csv(std::string_view text, std::string* error);

}  // namespace tandem::transfer
