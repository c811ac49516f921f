// SyncClient: the client's sync layer (DESIGN section 2, "Client").
//
// Keeps the confirmed board (server state: welcome, then every change in seq order,
// own changes on their ack) and the pending changes not yet acked. The view is the
// confirmed board with the pending changes applied on top, kept incrementally
// (overlay.ts: a frame recomputes only what it touched), so a user keeps seeing their
// own pending value of a field when someone else's change to it arrives, and a
// rejected change simply disappears (with a message). Listeners hear what each
// update changed (frameChanges.ts). Pending changes survive a reload (sessionStorage)
// and are all resent after a reconnect (IDEM-3): the server answers each again, a duplicate ack
// for one applied before (its effect is already in the welcome's board), the same
// reject for one rejected before. Undo/redo per user by inverse ops.
//
// Joins with a member token (AUTH-*): the welcome says who "me" is (member id,
// name, role); a refused or revoked token (close 4006) and a deleted board (4005)
// end the session for good (CLOSE-2). Close codes act per SPEC CLOSE-3
// (closeCodes.ts): 4002 stops ("out of date"), 4004 stops until the user takes
// over ("opened in another tab"). A duplicated tab, which inherits the client id
// with sessionStorage, takes an id of its own before it joins (tabClaim.ts).
// Retryable rejects (STORAGE_UNAVAILABLE, RATE_LIMITED: REJ-2) keep the change
// pending and resend it, same client_seq, after a backoff.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { Change, Op } from "../gen/board_pb";
import { BoardKind, ChangeSchema, ObjectType } from "../gen/board_pb";
import type { Member, Presence, ServerMessage } from "../gen/sync_pb";
import {
  ClientMessageSchema,
  ErrorCode,
  PresenceSchema,
  ProtocolVersion,
  RejectCode,
  Role,
  ServerFrameSchema,
} from "../gen/sync_pb";
import type { ChangeMeta } from "./board";
import { BoardModel, opIds } from "./board";
import type { FrameChanges } from "./frameChanges";
import { EVERYTHING } from "./frameChanges";
import { ViewOverlay } from "./overlay";
import type { StopReason } from "./closeCodes";
import { CLOSE_BOARD_DELETED, CLOSE_UNAUTHORIZED, closeAction, isStop } from "./closeCodes";
import { newId, op } from "./ops";
import type { PageEnv, SocketFactory } from "./transport";
import { ReconnectingSocket } from "./transport";

export const PING_INTERVAL_MS = 5000; // browsers hide WebSocket pings: an app-level one
export const SILENCE_LIMIT_MS = 15000; // no frame for this long: the connection is dead
export const WAKE_LIMIT_MS = 3000; // back to a visible page: no answer to a ping within this, the connection is dead
export const PRESENCE_INTERVAL_MS = 33; // about 30 presence updates a second at most
export const MAX_ID_RETRIES = 3; // new client ids tried on one connection after CLIENT_ID_TAKEN (JOIN-6); a UUID never collides twice

export const RETRY_BASE_MS = 500; // first resend of a change refused for now (REJ-2)
export const RETRY_MAX_MS = 30000;
export const MAX_FRAME_BYTES = 256 * 1024; // resends go in frames of at most this (the server closes past 1 MiB, FRAME-3)
export const MAX_CHANGE_BYTES = 768 * 1024; // a larger change is refused here: the server would close (1009) on every resend

export { CLOSE_BOARD_DELETED, CLOSE_UNAUTHORIZED };

/** Rejects that say "not now" rather than "never": the change stays pending and goes again (REJ-2). */
export const RETRYABLE_REJECTS: ReadonlySet<RejectCode> = new Set([RejectCode.STORAGE_UNAVAILABLE, RejectCode.RATE_LIMITED]);

/**
 * "revoked" and "deleted" are final; "outdated" (4002) and "replaced" (4004) stop
 * too, until a reload or a takeover: the session does not reconnect by itself.
 */
export type Status = "connecting" | "online" | "offline" | StopReason;

/** Who this client is on the board: from the membership until the welcome says (Welcome.you). */
export interface Me {
  memberId: string;
  name: string;
}

