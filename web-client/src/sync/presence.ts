// Presence: the other clients on the board (member and latest presence, by client id),
// from the welcome's present list, presence and memberLeft messages; and this client's
// own presence, sent at most every PRESENCE_INTERVAL_MS, the newest winning.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { create } from "@bufbuild/protobuf";
import type { Member, MemberLeft, MemberPresence, Presence } from "../gen/sync_pb";
import { PresenceSchema } from "../gen/sync_pb";
import type { Changes } from "./changeSet";

export const PRESENCE_INTERVAL_MS = 33; // about 30 presence updates a second at most

export interface Peer {
  member: Member;
  presence?: Presence;
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

  /** Ephemeral presence, sent at most every PRESENCE_INTERVAL_MS (newest wins). */
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

  /** Another client's presence (our own echo, if any, is not a peer). */
  onPresence(m: MemberPresence, myClientId: string, fc: Changes): void {
    if (m.member && m.member.clientId !== myClientId) {
      this.peers.set(m.member.clientId, { member: m.member, presence: m.presence });
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
