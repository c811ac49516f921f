// BoardState: the pure state of one board, a function of its changes in seq order.
//
// No I/O, no threads: the Board actor owns one and calls it from its strand only;
// clients (and tests) keep replicas of it. Rules: protocol/SPEC.md MODEL-*, ORDER-*,
// VOTE-*, PROMOTE-*, FAC-* (the facilitation rules live in facilitation.{hpp,cpp}). Objects have client-chosen ids; a delete leaves a tombstone
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
  std::string client_id;  // the sender's connection (SetFollow, FAC-8)
  // Derived ops (FAC-9) allowed: set by replay() of a logged change and for the ops
  // the server derives itself (apply_live); a client's change holding one is BAD_OP.
  bool derived = false;
  // The member id: private_to (FAC-4), `voter` (VOTE-1), readiness (FAC-2).
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
  // The seq of the last committed change that touched it (0: as loaded): whoever keeps
  // an encoding of the object re-encodes it when this moved (board/welcome_snapshot.hpp).
  std::uint64_t revision = 0;
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
  // The server's path (FAC-9): applies `ops` like apply(), then appends to them the
  // derived ops (derive()) and applies those too, all in the one change ctx.seq and
  // all or nothing. On a rejection nothing changes and `ops` is as it was.
  std::optional<Rejection> apply_live(google::protobuf::RepeatedPtrField<v1::Op>* ops, const ApplyContext& ctx);
  // The derived ops (PrivateCount, Turnout, Revealed, Authors, VotingResult) that follow
  // `ops` in their change, computed from the state after them: valid between applying
  // `ops` and committing them (apply_live calls it; tests may call it after apply()).
  std::vector<v1::Op> derive(const google::protobuf::RepeatedPtrField<v1::Op>& ops, const ApplyContext& ctx) const;
  // Replays a logged change; a rejection here means the log is corrupt.
  std::optional<Rejection> replay(const v1::SequencedChange& change);

  // Replaces objects, settings and outbox by a snapshot's; the kind stays.
  void load(const v1::BoardSnapshot& snapshot);
  // Deterministic: equal states give equal bytes.
  v1::BoardSnapshot snapshot() const;
  // snapshot() without its objects; with object_state() of each of objects(), in
  // order, it is the whole snapshot.
  v1::BoardSnapshot snapshot_head() const;
  v1::ObjectState object_state(const std::string& id, const Object& obj) const;
  // Every object, tombstones included, by id.
  const std::map<std::string, Object, std::less<>>& objects() const { return objects_; }

  std::uint64_t seq() const { return seq_; }
  v1::BoardKind kind() const { return kind_; }
  const v1::BoardSettings& settings() const { return settings_; }
  const std::map<std::uint64_t, v1::PendingPromote>& outbox() const { return outbox_; }
  // The facilitation state (FAC-*): in snapshot() when not empty, cleared by reset().
  const v1::Facilitation& facilitation() const { return fac_; }
  std::size_t live_objects() const { return live_; }
  // True once an anonymous object (FAC-5) was on the board, even when the phase that made
  // it is gone: visibility's cheap gate (board/visibility.hpp may_filter) relies on it.
  // Sticky: a rolled-back change may leave it set, which only costs a look.
  bool anonymous_seen() const { return anonymous_seen_; }
  const Object* find(std::string_view id) const;

  // Live objects with an order key, in board order: by key, then by id (ORDER-3).
  std::vector<std::pair<std::string, std::string>> ordered() const;  // (key, id)
  // True when an accepted key grew past order_key::kRebalanceLength (ORDER-4);
  // rebalance_op() is then the server's next change.
  bool needs_rebalance() const { return needs_rebalance_; }
  v1::Op rebalance_op() const;

 private:
  void note_anonymous(const Object& obj);  // sets anonymous_seen_
  std::optional<Rejection> apply_op(const v1::Op& op, const ApplyContext& ctx);
  std::optional<Rejection> create(const v1::CreateObject& c, const ApplyContext& ctx);
  std::optional<Rejection> update(const v1::UpdateObject& u, const ApplyContext& ctx);
  std::optional<Rejection> remove(const std::string& id, bool vote);
  std::optional<Rejection> restore(const v1::RestoreObject& r, const ApplyContext& ctx);
  std::optional<Rejection> move(const v1::MoveObject& m);
  std::optional<Rejection> add_vote(const v1::AddVote& v, const ApplyContext& ctx);
  std::optional<Rejection> remove_vote(const v1::RemoveVote& v, const ApplyContext& ctx);
  std::optional<Rejection> update_board(const v1::UpdateBoard& u);
  std::optional<Rejection> promote(const v1::Promote& p, const ApplyContext& ctx);
  std::optional<Rejection> promote_done(const v1::PromoteDone& d);
  std::optional<Rejection> rebalance(const v1::Rebalance& r);
  // facilitation.cpp (FAC-*)
  std::optional<Rejection> facilitate(const v1::Op& op, const ApplyContext& ctx);
  std::optional<Rejection> set_lock(const v1::SetLock& l, const ApplyContext& ctx);
  std::optional<Rejection> open_voting(const v1::OpenVoting& o, const ApplyContext& ctx);
  std::optional<Rejection> close_voting();
  std::optional<Rejection> revealed(const v1::Revealed& r);
  std::optional<Rejection> authors(const v1::Authors& a);
  // Stamps private_to / private_author_only / anonymous on a member's new object.
  std::optional<Rejection> stamp_create(const TypeSpec& spec, Object& obj, const ApplyContext& ctx) const;
  // Scope, budget and dot-vote rules of an AddVote; stamps session and anonymous.
  std::optional<Rejection> stamp_vote(Object& vote, const ApplyContext& ctx) const;
  // A reference from `obj` to `target_id` may not cross into another member's private object.
  std::optional<Rejection> check_private_link(const Object& obj, std::string_view target_id) const;
  bool phase_anonymous() const;
  void save_facilitation();
  static Object from_state(const v1::ObjectState& os);
  void begin_change();
  void rollback();
  void commit(const ApplyContext& ctx);

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
  bool anonymous_seen_ = false;
  std::map<std::uint64_t, v1::PendingPromote> outbox_;
  std::size_t live_ = 0;
  std::uint64_t seq_ = 0;
  bool needs_rebalance_ = false;
  v1::Facilitation fac_;

  // Undo log of the change being applied.
  std::vector<std::pair<std::string, std::optional<Object>>> undo_;
  std::optional<v1::BoardSettings> undo_settings_;
  std::optional<std::map<std::uint64_t, v1::PendingPromote>> undo_outbox_;
  std::optional<v1::Facilitation> undo_fac_;
  std::size_t live_before_ = 0;
  // The session a CloseVoting of this change closed (the facilitation before it), for
  // the VotingResult derived after it; cleared when a change begins.
  std::optional<v1::Facilitation> closing_;
  bool change_has_long_key_ = false;
  bool change_rebalances_ = false;
};

}  // namespace tandem::model
