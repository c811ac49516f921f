// Fuzz target: any sequence of changes applied to the board model (server/model), with
// the model's invariants checked after each one (docs: /work/tmp/fuzz-docs.md -> docs/).
//
// Input (fuzz_input.hpp records): the first record is a BoardMeta (flags bit 0: a backlog
// board when it does not parse or check_new_board refuses it); each next record is a
// SequencedChange whose ops, author, author_id, client_id, time and system flag make one
// change, its seq forced to the next. Flags of a change record: bit 0 applies it with
// apply() (a replica's path) instead of apply_live() (the server's, FAC-9); bit 1 drops
// its author_id. Changes are logged the way the Sequencer logs them (needs_author_id).
//
// Invariants, each a crash (abort) when broken:
//  - a rejected change leaves the state byte for byte as it was (MODEL-5), and
//    apply_live() leaves its ops as they were;
//  - every live order key is valid (ORDER-1) and ordered() is sorted (ORDER-3);
//  - when needs_rebalance() (ORDER-4), the rebalance the server then sends is accepted
//    and leaves no key past the rebalance length;
//  - snapshot() then load() into a fresh state gives the same snapshot bytes;
//  - replaying the accepted changes as logged gives the same snapshot bytes.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <google/protobuf/stubs/logging.h>

#include "board/sequencer.hpp"
#include "fuzz/fuzz_input.hpp"
#include "model/board_state.hpp"
#include "model/order_key.hpp"

namespace {

using namespace tandem;
using model::BoardState;

constexpr std::size_t kMaxChanges = 64;

[[noreturn]] void fail(const char* what, std::uint64_t seq) {
  std::fprintf(stderr, "model_ops_fuzz: invariant broken at seq %llu: %s\n",
               static_cast<unsigned long long>(seq), what);
  std::abort();
}

const model::Schema& schema() {
  static const model::Schema s;
  return s;
}

// Small limits, so the object and op limits are reached too.
model::StateLimits limits() {
  model::StateLimits l;
  l.max_objects = 64;
  l.max_ops_per_change = 64;
  return l;
}

v1::BoardMeta meta_of(const fuzz::Record& r) {
  v1::BoardMeta meta;
  if (meta.ParseFromArray(r.bytes.data(), static_cast<int>(r.bytes.size())) && !model::check_new_board(meta))
    return meta;
  meta.Clear();
  meta.set_id("fuzz");
  meta.set_title("fuzz");
  meta.set_kind((r.flags & 1) ? v1::BOARD_KIND_BACKLOG : v1::BOARD_KIND_DISCOVERY);
  return meta;
}

void check_keys(const BoardState& s) {
  for (const auto& [id, obj] : s.objects()) {
    if (obj.deleted) continue;
    const v1::Value* key = obj.get("order");
    if (key && key->has_text() && !model::order_key::valid(key->text())) fail("an invalid order key was accepted", s.seq());
  }
  const auto ordered = s.ordered();
  for (std::size_t i = 1; i < ordered.size(); ++i)
    if (!(ordered[i - 1] < ordered[i])) fail("ordered() is not sorted by (key, id)", s.seq());
}

// Applies one change as the Sequencer would (Sequencer::sequence), logging it when accepted.
bool apply_logged(BoardState& s, google::protobuf::RepeatedPtrField<v1::Op> ops, model::ApplyContext ctx,
                  bool live, std::vector<v1::SequencedChange>* log) {
  const std::string before = s.snapshot().SerializeAsString();
  v1::Change in;
  *in.mutable_ops() = ops;
  const std::string in_bytes = in.SerializeAsString();
  const bool private_before = s.facilitation().private_writing();
  const int user_ops = ops.size();
  const auto rejected = live ? s.apply_live(&ops, ctx) : s.apply(ops, ctx);
  if (rejected) {
    if (s.snapshot().SerializeAsString() != before) fail("a rejected change modified the state", ctx.seq);
    if (s.seq() != ctx.seq - 1) fail("a rejected change moved seq", ctx.seq);
    v1::Change out;
    *out.mutable_ops() = ops;
    if (live && out.SerializeAsString() != in_bytes) fail("a rejected apply_live changed its ops", ctx.seq);
    return false;
  }
  if (s.seq() != ctx.seq) fail("an accepted change did not move seq", ctx.seq);
  if (!live && ops.size() != user_ops) fail("apply() changed its ops", ctx.seq);
  v1::SequencedChange sc;
  sc.set_seq(ctx.seq);
  sc.set_author(ctx.author);
  if (needs_author_id(ops, private_before || s.facilitation().private_writing())) sc.set_author_id(ctx.author_id);
  sc.set_client_id(ctx.client_id);
  sc.set_server_time_ms(ctx.time_ms);
  sc.set_system(ctx.system);
  *sc.mutable_ops() = std::move(ops);
  log->push_back(std::move(sc));
  return true;
}

}  // namespace

