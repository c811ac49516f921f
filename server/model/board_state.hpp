// BoardState: the pure state of one board, a function of its changes in seq order.
//
// No I/O, no threads: the Board actor owns one and calls it from its strand only.
// Rules (protocol/SPEC.md MODEL-*): objects have client-chosen ids; create, update
// (some fields) and delete; a delete leaves a tombstone and any later op on it is
// rejected; a change's ops apply all or nothing; per-field last writer wins by seq.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "schema.hpp"
#include "tandem/v1/board.pb.h"
#include "tandem/v1/sync.pb.h"

namespace tandem::model {

struct Rejection {
  v1::RejectCode code = v1::REJECT_CODE_UNSPECIFIED;
  std::string message;
};

struct StateLimits {
  std::size_t max_objects = 100000;       // live objects per board
  std::size_t max_ops_per_change = 1000;
};

struct Object {
  v1::ObjectType type = v1::OBJECT_TYPE_UNSPECIFIED;
  std::map<std::string, v1::Value, std::less<>> fields;
  std::uint64_t created_seq = 0;
  std::uint64_t updated_seq = 0;
  bool deleted = false;
};

bool valid_id(std::string_view id);  // 1..64 of [A-Za-z0-9_-]

class BoardState {
 public:
  explicit BoardState(const Schema& schema, StateLimits limits = {});

  // Validates `ops` against the current state and, when all are valid, applies them
  // as the change with sequence number `seq` (must be seq() + 1). On a rejection
  // nothing changes.
  std::optional<Rejection> apply(const google::protobuf::RepeatedPtrField<v1::Op>& ops,
                                 std::uint64_t seq);

  // Replays a logged change; a rejection here means the log is corrupt.
  std::optional<Rejection> replay(const v1::SequencedChange& change) {
    return apply(change.ops(), change.seq());
  }

  // Replaces the state by a snapshot.
  void load(const v1::BoardSnapshot& snapshot);
  // Deterministic: equal states give equal bytes.
  v1::BoardSnapshot snapshot() const;

  std::uint64_t seq() const { return seq_; }
  std::size_t live_objects() const { return live_; }
  const Object* find(std::string_view id) const;

 private:
  std::optional<Rejection> apply_op(const v1::Op& op, std::uint64_t seq);
  std::optional<Rejection> check_fields(const TypeSpec& spec,
                                        const google::protobuf::RepeatedPtrField<v1::Field>& fields) const;

  const Schema& schema_;
  StateLimits limits_;
  std::map<std::string, Object, std::less<>> objects_;
  std::size_t live_ = 0;
  std::uint64_t seq_ = 0;
  // Undo log of the change being applied: (id, the object before; nullopt if absent).
  std::vector<std::pair<std::string, std::optional<Object>>> undo_;
};

}  // namespace tandem::model
