// What the workshop's components share: the client, the workshop state, the canvas
// selection, whom this page follows, and the one way they send facilitation ops
// (not undoable: SyncClient.submit(ops, false)).
import type { Signal } from "@preact/signals";
import type { Op } from "../../gen/board_pb";
import type { SyncClient } from "../../sync/syncClient";
import type { FollowState } from "./followState";
import type { WorkshopState } from "./workshopState";

export interface Workshop {
  client: SyncClient;
  state: Signal<WorkshopState>;
  /** The canvas's selection (object ids). */
  selection: Signal<readonly string[]>;
  follow: FollowState;
  boardId: string;
  /** This page's member token (minting the room display link, API-4). */
  token: string;
  /** A room display (`?display=1`, FAC-8). */
  display: boolean;
  /** The facilitator bar is open (the header's Facilitate button). */
  barOpen: Signal<boolean>;
}

/** The board runs a workshop now: the facilitator bar opens by itself on a wide screen. */
export function workshopActive(s: WorkshopState): boolean {
  return s.agenda.length > 0 || s.hasTimer || s.privateWriting || !!s.voting || s.boardLocked || s.followingMe;
}

export function send(w: Workshop, ...ops: Op[]): void {
  w.client.submit(ops, false);
}

/** "1 note", "3 notes". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A fresh id for a phase or a voting session ([A-Za-z0-9_-], FAC-2, FAC-6). */
export function shortId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}