export interface PendingChange {
  clientSeq: bigint;
  ops: Op[];
}

export interface SyncOptions {
  url: string;
  boardId: string;
  /** The member token of this board (Join.token). */
  token: string;
  /** The membership's member id, name and role: who we are until the welcome says. */
  memberId: string;
  userName: string;
  role: Role;
  color: string;
  /** Keeps the client id and the pending changes across reloads, per board and member. */
  storage?: Pick<Storage, "getItem" | "setItem">;
  socketFactory?: SocketFactory;
  /** Online/offline and visibility events (the browser's by default; tests pass their own). */
  pageEnv?: PageEnv | null;
  /**
   * Claims the client id for this tab: false when another open tab holds it (this
   * tab is a duplicate that inherited it with sessionStorage). See tabClaim.ts.
   */
  claimClientId?: (clientId: string) => Promise<boolean>;
}

export interface Peer {
  member: Member;
  presence?: Presence;
}

interface Saved {
  clientId: string;
  nextClientSeq: string;
  pending: string[]; // base64 Change
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

export class SyncClient {
  status: Status = "connecting";
  role: Role;
  me: Me;
  confirmed = new BoardModel();
  pending: PendingChange[] = [];
  peers = new Map<string, Peer>();
  lastError: string | null = null;
  initialized = false;
  clientId: string;
  /** Was live once since the page opened: a drop now is a reconnect. */
  wasOnline = false;

  private nextClientSeq = 1n;
  private joined = false;
  private socket: ReconnectingSocket;
  private listeners = new Set<(changes: FrameChanges) => void>();
  /** The view: confirmed + pending, kept incrementally (overlay.ts). */
  private overlay = new ViewOverlay();
  /** When each pending change was made here (the created_ms of a pending comment). */
  private pendingTime = new Map<bigint, bigint>();
  /** Each pending change as saved (base64 Change): encoded once, not on every save. */
  private encoded = new Map<bigint, string>();
  private undoStack: Op[][] = [];
  private redoStack: Op[][] = [];
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private lastFrameAt = Date.now();
  private lastPresenceAt = 0;
  private presenceTimer: ReturnType<typeof setTimeout> | null = null;
  private queuedPresence: Presence | null = null;
  private idRetries = 0;
  private readonly storageKey: string;
  private started = false;
  /** Changes refused for now (REJ-2), waiting for their resend. */
  private held = new Set<bigint>();
  private retryAttempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private wakeTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly opts: SyncOptions) {
    // Per member: another membership of this board in this browser is another client.
    this.storageKey = `tandem:sync:${opts.boardId}:${opts.memberId}`;
    this.role = opts.role;
    this.me = { memberId: opts.memberId, name: opts.userName };
    const saved = this.load();
    this.clientId = saved?.clientId ?? newId();
    if (saved) {
      this.nextClientSeq = BigInt(saved.nextClientSeq);
      this.pending = saved.pending.map((p) => {
        const c = fromBinary(ChangeSchema, unb64(p));
        return { clientSeq: c.clientSeq, ops: c.ops };
      });
    }
    this.socket = new ReconnectingSocket(
      opts.url,
      { onOpen: () => this.onOpen(), onMessage: (b) => this.onFrame(b), onClose: (code) => this.onClose(code), onWake: () => this.onWake() },
      opts.socketFactory,
      Math.random,
      opts.pageEnv,
    );
    this.rebuildView();
  }

  /** The board as this user sees it: the confirmed board with the pending changes on top. */
  get view(): BoardModel {
    return this.overlay.view;
  }

  /** Connects; with `claimClientId`, only once this tab holds its client id (a duplicated tab takes a new one). */
  start(): void {
    this.started = true;
    if (!this.opts.claimClientId) return this.connect();
    void this.opts.claimClientId(this.clientId).then(
      (mine) => {
        if (!this.started) return;
        if (!mine) this.becomeDuplicate();
        this.connect();
      },
      () => this.started && this.connect(),
    );
  }

  stop(): void {
    this.started = false;
    this.socket.stop();
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
    this.clearRetry();
  }

