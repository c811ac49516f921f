// The page chrome's state as signals, fed from SyncClient.subscribe(): the header,
// who is here and the stop banner re-render only when what they show changed.
import type { Signal } from "@preact/signals";
import { signal } from "@preact/signals";
import type { RoleName } from "../access/roles";
import { roleName } from "../access/roles";
import type { FrameChanges } from "../sync/frameChanges";
import { statusText } from "../sync/statusText";
import type { StopReason } from "../sync/closeCodes";
import type { Status, SyncClient } from "../sync/syncClient";
import { userColor } from "../ui/dom";

/** What the header shows: plain values, compared field by field before a re-render. */
export interface HeaderState {
  status: Status;
  statusText: string;
  title: string;
  canRename: boolean;
  canWrite: boolean;
  canShare: boolean;
  canUndo: boolean;
  canRedo: boolean;
  viewOnly: boolean;
  me: string;
  role: string;
}

export interface PeerChip {
  id: string;
  name: string;
  color: string;
}

export type Stop = StopReason;

export interface BoardSignals {
  header: Signal<HeaderState>;
  peers: Signal<PeerChip[]>;
  stop: Signal<Stop | null>;
  /** Update from the client; `changes` (when given) lets presence-free frames skip who is here. */
  update(changes?: FrameChanges): void;
}

export function stopOf(status: Status): Stop | null {
  return status === "revoked" || status === "deleted" || status === "outdated" || status === "replaced" ? status : null;
}

/** How long the pill says the changes kept while away were sent. */
export const SENT_SHOW_MS = 8000;

export interface BoardSignalOptions {
  boardId: string;
  fallbackTitle: string;
  fallbackRole: RoleName;
  canShare: (c: SyncClient) => boolean;
  /** Back online, the `n` changes kept on this device while away are all confirmed. */
  onSent?: (n: number) => void;
}

export function boardSignals(client: SyncClient, opts: BoardSignalOptions): BoardSignals {
  // Changes kept while away (offline, reconnecting): once back and all confirmed, the
  // pill says they were sent, for SENT_SHOW_MS.
  let keptWhileAway = 0;
  let justSent = 0;
  let sentTimer: ReturnType<typeof setTimeout> | undefined;
  const track = () => {
    const away = client.status === "connecting" || client.status === "offline";
    if (away && client.wasOnline) keptWhileAway = Math.max(keptWhileAway, client.pendingCount);
    else if (client.status === "online" && client.pendingCount === 0 && keptWhileAway > 0) {
      justSent = keptWhileAway;
      keptWhileAway = 0;
      opts.onSent?.(justSent);
      clearTimeout(sentTimer);
      sentTimer = setTimeout(() => {
        justSent = 0;
        signals.update();
      }, SENT_SHOW_MS);
    }
    if (client.status !== "online" || client.pendingCount > 0) justSent = 0;
  };
  const read = (): HeaderState => ({
    status: client.status,
    statusText: statusText({ status: client.status, pendingCount: client.pendingCount, wasOnline: client.wasOnline, justSent, reason: client.awayReason }),
    title: client.initialized ? client.view.title || opts.boardId : opts.fallbackTitle,
    canRename: client.canUpdateBoard,
    canWrite: client.canWrite,
    canShare: opts.canShare(client),
    canUndo: client.canUndo,
    canRedo: client.canRedo,
    viewOnly: !client.canWrite && !client.stopped,
    me: client.me.name,
    role: roleName(client.role) ?? opts.fallbackRole,
  });
  const readPeers = (): PeerChip[] => [...client.peers].map(([id, p]) => {
    const name = p.member.userName || "Someone";
    return { id, name, color: p.member.color || userColor(name) };
  });
  const header = signal(read());
  const peers = signal(readPeers());
  const stop = signal(stopOf(client.status));
  const signals: BoardSignals = {
    header, peers, stop,
    update(changes) {
      track();
      // The header is a dozen fields: reading them is cheap, re-rendering only when one differs.
      const next = read();
      if (!sameFields(header.peek(), next)) header.value = next;
      stop.value = stopOf(client.status);
      if (!changes || changes.all || changes.presence.size > 0) {
        const list = readPeers();
        if (!samePeers(peers.peek(), list)) peers.value = list;
      }
    },
  };
  return signals;
}

function sameFields<T extends object>(a: T, b: T): boolean {
  for (const k of Object.keys(a) as (keyof T)[]) if (a[k] !== b[k]) return false;
  return true;
}

function samePeers(a: PeerChip[], b: PeerChip[]): boolean {
  return a.length === b.length && a.every((p, i) => sameFields(p, b[i]));
}
