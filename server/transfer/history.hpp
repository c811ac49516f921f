// A board's state at a past seq or time, read from the store (protocol/SPEC.md
// EXPORT-2, EXPORT-7): the newest stored snapshot at or before it plus the log after it
// (storage Store::load_history), replayed by the model, then filtered for the viewer as
// their Welcome would have been then (VIS-*). Reads the disk: call it on a worker,
// never on a network thread or a board's strand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "board/visibility.hpp"
#include "model/board_state.hpp"
#include "storage/store.hpp"
#include "tandem/v1/board.pb.h"

namespace tandem::transfer {

struct HistoryQuery {
  std::optional<std::uint64_t> seq;    // the state after this change
  std::optional<std::int64_t> at_ms;   // the state after the last change at or before this time
  bool with_log = false;               // add every change kept (EXPORT-1: admin only)
  // Whom the state is for; nullopt: the whole board (the admin token).
  std::optional<visibility::Viewer> viewer;
};

struct HistoryResult {
  int status = 200;  // 200, or an HTTP error (400 out of range, 404 no board, 503 storage)
  std::string error;
  v1::BoardExport board;
};

HistoryResult board_at(const storage::Store& store, const std::string& board_id, const HistoryQuery& q,
                       const model::Schema& schema, const model::StateLimits& limits, std::int64_t now_ms);

}  // namespace tandem::transfer
