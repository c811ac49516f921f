// The connection status in plain language, one short line for the page header,
// and for a stopped session (SPEC CLOSE-3) a headline and what to do.
import type { Status } from "./syncClient";

export interface StatusView {
  status: Status;
  /** Changes kept on this device, not yet confirmed by the server. */
  pendingCount: number;
  /** Was live since the page opened: now it is reconnecting. */
  wasOnline: boolean;
  /** Back online: how many changes kept while away were sent (shown for a while). */
  justSent?: number;
  /** Reconnecting: why the server closed, in plain words (CLOSE-3: 4009 "This board's server is restarting…"). */
  reason?: string | null;
}

const count = (n: number) => `${n} change${n === 1 ? "" : "s"}`;
/** While away (offline, reconnecting): what happens to the person's work. */
const kept = (n: number) => n ? ` · ${count(n)} kept on this device, sent when back online` : " · changes are kept on this device";

export function statusText(v: StatusView): string {
  const n = v.pendingCount;
  switch (v.status) {
    case "online":
      if (n) return `Live · sending ${count(n)}`;
      return v.justSent ? `Live · ${count(v.justSent)} sent` : "Live";
    case "connecting":
      if (v.reason) return v.reason + kept(n);
      return v.wasOnline ? "Reconnecting…" + kept(n) : "Connecting…" + (n ? kept(n) : "");
    case "offline":
      return "Offline" + kept(n);
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

/** The toast after a reconnect that sent changes kept on this device. */
export const sentText = (n: number) =>
  n === 1 ? "Back online: the change you made while away was sent" : `Back online: the ${n} changes you made while away were sent`;

/** Why the session stopped, as a headline and a sentence (CLOSE-3). */
export const STOPPED_TEXT: Record<"outdated" | "replaced" | "revoked" | "deleted", [string, string]> = {
  outdated: ["This page is out of date: reload", "The server runs a newer version of Tandem. Reload the page to go on; changes not yet sent are kept."],
  replaced: ["Opened in another tab", "This board is open in another tab or window of this browser, which took over. Use it here to go on in this tab; the other one stops."],
  revoked: ["Your access to this board was revoked", "The link you joined with was revoked, or this board no longer accepts your membership. Ask for a new invite link."],
  deleted: ["This board was deleted", "Nothing more can be changed here."],
};
