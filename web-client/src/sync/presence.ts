// Presence: the other clients on the board (member and latest presence, by client id),
// from the welcome's present list, presence and memberLeft messages; and this client's
// own presence, sent at most every PRESENCE_INTERVAL_MS, the newest winning.
//
// The server sends presence by tick (SPEC PRES-4): one frame may hold the presence of
// many members, and after a connection fell behind, everyone's again (PRES-5). Each
// presence is the member's whole newest presence: it replaces the one known.
// Live drag previews ride on it (PRES-6): `setPresence({ ..., drag })` while dragging,
// and peers' `presence.drag` (see dragPreviews) for drawing others' drags.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { create } from "@bufbuild/protobuf";
import type { Drag, Member, MemberLeft, MemberPresence, Presence } from "../gen/sync_pb";
import { PresenceSchema } from "../gen/sync_pb";
import type { Changes } from "./changeSet";

export const PRESENCE_INTERVAL_MS = 33; // about 30 presence updates a second at most

export interface Peer {
  member: Member;
  presence?: Presence;
}

/** Another member's drag in progress (PRES-6), for a live preview of the dragged object. */
export interface DragPreview {
  clientId: string;
  member: Member;
  drag: Drag;
}

/**
 * The drags in progress of the peers, by dragged object id. A canvas object is shown at
 * `drag.x`/`drag.y`; an ordered row (backlog item) at `drag.orderKey`, in column
 * `drag.status` when set. Two peers dragging one object: the later peer in `peers` wins.
 */
export function dragPreviews(peers: ReadonlyMap<string, Peer>): Map<string, DragPreview> {
  const out = new Map<string, DragPreview>();
  for (const [clientId, p] of peers) {
    const drag = p.presence?.drag;
    if (drag && drag.objectId) out.set(drag.objectId, { clientId, member: p.member, drag });
  }
  return out;
}

export class Peers {
  readonly peers = new Map<string, Peer>();
  private lastPresenceAt = 0;
  private presenceTimer: ReturnType<typeof setTimeout> | null = null;
  private queuedPresence: Presence | null = null;

  /** `send` sends this client's presence; only while `joined()`. */
  constructor(
    private readonly joined: () => boolean,
    private readonly send: (p: Presence) => void,
  ) {}

  /**
   * Ephemeral presence, sent at most every PRESENCE_INTERVAL_MS (newest wins). Each call
   * is the whole presence: while dragging, pass `drag` (`{ objectId, x, y }` for a canvas
   * object, `{ objectId, orderKey, status? }` for a backlog row) with every update, and a
   * presence without it once the drag ends (the drop itself is an ordinary change).
   */
  setPresence(p: MessageInitShape<typeof PresenceSchema>): void {
    this.queuedPresence = create(PresenceSchema, p);
    const wait = this.lastPresenceAt + PRESENCE_INTERVAL_MS - Date.now();
    if (wait <= 0) this.flushPresence();
    else if (!this.presenceTimer) this.presenceTimer = setTimeout(() => this.flushPresence(), wait);
  }

  stop(): void {
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
  }

  /** The welcome's list of who is here: replaces the peers. */
  welcome(present: MemberPresence[]): void {
    this.peers.clear();
    for (const p of present) if (p.member) this.peers.set(p.member.clientId, { member: p.member, presence: p.presence });
  }

  /**
   * Another client's arrival (no presence yet) or presence, whole and newest (PRES-5):
   * it replaces the one known. Our own echo, if any, is not a peer.
   */
  onPresence(m: MemberPresence, myClientId: string, fc: Changes): void {
    if (m.member && m.member.clientId !== myClientId) {
      const known = this.peers.get(m.member.clientId);
      // An arrival after a presence (a repeated arrival) keeps what is known.
      this.peers.set(m.member.clientId, { member: m.member, presence: m.presence ?? known?.presence });
      fc.presence.add(m.member.clientId);
    }
  }

  onLeft(m: MemberLeft, fc: Changes): void {
    if (this.peers.delete(m.clientId)) fc.presence.add(m.clientId);
  }

  /** The connection is gone: nobody is known to be here. Returns who was. */
  dropAll(): Set<string> {
    const left = new Set(this.peers.keys());
    this.peers.clear();
    return left;
  }

  private flushPresence(): void {
    this.presenceTimer = null;
    if (!this.queuedPresence || !this.joined()) return;
    this.lastPresenceAt = Date.now();
    this.send(this.queuedPresence);
    this.queuedPresence = null;
  }
}
