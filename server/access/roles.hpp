// Roles: who may do what on a board (protocol/SPEC.md ROLE-1..8), one table.
//
// Pure functions, thread-safe. The board's sequencer checks every op of every
// change with may(role, action_of(op)); the HTTP API checks invites and board
// deletion with the same table.
#pragma once

#include <optional>
#include <string_view>

#include "tandem/v1/sync.pb.h"

namespace tandem::access {

enum class Action {
  kRead,                // ROLE-1: join, receive the board, send presence
  kEditObjects,         // ROLE-2: objects, votes, comments
  kUpdateBoard,         // ROLE-3: title, columns
  kPromote,             // ROLE-4 (plus edit rights on the backlog board)
  kManageInvites,       // ROLE-5: list, mint, revoke viewer/editor/facilitator invites
  kManageOwnerInvites,  // ROLE-6
  kDeleteBoard,         // ROLE-7
  kFacilitate,          // ROLE-8: agenda, phase, timer, private writing, names, voting, locks, follow, options
};

bool may(v1::Role role, Action action);
// The action an op of a change needs.
Action action_of(const v1::Op& op);
// The action minting or revoking an invite of `invite_role` needs.
Action invite_action(v1::Role invite_role);

// "viewer", "editor", "facilitator", "owner" (API-6); "" for anything else.
std::string_view role_name(v1::Role role);
std::optional<v1::Role> parse_role(std::string_view name);

}  // namespace tandem::access
