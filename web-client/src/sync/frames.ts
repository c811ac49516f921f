// Frames: what each server message does to the client's state. The welcome (re)loads
// the confirmed board and resends every pending change (IDEM-3); changes apply in seq
// order; an ack confirms a pending change, a reject drops it or, for now (REJ-2), holds
// it; presence updates the peers (one frame may hold many members' presence, a tick:
// PRES-4); an error may retry the join (JOIN-6) or end the session.
import { BoardKind } from "../gen/board_pb";
import type { Ack, Reject, Role, Error as ServerError, ServerMessage, Welcome } from "../gen/sync_pb";
import { ErrorCode, RejectCode } from "../gen/sync_pb";
import { BoardModel } from "./board";
import type { Changes } from "./changeSet";
import { touch } from "./changeSet";
import type { ServerClock } from "./clock";
import type { Link } from "./link";
import type { Outbox } from "./outbox";
import type { Peers } from "./presence";
import type { Retry } from "./retry";
import { errorText, rejectText } from "./rejectText";
import { RETRYABLE_REJECTS } from "./retry";
import type { Me, Status } from "./syncTypes";
import { stamp } from "./syncTypes";

export const MAX_ID_RETRIES = 3; // new client ids tried on one connection after CLIENT_ID_TAKEN (JOIN-6); a UUID never collides twice

/** The client state the messages change (SyncClient's public fields). */
export interface ClientState {
  status: Status;
  role: Role;
  me: Me;
  confirmed: BoardModel;
  lastError: string | null;
  initialized: boolean;
  wasOnline: boolean;
}

/** The client's parts the messages reach, and how it ends for good (AUTH-2). */
export interface ClientParts {
  outbox: Outbox;
  peers: Peers;
  retry: Retry;
  link: Link;
  /** The server's clock (FAC-3): sampled from the Welcome and each Pong. */
  clock: ServerClock;
  end: (status: "revoked") => void;
  /** Who last edited or deleted each object, by display name (SequencedChange.author). */
  changedBy: Map<string, string>;
  claimClientId?: (clientId: string) => Promise<boolean>;
}

export class FrameHandler {
  private idRetries = 0;
  /** A welcome whose snapshot objects are still coming in SnapshotPart messages (JOIN-8). */
  private partial: { welcome: Welcome; left: number } | null = null;
  /**
   * An ack of ours lacked derived ops this replica cannot make (FAC-9: Revealed, Authors,
   * VotingResult): join again from nothing (a snapshot, JOIN-3) on the next connection.
   */

  constructor(
    private readonly c: ClientState,
    private readonly p: ClientParts,
  ) {}

  /** A new connection is open: join on it. */
  connected(): void {
    this.idRetries = 0;
    this.partial = null;
    this.join();
  }

  /** Applies one server message, marking in `fc` what it changed. */
  handle(m: ServerMessage, fc: Changes): void {
    const k = m.kind;
    switch (k.case) {
      case "welcome":
        if (k.value.snapshotParts > 0 && k.value.snapshot) {
          this.partial = { welcome: k.value, left: k.value.snapshotParts };
          return;
        }
        this.partial = null;
        return this.welcome(k.value, fc);
      case "snapshotPart": {
        // JOIN-8: the parts come next, nothing between them; the last one completes it.
        const p = this.partial;
        if (!p) return;
        for (const o of k.value.objects) p.welcome.snapshot!.objects.push(o);
        if (--p.left > 0) return;
        this.partial = null;
        return this.welcome(p.welcome, fc);
      }
      case "change":
        // A promoteDone changes the note its promote named (found before the outbox forgets it).
        for (const o of k.value.ops)
          if (o.kind.case === "promoteDone") {
            const n = this.c.confirmed.outbox.get(o.kind.value.promoteSeq)?.noteId;
            if (n !== undefined) fc.objects.add(n);
          }
        this.c.confirmed.applySequenced(k.value);
        touch(fc, k.value.ops);
        for (const o of k.value.ops)
          if ((o.kind.case === "update" || o.kind.case === "delete" || o.kind.case === "move") && k.value.author)
            this.p.changedBy.set(o.kind.value.id, k.value.author);
        return;
      case "ack":
        return this.ack(k.value, fc);
      case "reject":
        return this.reject(k.value, fc);
      case "presence":
        return this.p.peers.onPresence(k.value, this.p.outbox.clientId, fc);
      case "memberLeft":
        return this.p.peers.onLeft(k.value, fc);
      case "error":
        return this.error(k.value);
      case "pong": {
        const sentAt = this.p.link.pongSentAt(k.value.nonce);
        if (sentAt !== null) this.p.clock.sample(sentAt, Number(k.value.serverTimeMs));
        return;
      }
      default:
        return;
    }
  }