  /** After "Opened in another tab" (4004): connect here again; the other tab gets the 4004 now. */
  takeOver(): void {
    if (this.status !== "replaced") return;
    this.lastError = null;
    this.status = "connecting";
    this.connect();
    this.emit(statusOnly());
  }

  private connect(): void {
    this.socket.start();
    if (this.socket.isOffline) this.setStatus("offline");
    if (!this.pingTimer) this.pingTimer = setInterval(() => this.tick(), PING_INTERVAL_MS);
  }

  /**
   * This tab is a copy of another open one (sessionStorage, client id and pending
   * changes included). The pending changes are the other tab's to send: sending them
   * under a new id would apply them twice. Start afresh with an id of our own.
   */
  private becomeDuplicate(): void {
    this.clientId = newId();
    this.nextClientSeq = 1n;
    this.pending = [];
    this.pendingTime.clear();
    this.encoded.clear();
    this.held.clear();
    this.undoStack = [];
    this.redoStack = [];
    this.save();
    this.rebuildView();
    this.emit(EVERYTHING);
    void this.opts.claimClientId?.(this.clientId).catch(() => {});
  }

  /**
   * `fn` hears of every update, with what it changed (frameChanges.ts): EVERYTHING
   * when it cannot be narrowed down. A listener may ignore the argument.
   */
  subscribe(fn: (changes: FrameChanges) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get userName(): string {
    return this.me.name;
  }

  /** The session ended for good: access revoked or refused (4006), or the board deleted (4005). */
  get ended(): boolean {
    return this.status === "revoked" || this.status === "deleted";
  }

  /** Not reconnecting by itself (CLOSE-3): ended, out of date (4002) or open in another tab (4004). */
  get stopped(): boolean {
    return this.ended || this.status === "outdated" || this.status === "replaced";
  }

  /** Shows a message as the last error (the UI's toast). */
  flash(message: string): void {
    this.lastError = message;
    this.emit(statusOnly());
  }

  /** May change objects (ROLE-2). Viewers never send a change: the page is read-only. */
  get canWrite(): boolean {
    return this.role >= Role.EDITOR && !this.stopped;
  }

  /** May change the board's title and columns (ROLE-3). */
  get canUpdateBoard(): boolean {
    return this.role >= Role.FACILITATOR && !this.stopped;
  }

  /** Applies `ops` at once (optimistic) and sends them as one change. */
  submit(ops: Op[], undoable = true): void {
    if (ops.length === 0) return;
    if (!this.canWrite) return this.flash(this.stopReason() ?? "View only: you cannot change this board");
    if (toBinary(ChangeSchema, create(ChangeSchema, { clientSeq: this.nextClientSeq, ops })).length > MAX_CHANGE_BYTES)
      return this.flash("This change is too large to send: try a smaller one");
    if (undoable) {
      const inverse = inverseOps(ops, this.view);
      if (inverse) {
        this.undoStack.push(inverse);
        this.redoStack = [];
      }
    }
    this.push(ops);
  }

  undo(): void {
    this.step(this.undoStack, this.redoStack);
  }

  redo(): void {
    this.step(this.redoStack, this.undoStack);
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** Ephemeral presence, sent at most every PRESENCE_INTERVAL_MS (newest wins). */
  setPresence(p: MessageInitShape<typeof PresenceSchema>): void {
    this.queuedPresence = create(PresenceSchema, p);
    const wait = this.lastPresenceAt + PRESENCE_INTERVAL_MS - Date.now();
    if (wait <= 0) this.flushPresence();
    else if (!this.presenceTimer) this.presenceTimer = setTimeout(() => this.flushPresence(), wait);
  }

  private flushPresence(): void {
    this.presenceTimer = null;
    if (!this.queuedPresence || !this.joined) return;
    this.lastPresenceAt = Date.now();
    this.send({ case: "presence", value: this.queuedPresence });
    this.queuedPresence = null;
  }

  private step(from: Op[][], to: Op[][]): void {
    if (!this.canWrite) return;
    const ops = from.pop();
    if (!ops) return;
    const inverse = inverseOps(ops, this.view);
    if (inverse) to.push(inverse);
    this.push(ops);
  }

  private push(ops: Op[]): void {
    const change = { clientSeq: this.nextClientSeq++, ops };
    this.pending.push(change);
    this.pendingTime.set(change.clientSeq, BigInt(Date.now()));
    this.save();
    // Behind a change refused for now (REJ-2), a new one waits its turn: it may build on it.
    if (this.held.size) this.held.add(change.clientSeq);
    else if (this.joined) this.send({ case: "submit", value: { changes: [create(ChangeSchema, change)] } });
    this.overlay.applyOnTop(this.confirmed, change, this.metaOf(change));
    const fc = changesOf(ops);
    fc.status = true; // the pending count
    this.emit(fc);
  }

  private stopReason(): string | null {
    if (this.ended) return "This board is closed to you";
    if (this.status === "replaced") return "This board is open in another tab: use it here to edit";
    if (this.status === "outdated") return "This page is out of date: reload it to edit";
    return null;
  }

  /** Sends changes in client_seq order, in frames of at most MAX_FRAME_BYTES (FRAME-3). */
  private sendChanges(list: PendingChange[]): void {
    let batch: Change[] = [];
    let bytes = 0;
    const flush = () => {
      if (batch.length) this.send({ case: "submit", value: { changes: batch } });
      batch = [];
      bytes = 0;
    };
    for (const p of list) {
      const c = create(ChangeSchema, p);
      const size = toBinary(ChangeSchema, c).length + 8;
      if (bytes + size > MAX_FRAME_BYTES) flush();
      batch.push(c);
      bytes += size;
    }
    flush();
  }

  private send(kind: MessageInitShape<typeof ClientMessageSchema>["kind"]): boolean {
    return this.socket.send(toBinary(ClientMessageSchema, create(ClientMessageSchema, { kind })));
  }

  private onOpen(): void {
    this.setStatus("connecting");
    this.idRetries = 0;
    this.join();
  }

  private join(): void {
    this.send({
      case: "join",
      value: {
        protocolVersion: ProtocolVersion.CURRENT,
        boardId: this.opts.boardId,
        clientId: this.clientId,
        token: this.opts.token,
        color: this.opts.color,
        lastSeenSeq: this.initialized ? this.confirmed.seq : 0n,
      },
    });
  }

  private onClose(code?: number): void {
    this.joined = false;
    const left = new Set(this.peers.keys());
    this.peers.clear();
    this.clearRetry(); // the welcome resends everything pending
    const action = closeAction(code);
    if (action === "revoked" || action === "deleted") return this.end(action);
    if (isStop(action)) return this.halt(action);
    this.status = this.socket.isOffline ? "offline" : "connecting";
    this.emit({ ...statusOnly(), presence: left });
  }

  /**
   * Stops without ending: out of date (4002: reload) or replaced by another tab of this
   * client (4004: take over). Pending changes stay kept: a reload or a takeover sends them.
   */
  private halt(status: "outdated" | "replaced"): void {
    this.joined = false;
    this.socket.stop();
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    this.status = status;
    this.emit(statusOnly());
  }

  /** Stops for good: reconnecting with this token would be refused again (CLOSE-2). */
  private end(status: "revoked" | "deleted"): void {
    this.joined = false;
    this.socket.stop();
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    this.undoStack = [];
    this.redoStack = [];
    // Unsent changes will never be applied: stop showing them.
    this.pending = [];
    this.clearRetry();
    this.pendingTime.clear();
    this.encoded.clear();
    this.save();
    this.rebuildView();
    if (!this.ended) this.status = status;
    this.emit(EVERYTHING);
  }

  /** The page is visible (or online) again with the socket open: check it still works, quickly. */
  private onWake(): void {
    if (!this.joined) return;
    const at = Date.now();
    this.send({ case: "ping", value: { nonce: BigInt(at) } });
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      if (this.joined && this.lastFrameAt < at) this.socket.restart();
    }, WAKE_LIMIT_MS);
  }