// Bad UTF-8 in a string field makes protobuf log a line per parse: the fuzzer does it
// all the time, and the parse failing is all that matters here.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::RecordReader in(data, size);
  fuzz::Record r;
  if (!in.next(&r)) return 0;
  const v1::BoardMeta meta = meta_of(r);

  BoardState state(schema(), limits());
  state.reset(meta);
  std::vector<v1::SequencedChange> log;

  for (std::size_t n = 0; n < kMaxChanges && in.next(&r); ++n) {
    v1::SequencedChange c;
    if (!c.ParseFromArray(r.bytes.data(), static_cast<int>(r.bytes.size()))) continue;
    model::ApplyContext ctx;
    ctx.seq = state.seq() + 1;
    ctx.author = c.author();
    ctx.author_id = (r.flags & 2) ? "" : c.author_id();
    ctx.client_id = c.client_id();
    ctx.time_ms = c.server_time_ms();
    ctx.system = c.system();
    const bool live = !(r.flags & 1);
    if (!apply_logged(state, c.ops(), ctx, live, &log)) continue;
    check_keys(state);
    if (live && state.needs_rebalance()) {  // ORDER-4: what Board::maybe_rebalance sends
      google::protobuf::RepeatedPtrField<v1::Op> ops;
      *ops.Add() = state.rebalance_op();
      model::ApplyContext sys;
      sys.seq = state.seq() + 1;
      sys.author = sys.author_id = sys.client_id = kSystemAuthor;
      sys.time_ms = ctx.time_ms;
      sys.system = true;
      if (!apply_logged(state, ops, sys, true, &log)) fail("the rebalance was refused", sys.seq);
      check_keys(state);
      if (state.needs_rebalance()) fail("still needs a rebalance after one", state.seq());
    }
  }

  if (std::getenv("FUZZ_VERBOSE"))  // what an input reached (seed checks, docs)
    std::fprintf(stderr, "model_ops_fuzz: %zu changes accepted, %zu live objects\n", log.size(), state.live_objects());
  const v1::BoardSnapshot snap = state.snapshot();
  const std::string bytes = snap.SerializeAsString();

  BoardState loaded(schema(), limits());
  loaded.reset(meta);
  loaded.load(snap);
  if (loaded.snapshot().SerializeAsString() != bytes) fail("snapshot then load differs", state.seq());
  if (loaded.live_objects() != state.live_objects()) fail("load counts other live objects", state.seq());

  BoardState replayed(schema(), limits());
  replayed.reset(meta);
  for (const v1::SequencedChange& c : log)
    if (auto rej = replayed.replay(c)) {
      std::fprintf(stderr, "replay of seq %llu refused: %s\n", static_cast<unsigned long long>(c.seq()),
                   rej->message.c_str());
      fail("a logged change is refused on replay", c.seq());
    }
  if (replayed.snapshot().SerializeAsString() != bytes) fail("replaying the log gives another state", state.seq());
  return 0;
}
