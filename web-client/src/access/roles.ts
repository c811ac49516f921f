// Roles as the HTTP API spells them (SPEC API-6) and as the wire carries them
// (sync.proto Role), and what each may do (SPEC ROLE-1..7). The server checks
// every one of these; the page only hides what the server would refuse.
import { Role } from "../gen/sync_pb";

export type RoleName = "viewer" | "editor" | "facilitator" | "owner";

const BY_NAME: Record<RoleName, Role> = {
  viewer: Role.VIEWER,
  editor: Role.EDITOR,
  facilitator: Role.FACILITATOR,
  owner: Role.OWNER,
};

/** The wire role of an API role name; UNSPECIFIED for anything else. */
export function roleOf(name: string | undefined): Role {
  return (name && BY_NAME[name as RoleName]) || Role.UNSPECIFIED;
}

/** The API name of a wire role, or undefined for UNSPECIFIED and unknown values. */
export function roleName(role: Role): RoleName | undefined {
  return (Object.keys(BY_NAME) as RoleName[]).find((n) => BY_NAME[n] === role);
}

export function isRoleName(s: unknown): s is RoleName {
  return typeof s === "string" && s in BY_NAME;
}

/** ROLE-2: create, edit, move, delete objects, vote, comment. */
export const canEdit = (r: Role) => r >= Role.EDITOR;
/** ROLE-3: UpdateBoard (title, columns). */
export const canUpdateBoard = (r: Role) => r >= Role.FACILITATOR;
/** ROLE-5: list, mint and revoke viewer / editor / facilitator invites. */
export const canManageInvites = (r: Role) => r >= Role.FACILITATOR;
/** ROLE-6: mint and revoke owner invites. */
export const canManageOwnerInvites = (r: Role) => r >= Role.OWNER;

/** The roles a member with `r` may mint invites for, lowest first. */
export function mintableRoles(r: Role): RoleName[] {
  if (!canManageInvites(r)) return [];
  const out: RoleName[] = ["viewer", "editor", "facilitator"];
  if (canManageOwnerInvites(r)) out.push("owner");
  return out;
}
