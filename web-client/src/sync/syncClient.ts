// SyncClient: the sync layer the views use. Ties its parts together (outbox, history,
// presence, retry, link, frames, liveView: one job each), applies local changes at once
// (optimistic), and connects, stops and ends per the close codes (CLOSE-2, CLOSE-3); a
// duplicated tab takes a client id of its own before it joins (tabClaim.ts).
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { BoardKind, BoardSnapshot, Op } from "../gen/board_pb";
import { ChangeSchema } from "../gen/board_pb";
import type { PresenceSchema } from "../gen/sync_pb";
import { Role, ServerFrameSchema } from "../gen/sync_pb";
import { BoardModel } from "./board";
import { changesOf, noChanges, statusOnly } from "./changeSet";
import { ServerClock } from "./clock";
import { CLOSE_BOARD_DELETED, CLOSE_UNAUTHORIZED, closeAction, closeText, isStop } from "./closeCodes";
import { FrameHandler } from "./frames";
import type { FrameChanges } from "./frameChanges";
import { EVERYTHING } from "./frameChanges";
import { History } from "./history";
import { Link } from "./link";
import { isFacilitatorOp } from "./ops";
import type { PendingChange } from "./outbox";
import { Outbox } from "./outbox";
import { LiveView } from "./liveView";
import type { Peer } from "./presence";
import { Peers } from "./presence";
import { Retry } from "./retry";
import type { Me, Status, SyncOptions } from "./syncTypes";

export { CLOSE_BOARD_DELETED, CLOSE_UNAUTHORIZED };
export { MAX_ID_RETRIES } from "./frames";
export { inverseOps } from "./history";
export { MAX_FRAME_BYTES, PING_INTERVAL_MS, SILENCE_LIMIT_MS, WAKE_LIMIT_MS } from "./link";
export type { PendingChange } from "./outbox";
export { PRESENCE_INTERVAL_MS } from "./presence";
export type { Peer } from "./presence";
export { RETRY_BASE_MS, RETRY_MAX_MS, RETRYABLE_REJECTS } from "./retry";
export { rejectText } from "./rejectText";
export { ServerClock } from "./clock";
export type { Me, Status, SyncOptions } from "./syncTypes";

export const MAX_CHANGE_BYTES = 768 * 1024; // a larger change is refused here: the server would close (1009) on every resend

export class SyncClient {
  status: Status = "connecting";
  role: Role;
  me: Me;
  confirmed = new BoardModel();
  lastError: string | null = null;
  initialized = false;
  /** Was live once since the page opened: a drop now is a reconnect. */
  wasOnline = false;
  /** Why the server closed the last connection, in plain words (CLOSE-3), if it said. */
  private closeReason: string | null = null;

  private started = false;
  private readonly outbox: Outbox;
  private readonly history = new History();
  private readonly presence: Peers;
  private readonly retry: Retry;
  private readonly link: Link;
  private readonly frames: FrameHandler;
  private readonly changedBy = new Map<string, string>();
  /** The server's clock (FAC-3), from the Welcome and the Pongs. */
  readonly clock: ServerClock;
  /** The view (confirmed + pending) and the listeners. */
  private readonly live = new LiveView((p) => this.outbox.metaOf(p, this.me));

  constructor(private readonly opts: SyncOptions) {
    this.role = opts.role;
    this.me = { memberId: opts.memberId, name: opts.userName };
    // Per member: another membership of this board in this browser is another client.
    this.outbox = new Outbox(opts.storage, `tandem:sync:${opts.boardId}:${opts.memberId}`);
    this.link = new Link(opts, { onOpen: () => this.onOpen(), onFrame: (b) => this.onFrame(b), onClose: (code) => this.onClose(code) });
    this.presence = new Peers(() => this.link.joined, (p) => void this.link.send({ case: "presence", value: p }));
    this.retry = new Retry(() => this.link.joined, (held) => this.link.sendChanges(this.pending.filter((p) => held.has(p.clientSeq))));
    this.clock = new ServerClock(opts.now);
    const parts = { outbox: this.outbox, peers: this.presence, retry: this.retry, link: this.link, clock: this.clock };
    this.frames = new FrameHandler(this, { ...parts, end: (s) => this.end(s), claimClientId: opts.claimClientId, changedBy: this.changedBy });
    this.rebuildView();
  }

  /** The board as this user sees it: the confirmed board with the pending changes on top. */
  get view(): BoardModel {
    return this.live.view;
  }

