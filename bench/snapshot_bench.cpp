// What a join costs the board's strand (issue "A room of 200", must-have 3): encoding
// the snapshot of a board of N notes for a joiner, the old way (BoardState::snapshot(),
// then SerializeAsString) and with WelcomeSnapshots (board/welcome_snapshot.hpp), whose
// kept object encodings make a rebuild a copy of bytes plus the objects that changed.
// Google Benchmark (Debian libbenchmark-dev); run by bench/run.sh, not by ctest.
#include <benchmark/benchmark.h>

#include <string>

#include "board/welcome_snapshot.hpp"
#include "model/board_state.hpp"

namespace {

using namespace tandem;

v1::Op note(int i, const std::string& text) {
  v1::Op op;
  auto* c = op.mutable_create();
  c->set_id("note-" + std::to_string(100000 + i));
  c->set_type(v1::OBJECT_TYPE_NOTE);
  auto field = [&](const char* name, v1::Value v) {
    v1::Field* f = c->add_fields();
    f->set_name(name);
    *f->mutable_value() = std::move(v);
  };
  v1::Value t;
  t.set_text(text);
  field("text", t);
  v1::Value x;
  x.set_number(40.0 * (i % 100));
  field("x", x);
  v1::Value y;
  y.set_number(30.0 * (i / 100));
  field("y", y);
  return op;
}

struct Board {
  model::Schema schema;
  model::BoardState state{schema};
  explicit Board(int n) {
    v1::BoardMeta m;
    m.set_id("b");
    m.set_kind(v1::BOARD_KIND_DISCOVERY);
    state.reset(m);
    for (int i = 0; i < n; i += 100) {
      google::protobuf::RepeatedPtrField<v1::Op> ops;
      for (int k = i; k < i + 100 && k < n; ++k) *ops.Add() = note(k, "an idea from the workshop, number " + std::to_string(k));
      apply(&ops);
    }
  }
  void apply(google::protobuf::RepeatedPtrField<v1::Op>* ops) {
    model::ApplyContext ctx;
    ctx.seq = state.seq() + 1;
    ctx.author = "Alice";
    ctx.author_id = "m-alice";
    if (auto r = state.apply_live(ops, ctx)) std::abort();
  }
  // Edits `k` notes (one change each).
  void edit(int k, int round) {
    for (int i = 0; i < k; ++i) {
      v1::Op op;
      op.mutable_update()->set_id("note-" + std::to_string(100000 + (i * 7919) % 10000));
      v1::Field* f = op.mutable_update()->add_fields();
      f->set_name("text");
      f->mutable_value()->set_text("edited " + std::to_string(round));
      google::protobuf::RepeatedPtrField<v1::Op> ops;
      *ops.Add() = op;
      apply(&ops);
    }
  }
};

void BM_SnapshotEncodeWhole(benchmark::State& s) {  // the way before: the whole state, every rebuild
  Board b(static_cast<int>(s.range(0)));
  for (auto _ : s) benchmark::DoNotOptimize(b.state.snapshot().SerializeAsString());
}

void BM_WelcomeSnapshotsCold(benchmark::State& s) {  // no object encoding kept yet
  Board b(static_cast<int>(s.range(0)));
  for (auto _ : s) {
    WelcomeSnapshots w(256 << 10);
    benchmark::DoNotOptimize(w.build("", b.state, nullptr));
  }
}

void BM_WelcomeSnapshotsAfterEdits(benchmark::State& s) {  // a rebuild after 2,000 edits (the catch-up window)
  Board b(static_cast<int>(s.range(0)));
  WelcomeSnapshots w(256 << 10);
  w.build("", b.state, nullptr);
  int round = 0;
  for (auto _ : s) {
    s.PauseTiming();
    b.edit(2000, ++round);
    s.ResumeTiming();
    benchmark::DoNotOptimize(w.build("", b.state, nullptr));
  }
}

BENCHMARK(BM_SnapshotEncodeWhole)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WelcomeSnapshotsCold)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WelcomeSnapshotsAfterEdits)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
