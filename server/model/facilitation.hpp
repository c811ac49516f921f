// Facilitation (protocol/SPEC.md FAC-1..FAC-9): the workshop state of a board.
//
// The state is a v1::Facilitation held by BoardState (facilitation()), in its
// snapshots, restored on a rejected change like everything else (MODEL-5). This file
// holds the rules of the facilitation ops on that message alone (agenda, phase,
// timer, readiness, private writing, names, options, follow, board lock) and, in
// facilitation.cpp, the BoardState members that also touch objects: object locks,
// the stamps of creates and votes (private_to, private_author_only, anonymous,
// session), voting sessions and their budget, and the derived ops (FAC-9).
//
// Decisions where the SPEC is silent (mirrored by the web client's replica):
// - Names: the model keeps no member directory. A member's display name comes with
//   their change (ApplyContext::author); PrivateCount and Turnout entries keep it, and
//   VotingResult takes the voters' names from the session's Turnout entries.
// - Revealed is appended only when the change leaves private writing off while some
//   object is still private; it carries each object's whole state (fields sorted,
//   created_seq / updated_seq unchanged) without private_to / private_author_only.
// - Authors lists live anonymous objects that have an `author` (or a vote's `voter`),
//   by id; replaying it sets those fields on objects the replica holds.
// - max_per_object counts one member's votes on one target.
// - System changes (templates, promote, rebalance) are never private nor anonymous.
#pragma once

#include <optional>

#include "board_state.hpp"

namespace tandem::model::fac {

inline constexpr std::size_t kMaxPhases = 50;
inline constexpr std::size_t kMaxName = 200;       // phase names, session titles
inline constexpr std::size_t kMaxScope = 1000;     // ids in OpenVoting.scope
inline constexpr std::int64_t kMinTimerMs = 1000;
inline constexpr std::int64_t kMaxTimerMs = 24LL * 3600 * 1000;

// FAC-9 ops: PrivateCount, Turnout, Revealed, Authors, VotingResult.
bool derived_op(const v1::Op& op);

// The rules on the state alone. Each checks, then changes `f` only when valid.
std::optional<Rejection> set_agenda(v1::Facilitation& f, const v1::SetAgenda& a);
std::optional<Rejection> set_phase(v1::Facilitation& f, const v1::SetPhase& p);
std::optional<Rejection> timer(v1::Facilitation& f, const v1::TimerControl& t, std::int64_t time_ms);
void set_ready(v1::Facilitation& f, bool ready, const std::string& member_id, const std::string& name);
std::optional<Rejection> set_private_writing(v1::Facilitation& f, const v1::SetPrivateWriting& p);
void set_follow(v1::Facilitation& f, bool on, const std::string& client_id, const std::string& name);
void set_options(v1::Facilitation& f, const v1::SetOptions& o);
// Derived ops replayed: they set what they carry.
void set_private_count(v1::Facilitation& f, const v1::PrivateCount& c);
void set_turnout(v1::Facilitation& f, const v1::Turnout& t);

}  // namespace tandem::model::fac
