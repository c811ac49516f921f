// What to tell the user when the server says no, in plain language chosen by code,
// never the server's own (developer) wording: a change refused for good (REJ-1; the
// change is rolled back), an Error message (ErrorCode), a promote the backlog refused
// (PROMOTE-4, the note's promote_error) and an HTTP API answer (API-1..6). Retryable
// refusals (REJ-2) are retry.ts's.
import { ErrorCode, RejectCode } from "../gen/sync_pb";

/** The line shown for a final reject of `code`; `message` only picks among known cases. */
export function rejectText(code: RejectCode, message: string): string {
  switch (code) {
    case RejectCode.OVER_BUDGET:
      // facilitation.cpp: "all N votes used" / "at most N votes on one object"
      if (/^all \d+ votes used/.test(message)) return `You have used all ${message.match(/\d+/)![0]} of your votes in this vote`;
      if (/^at most \d+ votes on one/.test(message)) {
        const n = Number(message.match(/\d+/)![0]);
        return `You can give one item at most ${n} vote${n === 1 ? "" : "s"} in this vote`;
      }
      return "That vote is over your budget for this vote";
    case RejectCode.NOT_VOTABLE:
      if (/is private/.test(message)) return "Private items cannot be voted on until they are revealed";
      if (/not in the vote/.test(message)) return "This item is not part of the current vote";
      if (/no voting session/.test(message)) return "Voting is closed right now: wait for the facilitator to open a vote";
      return "This item cannot be voted on right now";
    case RejectCode.BOARD_LOCKED:
      return /^object /.test(message)
        ? "The facilitator locked this item: your change was undone"
        : "The facilitator locked this board: your change was undone";
    case RejectCode.ALREADY_PROMOTED:
      return "This note is already in a backlog";
    case RejectCode.NOT_ALLOWED:
      if (/promote/.test(message)) return "You can only promote into a backlog you may edit: ask its owner for an editor link";
      if (/workshop/.test(message)) return "Only facilitators can run the workshop";
      if (/settings/.test(message)) return "Only facilitators and owners can change the board's settings";
      if (/voter/.test(message)) return "You can only take back your own votes";
      return "Your role on this board does not allow that change: it was undone";
    case RejectCode.UNKNOWN_OBJECT:
    case RejectCode.DELETED:
      return "Someone else deleted that item meanwhile: your change was undone";
    case RejectCode.TOO_LONG:
      return "That text is too long: your change was undone";
    case RejectCode.TOO_MANY_OBJECTS:
      return "This board is full: delete something before adding more";
    case RejectCode.BAD_FIELD:
      if (/not a column/.test(message)) return "That status column no longer exists: your change was undone";
      if (/columns|column names/.test(message)) return "Columns need a name each (at most 64 characters) and no name twice";
      return "The board could not take that change: it was undone";
    default:
      return "The board could not take that change: it was undone";
  }
}

/** The line shown for a server Error not handled by the sync layer itself. */
export function errorText(code: ErrorCode): string {
  switch (code) {
    case ErrorCode.UNKNOWN_BOARD:
      return "This board does not exist (any more) on this server";
    case ErrorCode.UNAUTHORIZED:
      return "Your access to this board was revoked";
    case ErrorCode.STORAGE_UNAVAILABLE:
      return "The server cannot open this board right now: trying again";
    case ErrorCode.BAD_PRESENCE:
      return "Your pointer and selection could not be shown to the others just now";
    case ErrorCode.CLIENT_ID_TAKEN:
      return "This page could not get a connection of its own: reload it";
    case ErrorCode.PROTOCOL_VERSION:
      return "This page is out of date: reload it";
    default:
      return "Something went wrong talking to the server: reload the page if it persists";
  }
}

/** Why a promote did not arrive in the backlog (the server's promote_error), in plain words. */
export function promoteErrorText(raw: string): string {
  if (!raw) return "";
  if (/no such backlog|not a backlog/.test(raw)) return "Not sent: that backlog no longer exists";
  if (/another node/.test(raw)) return "Not sent: the backlog is not reachable right now; try again";
  if (/edit|role|token|unauthori[sz]ed/i.test(raw)) return "Not sent: you may not add items to that backlog";
  if (/full|at most/.test(raw)) return "Not sent: that backlog is full";
  return "Not sent to the backlog: try again";
}

/** An HTTP API failure (an ApiError's `status`, 0: not reached) for an action, e.g. "create the board". */
export function apiText(status: number, action: string): string {
  if (status === 0) return `Could not reach the server to ${action}: check your connection and try again`;
  if (status === 401) return `Could not ${action}: the link or your access is no longer valid`;
  if (status === 403) return `Could not ${action}: your role does not allow it`;
  if (status === 404) return `Could not ${action}: the board no longer exists`;
  if (status === 429) return `Could not ${action}: too many tries at once, wait a moment and try again`;
  if (status === 400 || status === 413) return `Could not ${action}: the server did not accept what was entered`;
  return `Could not ${action}: the server had a problem, try again in a moment`;
}
