#include "transfer/history.hpp"

#include <limits>

#include "transfer/markdown.hpp"

namespace tandem::transfer {

namespace {

constexpr std::uint64_t kNewest = std::numeric_limits<std::uint64_t>::max();

HistoryResult fail(int status, std::string why) {
  HistoryResult r;
  r.status = status;
  r.error = std::move(why);
  return r;
}

// The server time of change `seq` (0 when it is no longer kept).
std::int64_t time_of(const storage::Store& store, const std::string& board, std::uint64_t seq, Status* s) {
  std::vector<std::string> one;
  *s = store.read_changes(board, seq, seq, 1, &one);
  v1::SequencedChange c;
  if (!s->ok() || one.empty() || !c.ParseFromString(one[0])) return 0;
  return c.server_time_ms();
}

}  // namespace

HistoryResult board_at(const storage::Store& store, const std::string& board_id, const HistoryQuery& q,
                       const model::Schema& schema, const model::StateLimits& limits, std::int64_t now_ms) {
  std::uint64_t want = q.seq.value_or(kNewest);
  if (q.at_ms) {
    // The last change at or before the time: server times grow with seqs, so a binary
    // search over the kept log (a read of one change per step).
    storage::HistoryImage range;
    Status s = store.load_history(board_id, 0, &range);  // seq 0: only the range is read
    if (!s.ok()) return fail(503, "storage unavailable: " + s.message());
    if (!range.meta) return fail(404, "no such board");
    std::uint64_t lo = range.first_seq, hi = range.head_seq, found = 0;
    while (lo && lo <= hi) {
      const std::uint64_t mid = lo + (hi - lo) / 2;
      const std::int64_t t = time_of(store, board_id, mid, &s);
      if (!s.ok()) return fail(503, "storage unavailable: " + s.message());
      if (t <= *q.at_ms) found = mid, lo = mid + 1;
      else hi = mid - 1;
    }
    if (!found)
      return fail(400, "no change at or before " + utc_time(*q.at_ms) + ": the history starts at change " +
                           std::to_string(range.first_seq));
    want = found;
  }
  storage::HistoryImage img;
  Status s = store.load_history(board_id, want, &img);
  if (!s.ok()) return fail(503, "storage unavailable: " + s.message());
  v1::BoardMeta meta;
  if (!img.meta || !meta.ParseFromString(*img.meta) || meta.deleted()) return fail(404, "no such board");
  if (!img.in_range)
    return fail(400, "seq " + std::to_string(want) + " is outside the history kept: " + std::to_string(img.first_seq) +
                         ".." + std::to_string(img.head_seq));

  model::BoardState state(schema, limits);
  if (!img.snapshot && !meta.created_title().empty()) meta.set_title(meta.created_title());  // EXPORT-7
  state.reset(meta);
  if (img.snapshot) {
    v1::BoardSnapshot snap;
    if (!snap.ParseFromString(*img.snapshot)) return fail(500, "a stored snapshot does not parse");
    state.load(snap);
  }
  std::int64_t state_time = 0;
  for (const std::string& bytes : img.changes) {
    v1::SequencedChange c;
    if (!c.ParseFromString(bytes)) return fail(500, "a logged change does not parse");
    if (auto r = state.replay(c)) return fail(500, "logged change " + std::to_string(c.seq()) + ": " + r->message);
    state_time = c.server_time_ms();
  }
  if (img.changes.empty() && img.seq) state_time = time_of(store, board_id, img.seq, &s);

  HistoryResult out;
  v1::BoardExport& e = out.board;
  e.set_format(1);
  *e.mutable_snapshot() = state.snapshot();
  e.mutable_snapshot()->set_seq(img.seq);
  if (q.viewer) visibility::filter_snapshot(e.mutable_snapshot(), *q.viewer);  // VIS-*: as they saw it then
  meta.set_title(state.settings().title());
  *e.mutable_meta() = meta;
  e.set_exported_ms(now_ms);
  e.set_state_time_ms(state_time);
  e.set_head_seq(img.head_seq);
  e.set_first_seq(img.first_seq);
  if (q.with_log && img.head_seq) {
    std::vector<std::string> log;
    s = store.read_changes(board_id, 1, img.head_seq, std::numeric_limits<std::size_t>::max(), &log);
    if (!s.ok()) return fail(503, "storage unavailable: " + s.message());
    for (const std::string& bytes : log)
      if (!e.add_log()->ParseFromString(bytes)) return fail(500, "a logged change does not parse");
  }
  return out;
}

}  // namespace tandem::transfer
