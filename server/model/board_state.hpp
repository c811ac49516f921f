// BoardState: the pure state of one board, a function of its changes in seq order.
//
// No I/O, no threads: the Board actor owns one and calls it from its strand only;
// clients (and tests) keep replicas of it. Rules: protocol/SPEC.md MODEL-*, ORDER-*,
// VOTE-*, PROMOTE-*. Objects have client-chosen ids; a delete leaves a tombstone
// and any later op on it is rejected; a change's ops apply all or nothing;
// per-field last writer wins by seq; references to tombstones are inert.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schema.hpp"
#include "tandem/v1/board.pb.h"
#include "tandem/v1/sync.pb.h"

namespace tandem::model {

struct Rejection {
  v1::RejectCode code = v1::REJECT_CODE_UNSPECIFIED;
  std::string message;
};

struct StateLimits {
  std::size_t max_objects = 100000;  // live objects per board
  std::size_t max_ops_per_change = 1000;
};

// Who made a change and when: what the server stamps into it (SequencedChange).
struct ApplyContext {
  std::uint64_t seq = 0;
  std::string author;     // display name, stamped into `author` fields
  std::int64_t time_ms = 0;
  bool system = false;    // made by the server: may set server-only fields and ops
  std::string author_id;  // member id, stamped into `voter` (VOTE-1); "" = author (old logs)
  const std::string& voter() const { return author_id.empty() ? author : author_id; }
};

// A board title as UpdateBoard accepts it (at most 200 bytes).
std::optional<Rejection> check_title(const std::string& title);
// A new board's metadata, checked the way UpdateBoard checks a title: the kind is
// discovery or backlog, the template one of BoardTemplate and only on discovery.
std::optional<Rejection> check_new_board(const v1::BoardMeta& meta);

struct Object {
  v1::ObjectType type = v1::OBJECT_TYPE_UNSPECIFIED;
  std::map<std::string, v1::Value, std::less<>> fields;
  std::uint64_t created_seq = 0;
  std::uint64_t updated_seq = 0;
  bool deleted = false;
  const v1::Value* get(std::string_view name) const;
  std::string_view text(std::string_view name) const;  // "" when unset
};

bool valid_id(std::string_view id);  // 1..64 of [A-Za-z0-9_-]
std::vector<std::string> default_columns();

class BoardState {
 public:
  explicit BoardState(const Schema& schema, StateLimits limits = {});

  // Makes this the empty board `meta` describes (kind, title, columns).
  void reset(const v1::BoardMeta& meta);

  // Validates `ops` and, when all are valid, applies them as the change ctx.seq
  // (which must be seq() + 1). On a rejection nothing changes.
  std::optional<Rejection> apply(const google::protobuf::RepeatedPtrField<v1::Op>& ops, const ApplyContext& ctx);
  // Replays a logged change; a rejection here means the log is corrupt.
  std::optional<Rejection> replay(const v1::SequencedChange& change);

  // Replaces objects, settings and outbox by a snapshot's; the kind stays.
  void load(const v1::BoardSnapshot& snapshot);
  // Deterministic: equal states give equal bytes.
  v1::BoardSnapshot snapshot() const;

  std::uint64_t seq() const { return seq_; }
  v1::BoardKind kind() const { return kind_; }
  const v1::BoardSettings& settings() const { return settings_; }
  const std::map<std::uint64_t, v1::PendingPromote>& outbox() const { return outbox_; }
  std::size_t live_objects() const { return live_; }
  const Object* find(std::string_view id) const;

  // Live objects with an order key, in board order: by key, then by id (ORDER-3).
  std::vector<std::pair<std::string, std::string>> ordered() const;  // (key, id)
  // True when an accepted key grew past order_key::kRebalanceLength (ORDER-4);
  // rebalance_op() is then the server's next change.
  bool needs_rebalance() const { return needs_rebalance_; }
  v1::Op rebalance_op() const;

 private:
  std::optional<Rejection> apply_op(const v1::Op& op, const ApplyContext& ctx);
  std::optional<Rejection> create(const v1::CreateObject& c, const ApplyContext& ctx);
  std::optional<Rejection> update(const v1::UpdateObject& u, const ApplyContext& ctx);
  std::optional<Rejection> remove(const std::string& id, bool vote);
  std::optional<Rejection> move(const v1::MoveObject& m);
  std::optional<Rejection> add_vote(const v1::AddVote& v, const ApplyContext& ctx);
  std::optional<Rejection> remove_vote(const v1::RemoveVote& v, const ApplyContext& ctx);
  std::optional<Rejection> update_board(const v1::UpdateBoard& u);
  std::optional<Rejection> promote(const v1::Promote& p, const ApplyContext& ctx);
  std::optional<Rejection> promote_done(const v1::PromoteDone& d);
  std::optional<Rejection> rebalance(const v1::Rebalance& r);

  std::optional<Rejection> check_field(const TypeSpec& spec, const v1::Field& f, bool system,
                                       bool creating) const;
  std::optional<Rejection> check_value(const FieldSpec& fs, const v1::Value& v, const std::string& self) const;
  std::optional<Rejection> live_object(std::string_view id, Object** out);
  void touch(const std::string& id);  // saves the object for undo, once per change
  // Adds a new live object, within the object limit.
  std::optional<Rejection> insert(const std::string& id, Object obj);
  void save_settings();
  void save_outbox();
  void note_key(std::string_view key);

  const Schema& schema_;
  StateLimits limits_;
  v1::BoardKind kind_ = v1::BOARD_KIND_DISCOVERY;
  v1::BoardSettings settings_;
  std::map<std::string, Object, std::less<>> objects_;
  std::map<std::uint64_t, v1::PendingPromote> outbox_;
  std::size_t live_ = 0;
  std::uint64_t seq_ = 0;
  bool needs_rebalance_ = false;

  // Undo log of the change being applied.
  std::vector<std::pair<std::string, std::optional<Object>>> undo_;
  std::optional<v1::BoardSettings> undo_settings_;
  std::optional<std::map<std::uint64_t, v1::PendingPromote>> undo_outbox_;
  bool change_has_long_key_ = false;
  bool change_rebalances_ = false;
};

}  // namespace tandem::model