  /** Changes made here not yet acked, in client_seq order (kept across reloads: outbox.ts). */
  get pending(): PendingChange[] {
    return this.outbox.pending;
  }

  /** This client on the board (Join.client_id), kept across reloads. */
  get clientId(): string {
    return this.outbox.clientId;
  }

  /** Who last edited or deleted an object, as another member's change said: a hint for someone typing in it. */
  whoChanged(objectId: string): string | undefined {
    return this.changedBy.get(objectId);
  }

  /** The server's time now (unix ms), as this client estimates it (FAC-3): local time + offset. */
  serverNow(): number {
    return this.clock.serverNow();
  }

  /** Ms left on the board's timer now (never below 0; 0 without a timer). Running: re-read it on a clock tick. */
  timerRemaining(): number {
    return this.view.timerRemaining(this.serverNow());
  }

  /** My live votes in the open voting session (0 without one): the budget used (FAC-6). */
  myVotesUsed(): number {
    return this.view.votesUsed(this.me.memberId);
  }

  /** Votes I may still give in the open session, or null when none is open. */
  myVotesLeft(): number | null {
    const s = this.view.votingSession;
    return s ? Math.max(0, s.votesPerPerson - this.myVotesUsed()) : null;
  }

  /** The client everyone is asked to follow (FAC-8), unless it is this one; null when nobody. */
  get followTarget(): { clientId: string; name: string } | null {
    const f = this.view.follow;
    return f && f.clientId !== this.clientId ? f : null;
  }

  /** The other clients on the board, by client id. */
  get peers(): Map<string, Peer> {
    return this.presence.peers;
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
    this.link.stop();
    this.presence.stop();
    this.retry.clear();
  }

  /** After "Opened in another tab" (4004): connect here again; the other tab gets the 4004 now. */
  takeOver(): void {
    if (this.status !== "replaced") return;
    this.lastError = null;
    this.status = "connecting";
    this.connect();
    this.live.emit(statusOnly());
  }

  private connect(): void {
    this.link.start();
    if (this.link.isOffline) this.setStatus("offline");
  }

  /**
   * This tab is a copy of another open one (sessionStorage, client id and pending
   * changes included). The pending changes are the other tab's to send: sending them
   * under a new id would apply them twice. Start afresh with an id of our own.
   */
  private becomeDuplicate(): void {
    this.retry.clear();
    this.history.clear();
    this.outbox.restart();
    this.rebuildView();
    this.live.emit(EVERYTHING);
    void this.opts.claimClientId?.(this.clientId).catch(() => {});
  }

  /**
   * `fn` hears of every update, with what it changed (frameChanges.ts): EVERYTHING
   * when it cannot be narrowed down. A listener may ignore the argument.
   */
  subscribe(fn: (changes: FrameChanges) => void): () => void {
    return this.live.subscribe(fn);
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
    this.live.emit(statusOnly());
  }

  /** May change objects (ROLE-2). Viewers never send a change: the page is read-only. */
  get canWrite(): boolean {
    return this.role >= Role.EDITOR && !this.stopped;
  }

  /** May run the workshop: agenda, phase, timer, private writing, names, votes, locks, follow, options (ROLE-8). */
  get canFacilitate(): boolean {
    return this.role >= Role.FACILITATOR && !this.stopped;
  }

  /** May change the board's title and columns (ROLE-3). */
  get canUpdateBoard(): boolean {
    return this.role >= Role.FACILITATOR && !this.stopped;
  }

  /** Applies `ops` at once (optimistic) and sends them as one change. */
  submit(ops: Op[], undoable = true): void {
    if (ops.length === 0) return;
    if (!this.canWrite) return this.flash(this.stopReason() ?? "View only: you cannot change this board");
    if (!this.canFacilitate && ops.some(isFacilitatorOp)) return this.flash("Only facilitators can run the workshop");
    if (toBinary(ChangeSchema, create(ChangeSchema, { clientSeq: this.outbox.nextClientSeq, ops })).length > MAX_CHANGE_BYTES)
      return this.flash("This change is too large to send: try a smaller one");
    if (undoable) this.history.record(ops, this.view);
    this.push(ops);
  }

  undo(): void {
    if (!this.canWrite) return;
    const ops = this.history.undo(this.view);
    if (ops) this.push(ops);
  }

  redo(): void {
    if (!this.canWrite) return;
    const ops = this.history.redo(this.view);
    if (ops) this.push(ops);
  }

  get canUndo(): boolean {
    return this.history.canUndo;
  }

  get canRedo(): boolean {
    return this.history.canRedo;
  }