  private join(): void {
    this.p.link.join(this.p.outbox.clientId, this.c.initialized ? this.c.confirmed.seq : 0n);
  }

  private welcome(w: Welcome, fc: Changes): void {
    const { c, p } = this;
    // FAC-3: a new connection, a new clock estimate; the welcome answered our join.
    p.clock.reset();
    if (p.link.joinSentAt !== null) p.clock.sample(p.link.joinSentAt, Number(w.serverTimeMs));
    c.role = w.role;
    if (w.you) c.me = { memberId: w.you.memberId || c.me.memberId, name: w.you.userName || c.me.name };
    const kind = w.board?.kind === BoardKind.BACKLOG ? BoardKind.BACKLOG : BoardKind.DISCOVERY;
    if (!c.initialized || w.snapshot) c.confirmed = BoardModel.empty(w.board);
    // JOIN-3: the snapshot may be older than headSeq (one the server cached); the
    // changes after it follow in `changes`, applied in order.
    if (w.snapshot) c.confirmed.load(w.snapshot, kind);
    for (const ch of w.changes) c.confirmed.applySequenced(ch);
    c.confirmed.seq = w.headSeq;
    c.confirmed.title = w.board?.title ?? c.confirmed.title;
    c.initialized = true;
    p.peers.welcome(w.present);
    // IDEM-3: every pending change goes again. One at or below last_client_seq has an
    // outcome on the server (answered again: a duplicate ack or the same reject); one
    // above it was never seen. New changes must not reuse a seq the server holds.
    if (p.outbox.nextClientSeq <= w.lastClientSeq) p.outbox.nextClientSeq = w.lastClientSeq + 1n;
    p.outbox.save();
    p.link.joined = true;
    c.wasOnline = true;
    p.link.healthy();
    p.retry.clear();
    if (p.outbox.pending.length > 0) p.link.sendChanges(p.outbox.pending);
    c.status = "online"; // listeners hear of it after the view is recomputed
    fc.all = true;
  }

  private ack(a: Ack, fc: Changes): void {
    const p = this.p.outbox.take(a.clientSeq);
    if (!p) return;
    touch(fc, p.ops);
    this.p.retry.acked(p.clientSeq); // the server takes changes again
    // A duplicate was applied before the welcome: its effect is in the welcome's board (IDEM-2).
    // Otherwise rebuild the SequencedChange as the server stamped it (ACK-4, AUTH-3).
    if (!a.duplicate) {
      const confirmed = this.c.confirmed;
      const meta = { seq: a.seq, ...stamp(this.c.me), timeMs: a.serverTimeMs, system: false, clientId: this.p.outbox.clientId };
      // The ops we sent, then the ops the server derived from them (FAC-9), as we may see them.
      confirmed.apply(a.derived.length ? [...p.ops, ...a.derived] : p.ops, meta);
      if (a.derived.length) {
        touch(fc, a.derived);
        fc.facilitation = true;
      }
    }
    this.p.outbox.save();
  }

  private reject(r: Reject, fc: Changes): void {
    if (!this.p.outbox.has(r.clientSeq)) return;
    if (RETRYABLE_REJECTS.has(r.code)) {
      // REJ-2: not applied, not recorded; the same client_seq goes again after a backoff.
      const message = this.p.retry.refused(r.clientSeq, r.code);
      if (message) this.c.lastError = message;
      return;
    }
    const p = this.p.outbox.take(r.clientSeq)!;
    touch(fc, p.ops);
    // STALE_CLIENT_SEQ: its outcome is forgotten; if it was applied, the board holds it (IDEM-2).
    if (r.code !== RejectCode.STALE_CLIENT_SEQ) this.c.lastError = rejectText(r.code, r.message);
    this.p.outbox.save();
  }

  private error(e: ServerError): void {
    const { p } = this;
    if (e.code === ErrorCode.CLIENT_ID_TAKEN && !p.link.joined && this.idRetries < MAX_ID_RETRIES) {
      // JOIN-6: the id is another member's on this board. The connection stays; join again.
      // Pending changes go with the new id: the server never saw them under it.
      this.idRetries++;
      p.outbox.newClientId();
      void p.claimClientId?.(p.outbox.clientId).catch(() => {});
      this.join();
      return;
    }
    if (e.code === ErrorCode.UNAUTHORIZED) return p.end("revoked"); // AUTH-2; the 4006 close follows
    if (e.code === ErrorCode.STORAGE_UNAVAILABLE && !p.link.joined) return p.link.restart(); // the board cannot load now: try again later
    // CLUSTER-2, CLUSTER-5: the 4008 / 4009 close follows and says what happens; no toast.
    if (e.code === ErrorCode.BOARD_MOVED || e.code === ErrorCode.BOARD_UNAVAILABLE) return;
    this.c.lastError = errorText(e.code); // plain words by code, never the server's wording
  }
}
