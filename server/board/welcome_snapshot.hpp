// WelcomeSnapshots: a board's snapshot encoded for joiners (protocol/SPEC.md JOIN-3,
// JOIN-8), kept per view and reused by every joiner of that view.
//
// The encoding of each object is kept with the Object::revision it was made at and
// redone only when the object changed, so encoding the snapshot of a big board costs a
// copy of its objects' bytes, not one protobuf encoding per object (docs/PERFORMANCE.md
// "Cheap joins"). Objects a view filters (visibility.hpp) are encoded for that view each
// time; the others are shared by every view.
//
// A snapshot whose objects pass `part_bytes` travels as SnapshotPart frames after the
// Welcome (JOIN-8): the Welcome stays small, each part is one frame of about
// `part_bytes`, and the parts are shared by every joiner (written one by one, never
// copied into a connection's queue). Owned by the board actor, used on its strand.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include "board/visibility.hpp"
#include "model/board_state.hpp"
#include "net/wire.hpp"

namespace tandem {

// An encoded snapshot at `seq`: `head` holds the BoardSnapshot bytes (with the objects
// when `parts` is null; without them when they follow in `parts`).
struct EncodedSnapshot {
  std::uint64_t seq = 0;
  std::shared_ptr<const std::string> head;
  wire::Parts parts;
  std::size_t bytes() const;  // head and parts together
};

class WelcomeSnapshots {
 public:
  explicit WelcomeSnapshots(std::size_t part_bytes) : part_bytes_(part_bytes) {}

  // The snapshot kept for view `key`, or null.
  const EncodedSnapshot* cached(const std::string& key) const;
  // Encodes `state` as `viewer` may see it (null: unfiltered, VIS-*) and keeps it as
  // view `key`, replacing the one kept before.
  EncodedSnapshot build(const std::string& key, const model::BoardState& state, const visibility::Viewer* viewer);
  // Forgets every view and every object encoding (a reload of the board).
  void clear();

  // Views kept at most; past it every view is dropped (each is rebuilt on demand).
  static constexpr std::size_t kMaxViews = 64;

 private:
  // One object's BoardSnapshot.objects entry (tag, length, ObjectState bytes), as
  // encoded at `revision`.
  struct Piece {
    std::uint64_t revision = 0;
    std::string bytes;
  };
  using Pieces = std::map<std::string, Piece, std::less<>>;
  // The kept piece of `obj`, re-encoded when it changed. Objects come in id order, so
  // `*at` walks pieces_ alongside (no lookup per object).
  const std::string& piece(Pieces::iterator* at, const std::string& id, const model::Object& obj,
                           const model::BoardState& state);

  std::size_t part_bytes_;
  Pieces pieces_;
  std::unordered_map<std::string, EncodedSnapshot> views_;
};

}  // namespace tandem