  /** Ephemeral presence, sent at most every PRESENCE_INTERVAL_MS (newest wins). */
  setPresence(p: MessageInitShape<typeof PresenceSchema>): void {
    this.presence.setPresence(p);
  }

  /** Changes kept on this device, not yet confirmed by the server. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** How long until the next connection try, in ms, when waiting for one. */
  get nextTryIn(): number | null {
    return this.link.nextTryIn;
  }

  private push(ops: Op[]): void {
    const change = this.outbox.add(ops);
    // Behind a change refused for now (REJ-2), a new one waits its turn: it may build on it.
    if (this.retry.holding) this.retry.hold(change.clientSeq);
    else if (this.link.joined) this.link.send({ case: "submit", value: { changes: [create(ChangeSchema, change)] } });
    this.live.applyOnTop(this.confirmed, change);
    const fc = changesOf(ops);
    fc.status = true; // the pending count
    this.live.emit(fc);
  }

  private stopReason(): string | null {
    if (this.ended) return "This board is closed to you";
    if (this.status === "replaced") return "This board is open in another tab: use it here to edit";
    if (this.status === "outdated") return "This page is out of date: reload it to edit";
    return null;
  }

  private onOpen(): void {
    this.setStatus("connecting");
    this.frames.connected();
  }

  private onFrame(bytes: Uint8Array): void {
    const frame = fromBinary(ServerFrameSchema, bytes);
    const before = this.statusKey();
    const fc = noChanges();
    for (const m of frame.messages) {
      if (this.ended) {
        fc.all = true; // end() rebuilt the view
        break;
      }
      this.frames.handle(m, fc);
    }
    if (this.ended) return; // end() emitted
    this.live.refresh(this.confirmed, this.pending, fc);
    if (this.statusKey() !== before) fc.status = true;
    this.live.emit(fc.all ? EVERYTHING : fc);
  }

  /** While reconnecting: why the server closed (4009: "This board's server is restarting…"), else null. */
  get awayReason(): string | null {
    return this.status === "connecting" ? this.closeReason : null;
  }

  /** What the status line shows, as one string: a frame that changes it sets FrameChanges.status. */
  private statusKey(): string {
    return [this.status, this.role, this.pending.length, this.lastError, this.me.name, this.me.memberId, this.awayReason].join("\u0000");
  }

  private onClose(code?: number): void {
    this.link.joined = false;
    const left = this.presence.dropAll();
    this.retry.clear(); // the welcome resends everything pending
    const action = closeAction(code);
    if (code !== undefined) this.closeReason = closeText(code) ?? null; // kept while we drop and retry ourselves
    if (action === "revoked" || action === "deleted") return this.end(action);
    if (isStop(action)) return this.halt(action, left);
    this.status = this.link.isOffline ? "offline" : "connecting";
    this.live.emit({ ...statusOnly(), presence: left });
  }

  /**
   * Stops without ending: out of date (4002: reload) or replaced by another tab of this
   * client (4004: take over). Pending changes stay kept: a reload or a takeover sends them.
   */
  private halt(status: "outdated" | "replaced", left: Set<string> = new Set()): void {
    this.link.joined = false;
    this.link.stop();
    this.status = status;
    this.live.emit({ ...statusOnly(), presence: left }); // nobody is shown as here any more
  }

  /** Stops for good: reconnecting with this token would be refused again (CLOSE-2). */
  private end(status: "revoked" | "deleted"): void {
    this.link.joined = false;
    this.link.stop();
    this.history.clear();
    // Unsent changes will never be applied: stop showing them.
    this.outbox.clear();
    this.retry.clear();
    this.outbox.save();
    this.rebuildView();
    if (!this.ended) this.status = status;
    this.live.emit(EVERYTHING);
  }

  /**
   * Shows `snapshot` as the board without connecting: a still picture of the board at
   * one point of its log (the page's history mode; a client that never starts).
   */
  showSnapshot(board: { kind: BoardKind; title: string }, snapshot: BoardSnapshot): void {
    this.confirmed = BoardModel.empty(board);
    this.confirmed.load(snapshot, this.confirmed.kind);
    this.initialized = true;
    this.rebuildView();
    this.live.emit(EVERYTHING);
  }

  /** The whole view again (a welcome, a snapshot, a reset): costs the board's size. */
  private rebuildView(): void {
    this.live.rebuild(this.confirmed, this.pending);
  }

  private setStatus(s: Status): void {
    if (this.status !== s) {
      this.status = s;
      this.live.emit(statusOnly());
    }
  }
}
