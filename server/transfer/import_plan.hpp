// Import: a board export turned into the changes that build it on a new board
// (protocol/SPEC.md EXPORT-5). The board's objects (ids kept, fields as exported),
// settings and facilitation state enter its log as ordinary changes, checked by the
// model exactly as the board will apply them (schema, limits, max_objects), so a bad
// file is refused before anything is written. Pure: runs on a worker thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/board_state.hpp"
#include "tandem/v1/board.pb.h"

namespace tandem::transfer {

// Who imports: the changes are theirs (author, author_id), with the server's rights to
// set what only the server sets (authors, voters, privacy: SYS-1).
struct Importer {
  std::string member_id;
  std::string name;
};
inline constexpr const char* kImportClientId = "import";

struct ImportPlan {
  v1::BoardMeta meta;                   // kind, title, template of the new board
  std::vector<v1::Change> changes;      // in order; each within max_ops_per_change
  std::size_t objects = 0;              // live objects it creates
  std::size_t left_out = 0;             // tombstones and what pointed only at missing objects
};

// `title`: the new board's title ("" = the export's). nullopt with `error` saying
// what is wrong (the object and the rule) when the model refuses the board.
std::optional<ImportPlan> plan_import(const v1::BoardExport& e, const std::string& title, const Importer& who,
                                      const model::Schema& schema, const model::StateLimits& limits,
                                      std::int64_t now_ms, std::string* error);

// The ApplyContext of an import change at `seq` (what the board's sequencer stamps).
model::ApplyContext import_context(std::uint64_t seq, const Importer& who, std::int64_t now_ms);

}  // namespace tandem::transfer
