// The connection status in plain language, one short line for the page header,
// and for a stopped session (SPEC CLOSE-3) a headline and what to do.
import type { Status } from "./syncClient";

export interface StatusView {
  status: Status;
  /** Changes kept on this device, not yet confirmed by the server. */
  pendingCount: number;
  /** Was live since the page opened: now it is reconnecting. */
  wasOnline: boolean;
}

const changes = (n: number) => `${n} pending change${n === 1 ? "" : "s"} kept`;

export function statusText(v: StatusView): string {
  const n = v.pendingCount;
  switch (v.status) {
    case "online":
      return n ? `Live · ${n} pending` : "Live";
    case "connecting":
      return (v.wasOnline ? "Reconnecting…" : "Connecting…") + (n ? ` · ${changes(n)}` : "");
    case "offline":
      return "Offline" + (n ? ` · ${changes(n)}` : "");
    case "outdated":
      return "Out of date: reload";
    case "replaced":
      return "Opened in another tab";
    case "revoked":
      return "No access";
    case "deleted":
      return "Deleted";
  }
}

/** Why the session stopped, as a headline and a sentence (CLOSE-3). */
export const STOPPED_TEXT: Record<"outdated" | "replaced" | "revoked" | "deleted", [string, string]> = {
  outdated: ["This page is out of date: reload", "The server runs a newer version of Tandem. Reload the page to go on; changes not yet sent are kept."],
  replaced: ["Opened in another tab", "This board is open in another tab or window of this browser, which took over. Use it here to go on in this tab; the other one stops."],
  revoked: ["Your access to this board was revoked", "The link you joined with was revoked, or this board no longer accepts your membership. Ask for a new invite link."],
  deleted: ["This board was deleted", "Nothing more can be changed here."],
};
