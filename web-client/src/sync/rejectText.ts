// What to tell the user when the server refuses a change for good (REJ-1): plain
// language for the refusals a person causes by what they did (votes past the budget,
// a locked board), the server's own message otherwise. Retryable refusals (REJ-2) are
// retry.ts's; these are final: the change is rolled back.
import { RejectCode } from "../gen/sync_pb";

/** The line shown for a final reject of `code` with the server's `message`. */
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
      return "The facilitator locked this board: your change was undone";
    default:
      return message || "The server refused a change";
  }
}