  private tick(): void {
    if (!this.joined) return;
    if (Date.now() - this.lastFrameAt > SILENCE_LIMIT_MS) return this.socket.restart();
    this.send({ case: "ping", value: { nonce: BigInt(Date.now()) } });
  }

  private onFrame(bytes: Uint8Array): void {
    this.lastFrameAt = Date.now();
    const frame = fromBinary(ServerFrameSchema, bytes);
    const before = [this.status, this.role, this.pending.length, this.lastError, this.me.name, this.me.memberId].join("\u0000");
    const fc = noChanges();
    for (const m of frame.messages) {
      if (this.ended) {
        fc.all = true; // end() rebuilt the view
        break;
      }
      this.handle(m, fc);
    }
    if (this.ended) return; // end() emitted
    if (fc.all) this.rebuildView();
    else if (fc.objects.size || fc.settings) this.overlay.refresh(this.confirmed, this.pending, (p) => this.metaOf(p), fc.objects as Set<string>);
    const after = [this.status, this.role, this.pending.length, this.lastError, this.me.name, this.me.memberId].join("\u0000");
    if (after !== before) fc.status = true;
    this.emit(fc.all ? EVERYTHING : fc);
  }

  private handle(m: ServerMessage, fc: Changes): void {
    const k = m.kind;
    switch (k.case) {
      case "welcome": {
        const w = k.value;
        this.role = w.role;
        if (w.you) this.me = { memberId: w.you.memberId || this.me.memberId, name: w.you.userName || this.me.name };
        const kind = w.board?.kind === BoardKind.BACKLOG ? BoardKind.BACKLOG : BoardKind.DISCOVERY;
        if (!this.initialized || w.snapshot) this.confirmed = BoardModel.empty(w.board);
        if (w.snapshot) this.confirmed.load(w.snapshot, kind);
        for (const c of w.changes) this.confirmed.applySequenced(c);
        this.confirmed.seq = w.headSeq;
        this.confirmed.title = w.board?.title ?? this.confirmed.title;
        this.initialized = true;
        this.peers.clear();
        for (const p of w.present) if (p.member) this.peers.set(p.member.clientId, { member: p.member, presence: p.presence });
        // IDEM-3: every pending change goes again. One at or below last_client_seq has an
        // outcome on the server (answered again: a duplicate ack or the same reject); one
        // above it was never seen. New changes must not reuse a seq the server holds.
        if (this.nextClientSeq <= w.lastClientSeq) this.nextClientSeq = w.lastClientSeq + 1n;
        this.save();
        this.joined = true;
        this.wasOnline = true;
        this.socket.healthy();
        this.clearRetry();
        if (this.pending.length > 0) this.sendChanges(this.pending);
        this.status = "online"; // listeners hear of it after the view is recomputed
        fc.all = true;
        return;
      }
      case "change":
        // A promoteDone changes the note its promote named (found before the outbox forgets it).
        for (const o of k.value.ops)
          if (o.kind.case === "promoteDone") {
            const n = this.confirmed.outbox.get(o.kind.value.promoteSeq)?.noteId;
            if (n !== undefined) fc.objects.add(n);
          }
        this.confirmed.applySequenced(k.value);
        touch(fc, k.value.ops);
        return;
      case "ack": {
        const i = this.pending.findIndex((p) => p.clientSeq === k.value.clientSeq);
        if (i < 0) return;
        const [p] = this.pending.splice(i, 1);
        this.forget(p.clientSeq);
        touch(fc, p.ops);
        this.held.delete(p.clientSeq);
        this.retryAttempt = 0; // the server takes changes again
        // A duplicate was applied before the welcome: its effect is in the welcome's board (IDEM-2).
        // Otherwise rebuild the SequencedChange as the server stamped it (ACK-4, AUTH-3).
        if (!k.value.duplicate)
          this.confirmed.apply(p.ops, { seq: k.value.seq, ...this.stamp(), timeMs: k.value.serverTimeMs, system: false });
        this.save();
        return;
      }
      case "reject": {
        const i = this.pending.findIndex((p) => p.clientSeq === k.value.clientSeq);
        if (i < 0) return;
        if (RETRYABLE_REJECTS.has(k.value.code)) {
          // REJ-2: not applied, not recorded; the same client_seq goes again after a backoff.
          if (!this.held.size)
            this.lastError = k.value.code === RejectCode.RATE_LIMITED
              ? "Too many changes at once: yours are kept and will be sent again"
              : "The server could not save your change just now: it is kept and will be sent again";
          this.held.add(k.value.clientSeq);
          this.scheduleRetry();
          return;
        }
        const [p] = this.pending.splice(i, 1);
        this.forget(p.clientSeq);
        touch(fc, p.ops);
        // STALE_CLIENT_SEQ: its outcome is forgotten; if it was applied, the board holds it (IDEM-2).
        if (k.value.code !== RejectCode.STALE_CLIENT_SEQ) this.lastError = k.value.message || "The server refused a change";
        this.save();
        return;
      }
      case "presence":
        if (k.value.member && k.value.member.clientId !== this.clientId) {
          this.peers.set(k.value.member.clientId, { member: k.value.member, presence: k.value.presence });
          fc.presence.add(k.value.member.clientId);
        }
        return;
      case "memberLeft":
        if (this.peers.delete(k.value.clientId)) fc.presence.add(k.value.clientId);
        return;
      case "error":
        if (k.value.code === ErrorCode.CLIENT_ID_TAKEN && !this.joined && this.idRetries < MAX_ID_RETRIES) {
          // JOIN-6: the id is another member's on this board. The connection stays; join again.
          // Pending changes go with the new id: the server never saw them under it.
          this.idRetries++;
          this.clientId = newId();
          this.save();
          void this.opts.claimClientId?.(this.clientId).catch(() => {});
          this.join();
          return;
        }
        if (k.value.code === ErrorCode.UNAUTHORIZED) return this.end("revoked"); // AUTH-2; the 4006 close follows
        if (k.value.code === ErrorCode.STORAGE_UNAVAILABLE && !this.joined) return this.socket.restart(); // the board cannot load now: try again later
        this.lastError = k.value.message;
        return;
      default:
        return;
    }
  }

