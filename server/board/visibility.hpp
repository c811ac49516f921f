// Visibility: the broadcast boundary (protocol/SPEC.md VIS-1..6).
//
// What one connection may receive of a change, a snapshot or a presence. Pure
// functions of the board's current state, no I/O; the board actor calls them on
// its strand.
//
//   VIS-1  a private object (private_to set) exists only for its member, and for
//          facilitators unless private_author_only: ops naming it (or referring
//          to it), its rebalance key, its snapshot entry (tombstone included) and
//          presence naming it are dropped for everyone else.
//   VIS-2  a vote of a voting session (`session` set) exists only for its voter.
//   VIS-3  while names are not shown, a change touching an anonymous object loses
//          author / author_id / client_id (except for its sender's member);
//          anonymous objects in snapshots and in Revealed lose author / voter
//          (a vote keeps its voter for the voter); Authors entries go only to
//          those who may see the object.
//   VIS-4  Turnout ops and Facilitation.turnout reach facilitators only.
//   VIS-5  a change whose ops are all dropped is still sent, with no ops.
//
// Visibility is decided against the current state: once Revealed cleared an
// object's private_to, older changes naming it pass too (VIS-1, last sentence).
// A change from which any op was dropped also loses its sender's identity, so an
// empty change never says who did the hidden thing.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "model/board_state.hpp"
#include "tandem/v1/board.pb.h"
#include "tandem/v1/sync.pb.h"

namespace tandem::visibility {

struct Viewer {
  std::string member_id;
  bool facilitator = false;  // facilitator or owner role
};

bool is_facilitator(v1::Role role);
inline Viewer viewer(const std::string& member_id, v1::Role role) { return Viewer{member_id, is_facilitator(role)}; }

// Cheap gate for the hot path: false means no change applied now needs a look
// (no private writing, no open or closed voting session, and no anonymous objects
// while names are hidden). `anonymous_possible`: the board may hold anonymous objects.
bool may_filter(const model::BoardState& state, bool anonymous_possible);
// True when an agenda phase is anonymous (objects made now may be anonymous).
bool agenda_anonymous(const model::BoardState& state);

struct Classification {
  bool now = false;        // needs filtering against `state` (VIS-6: encode per view)
  bool anonymous = false;  // names an anonymous object: needs a look whenever names are hidden
  bool any() const { return now || anonymous; }
};
// What a change needs, given the state (at or after the change).
Classification classify(const v1::SequencedChange& change, const model::BoardState& state);

// The members whose view of `change` may differ from that of others of their role:
// a view key groups recipients who get identical bytes (VIS-6).
// `sender_member`: the member who sent it ("" for system changes or unknown).
std::string view_key(const v1::SequencedChange& change, const model::BoardState& state, const Viewer& v,
                     const std::string& sender_member);

// The change as `v` may see it (VIS-1..5).
v1::SequencedChange view(const v1::SequencedChange& change, const model::BoardState& state, const Viewer& v,
                         const std::string& sender_member);

// Filters a snapshot in place for `v` (VIS-1..4): objects and tombstones it may
// not see removed, author / voter of anonymous objects stripped while names are
// hidden, turnout only for facilitators, voting scope ids it may not see removed.
void filter_snapshot(v1::BoardSnapshot* snapshot, const Viewer& v);

// filter_snapshot() object by object, for a snapshot encoded piece by piece
// (board/welcome_snapshot.hpp):
// False when every viewer gets `o` as it is (not private, not a session vote, not
// anonymous while names are hidden).
bool object_sensitive(const model::Object& o, const model::BoardState& state);
// Filters one snapshot object for `v`; false when `v` may not see it at all.
bool snapshot_object(v1::ObjectState* o, const Viewer& v, bool names_shown);
// The facilitation as `v` may see it: turnout for facilitators only, voting scope
// ids of objects `sees` says it may not see removed.
void filter_facilitation(v1::Facilitation* f, const Viewer& v, const std::function<bool(const std::string&)>& sees);
// True when `id` is an object of `state` that `v` may see.
bool sees_object(const model::BoardState& state, std::string_view id, const Viewer& v);

// True when `p` names an object some recipient may not see (or an anonymous one
// while names are hidden): then each recipient gets filter_presence().
bool presence_sensitive(const v1::Presence& p, const model::BoardState& state);
// The presence of `from_member` as `v` may see it: ids of objects `v` may not see,
// and of anonymous objects while names are hidden (unless `v` is `from_member`), removed.
v1::Presence filter_presence(const v1::Presence& p, const model::BoardState& state, const Viewer& v,
                             const std::string& from_member);

}  // namespace tandem::visibility
