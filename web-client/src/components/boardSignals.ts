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

export function boardSignals(client: SyncClient, opts: { boardId: string; fallbackTitle: string; fallbackRole: RoleName; canShare: (c: SyncClient) => boolean }): BoardSignals {
  const read = (): HeaderState => ({
    status: client.status,
    statusText: statusText(client),
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
  return {
    header, peers, stop,
    update(changes) {
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
}

function sameFields<T extends object>(a: T, b: T): boolean {
  for (const k of Object.keys(a) as (keyof T)[]) if (a[k] !== b[k]) return false;
  return true;
}

function samePeers(a: PeerChip[], b: PeerChip[]): boolean {
  return a.length === b.length && a.every((p, i) => sameFields(p, b[i]));
}
