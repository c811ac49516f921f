// The sync client's own types: its status, who "me" is on the board, the options it
// starts with, and the author stamp the server puts on this member's changes (AUTH-3).
// Shared by syncClient.ts and the parts it is split into; re-exported by syncClient.ts.
import type { Role } from "../gen/sync_pb";
import type { StopReason } from "./closeCodes";
import type { PageEnv, SocketFactory } from "./transport";

/**
 * "revoked" and "deleted" are final; "outdated" (4002) and "replaced" (4004) stop
 * too, until a reload or a takeover: the session does not reconnect by itself.
 */
export type Status = "connecting" | "online" | "offline" | StopReason;

/** Who this client is on the board: from the membership until the welcome says (Welcome.you). */
export interface Me {
  memberId: string;
  name: string;
}

export interface SyncOptions {
  url: string;
  boardId: string;
  /** The member token of this board (Join.token). */
  token: string;
  /** The membership's member id, name and role: who we are until the welcome says. */
  memberId: string;
  userName: string;
  role: Role;
  color: string;
  /** Keeps the client id and the pending changes across reloads, per board and member. */
  storage?: Pick<Storage, "getItem" | "setItem">;
  socketFactory?: SocketFactory;
  /** Online/offline and visibility events (the browser's by default; tests pass their own). */
  pageEnv?: PageEnv | null;
  /**
   * Claims the client id for this tab: false when another open tab holds it (this
   * tab is a duplicate that inherited it with sessionStorage). See tabClaim.ts.
   */
  claimClientId?: (clientId: string) => Promise<boolean>;
  /** The local clock (Date.now by default): serverNow() adds the server's offset to it (FAC-3). */
  now?: () => number;
}

/** The author the server stamps on this member's changes (AUTH-3). */
export function stamp(me: Me): { author: string; authorId: string } {
  return { author: me.name, authorId: me.memberId };
}