  /** Resends the held changes (REJ-2) after a backoff: RETRY_BASE_MS doubling, capped, jittered. */
  private scheduleRetry(): void {
    if (this.retryTimer) return;
    const base = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(this.retryAttempt++, 20));
    const wait = Math.round(base * (0.5 + Math.random() / 2));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.joined || !this.held.size) return;
      const again = this.pending.filter((p) => this.held.has(p.clientSeq));
      this.held.clear();
      this.sendChanges(again);
    }, wait);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.held.clear();
  }

  /** Changes kept on this device, not yet confirmed by the server. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** How long until the next connection try, in ms, when waiting for one. */
  get nextTryIn(): number | null {
    return this.socket.nextTryIn;
  }

  /** The whole view again (a welcome, a snapshot, a reset): costs the board's size. */
  private rebuildView(): void {
    this.overlay.full(this.confirmed, this.pending, (p) => this.metaOf(p));
  }

  /**
   * How a pending change is applied to the view: not sequenced yet (seq 0), stamped
   * as the server will stamp it (AUTH-3), at the time it was made here.
   */
  private metaOf(p: PendingChange): ChangeMeta {
    let t = this.pendingTime.get(p.clientSeq);
    if (t === undefined) this.pendingTime.set(p.clientSeq, (t = BigInt(Date.now())));
    return { seq: 0n, ...this.stamp(), timeMs: t, system: false };
  }

  /** The author the server stamps on this member's changes (AUTH-3). */
  private stamp(): { author: string; authorId: string } {
    return { author: this.me.name, authorId: this.me.memberId };
  }

  private setStatus(s: Status): void {
    if (this.status !== s) {
      this.status = s;
      this.emit(statusOnly());
    }
  }

  private emit(changes: FrameChanges): void {
    for (const fn of this.listeners) fn(changes);
  }

  private load(): Saved | null {
    try {
      const raw = this.opts.storage?.getItem(this.storageKey);
      return raw ? (JSON.parse(raw) as Saved) : null;
    } catch {
      return null;
    }
  }

  /** Drops what is kept beside a pending change that is no longer pending. */
  private forget(clientSeq: bigint): void {
    this.pendingTime.delete(clientSeq);
    this.encoded.delete(clientSeq);
  }

  private save(): void {
    const saved: Saved = {
      clientId: this.clientId,
      nextClientSeq: this.nextClientSeq.toString(),
      pending: this.pending.map((p) => {
        let e = this.encoded.get(p.clientSeq);
        if (e === undefined) this.encoded.set(p.clientSeq, (e = b64(toBinary(ChangeSchema, create(ChangeSchema, p)))));
        return e;
      }),
    };
    try {
      this.opts.storage?.setItem(this.storageKey, JSON.stringify(saved));
    } catch {
      /* storage full or unavailable: the queue still lives in memory */
    }
  }
}

