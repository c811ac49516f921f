#include "access/roles.hpp"

namespace tandem::access {

bool may(v1::Role role, Action action) {
  switch (action) {
    case Action::kRead: return role >= v1::ROLE_VIEWER;
    case Action::kEditObjects:
    case Action::kPromote: return role >= v1::ROLE_EDITOR;
    case Action::kUpdateBoard:
    case Action::kManageInvites:
    case Action::kDeleteBoard:
    case Action::kFacilitate: return role >= v1::ROLE_FACILITATOR;
    case Action::kManageOwnerInvites: return role >= v1::ROLE_OWNER;
  }
  return false;
}

Action action_of(const v1::Op& op) {
  switch (op.kind_case()) {
    case v1::Op::kUpdateBoard: return Action::kUpdateBoard;
    case v1::Op::kPromote: return Action::kPromote;
    case v1::Op::kSetAgenda:
    case v1::Op::kSetPhase:
    case v1::Op::kTimer:
    case v1::Op::kSetPrivateWriting:
    case v1::Op::kShowNames:
    case v1::Op::kOpenVoting:
    case v1::Op::kCloseVoting:
    case v1::Op::kSetLock:
    case v1::Op::kSetFollow:
    case v1::Op::kSetOptions: return Action::kFacilitate;
    case v1::Op::kSetReady:  // ROLE-2: for themselves (FAC-1)
    default: return Action::kEditObjects;  // server-only ops are refused by the model
  }
}

Action invite_action(v1::Role invite_role) {
  return invite_role >= v1::ROLE_OWNER ? Action::kManageOwnerInvites : Action::kManageInvites;
}

std::string_view role_name(v1::Role role) {
  switch (role) {
    case v1::ROLE_VIEWER: return "viewer";
    case v1::ROLE_EDITOR: return "editor";
    case v1::ROLE_FACILITATOR: return "facilitator";
    case v1::ROLE_OWNER: return "owner";
    default: return "";
  }
}

std::optional<v1::Role> parse_role(std::string_view name) {
  for (v1::Role r : {v1::ROLE_VIEWER, v1::ROLE_EDITOR, v1::ROLE_FACILITATOR, v1::ROLE_OWNER})
    if (role_name(r) == name) return r;
  return std::nullopt;
}

}  // namespace tandem::access
