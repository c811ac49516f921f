// A backlog CSV as a board export (protocol/SPEC.md EXPORT-6): the header's names map to
// the backlog item's fields, Tandem's own (backlog_csv_columns()) and a Jira CSV
// export's (Summary, Description, Issue key, Status, Story Points, Labels, Assignee, ...);
// the other columns are skipped and named. Rows keep the file's order. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/v1/board.pb.h"

namespace tandem::transfer {

struct CsvImport {
  v1::BoardExport board;                     // a backlog: settings (columns) and items
  std::vector<std::string> skipped_columns;  // header names not mapped, each once, in file order
};

// nullopt with `error` (what and where) for a file that is not a backlog CSV.
std::optional<CsvImport> backlog_from_csv(std::string_view text, std::string* error);

}  // namespace tandem::transfer