const SERVER_FIELDS = new Set(["author", "created_ms", "voter", "promoted_board", "promoted_item", "promote_error", "source_board", "source_note"]);

/** The ops that undo `ops` on `view`, or null when they cannot be undone. */
export function inverseOps(ops: Op[], view: BoardModel): Op[] | null {
  // A scratch board of only the objects the ops touch (an op reads no other).
  const scratch = new BoardModel();
  scratch.seq = view.seq;
  for (const o of ops)
    for (const id of opIds(o)) {
      const obj = view.objects.get(id);
      if (obj && !scratch.objects.has(id)) scratch.put({ ...obj, fields: new Map(obj.fields) });
    }
  const out: Op[] = [];
  for (const o of ops) {
    const inv = inverseOp(o, scratch);
    if (!inv) return null;
    out.unshift(...inv);
    scratch.apply([o], { seq: scratch.seq, author: "", authorId: "", timeMs: 0n, system: false });
  }
  return out;
}

function inverseOp(o: Op, view: BoardModel): Op[] | null {
  const k = o.kind;
  switch (k.case) {
    case "create":
      return [op.delete(k.value.id)];
    case "update": {
      const obj = view.live(k.value.id);
      if (!obj) return null;
      const old: Record<string, string | number | boolean | bigint | string[]> = {};
      for (const f of k.value.fields) {
        const prev = obj.fields.get(f.name);
        if (prev !== undefined) old[f.name] = prev;
        else {
          const c = f.value?.kind.case;
          old[f.name] = c === "number" ? 0 : c === "flag" ? false : c === "integer" ? 0n : c === "list" ? [] : "";
        }
      }
      return [op.update(k.value.id, old)];
    }
    case "delete": {
      const obj = view.live(k.value.id);
      if (!obj || obj.type === ObjectType.VOTE) return null;
      const values: Record<string, string | number | boolean | bigint | string[]> = {};
      for (const [name, v] of obj.fields) if (!SERVER_FIELDS.has(name)) values[name] = v;
      return [op.create(newId(), obj.type, values)]; // a tombstone stays dead: restore as a copy
    }
    case "move": {
      const obj = view.live(k.value.id);
      if (!obj) return null;
      const order = String(obj.fields.get("order") ?? "a0");
      const parent = k.value.parent !== undefined ? String(obj.fields.get("parent") ?? "") : undefined;
      return [op.move(k.value.id, order, parent)];
    }
    case "addVote":
      return [op.removeVote(k.value.id)];
    case "removeVote": {
      const target = view.text(k.value.id, "target");
      return target ? [op.addVote(newId(), target)] : null;
    }
    default:
      return null;
  }
}

/** A FrameChanges being filled in (mutable sets). */
interface Changes extends FrameChanges {
  objects: Set<string>;
  presence: Set<string>;
}

const noChanges = (): Changes => ({ all: false, objects: new Set(), settings: false, presence: new Set(), status: false });
const statusOnly = (): Changes => ({ ...noChanges(), status: true });

/** Marks what `ops` touch: their ids, and the settings for updateBoard. */
function touch(fc: Changes, ops: Op[]): void {
  for (const o of ops) {
    for (const id of opIds(o)) fc.objects.add(id);
    if (o.kind.case === "updateBoard") fc.settings = true;
  }
}

function changesOf(ops: Op[]): Changes {
  const fc = noChanges();
  touch(fc, ops);
  return fc;
}
