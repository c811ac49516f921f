// BoardModel: the client's replica of a board, applying changes as the server's
// model does (server/model/board_state.cpp). It does not validate: the server has
// already accepted what it applies, and a pending change that no longer fits is
// skipped op by op until the server's verdict arrives.
import { create } from "@bufbuild/protobuf";
import type { BoardSnapshot, Facilitation, ObjectState, Op, SequencedChange, Value, VotingResult } from "../gen/board_pb";
import { BoardKind, BoardSnapshotSchema, ObjectType, PrivateAudience } from "../gen/board_pb";
import type { Sender } from "./facilitation";
import {
  applyFacilitationOp, cloneFacilitation, currentPhase, emptyFacilitation, isEmptyFacilitation, timerLeft,
} from "./facilitation";
import { field } from "./ops";
import { compareOrder } from "./orderKey";
import { applyRestore, tombstoneKeeps } from "./restore";

export const DEFAULT_COLUMNS = ["todo", "doing", "done"]; // server/model/board_state.cpp

export type Plain = string | number | boolean | bigint | string[];

export interface Obj {
  id: string;
  type: ObjectType;
  fields: Map<string, Plain>;
  deleted: boolean;
  createdSeq: bigint;
  updatedSeq: bigint;
}

export function toPlain(v: Value | undefined): Plain | undefined {
  switch (v?.kind.case) {
    case "text":
    case "number":
    case "flag":
    case "integer":
      return v.kind.value;
    case "list":
      return [...v.kind.value.items];
    default:
      return undefined;
  }
}

/**
 * The longest prefix of `s` whose UTF-8 encoding is at most `max` bytes, cut on a
 * character boundary: how the server cuts text to a byte limit (board_state.cpp
 * utf8_prefix), e.g. promote_error at 200 bytes. Lone surrogates count as U+FFFD (3 bytes).
 */
export function utf8Prefix(s: string, max: number): string {
  if (s.length * 3 <= max) return s; // every UTF-16 unit is at most 3 bytes
  let bytes = 0;
  let i = 0;
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + n > max) break;
    bytes += n;
    i += cp > 0xffff ? 2 : 1;
  }
  return s.slice(0, i);
}

/** A promote sequenced on this board and not yet answered (BoardSnapshot.outbox, PROMOTE-3). */
export interface PendingPromote {
  noteId: string;
  backlogBoard: string;
  itemId: string;
  title: string; // the note's text when it was promoted
}

/** The longest text the server keeps in promote_error (board_state.cpp kMaxTitle): bytes of UTF-8. */
export const MAX_PROMOTE_ERROR_BYTES = 200;

export interface ChangeMeta {
  seq: bigint;
  author: string; // display name of the sender (SequencedChange.author)
  authorId: string; // member id of the sender (SequencedChange.author_id, AUTH-3)
  timeMs: bigint;
  system: boolean;
  /** The sending client (SequencedChange.client_id): whom SetFollow makes everyone follow. May be "" (VIS-3). */
  clientId?: string;
}

/** Server-only fields of facilitation (schema.json): private writing, anonymity, object locks. */
export const PRIVATE_TO = "private_to";
export const PRIVATE_AUTHOR_ONLY = "private_author_only";
export const ANONYMOUS = "anonymous";
export const LOCKED = "locked";
export const SESSION = "session";

/** The objects a new object refers to (FAC-4: referring to a private object makes it private too). */
export const REF_FIELDS = ["target", "from", "to", "parent"];

/** Who a vote belongs to: the member id, or the name for changes that carry none (board_state.hpp voter()). */
export const voterOf = (meta: ChangeMeta) => meta.authorId || meta.author;

/**
 * The ids an op touches (its object, the promoted note, each rebalanced key): the only
 * objects whose state the op reads or writes. updateBoard and promoteDone touch none
 * by id (settings; the outbox).
 */
export function opIds(op: Op): string[] {
  const k = op.kind;
  switch (k.case) {
    case "create":
    case "update":
    case "delete":
    case "restore":
    case "move":
    case "addVote":
    case "removeVote":
      return [k.value.id];
    case "promote":
      return [k.value.noteId];
    case "rebalance":
      return k.value.keys.map((a) => a.id);
    case "setLock":
      return k.value.id ? [k.value.id] : [];
    case "revealed":
      return k.value.objects.map((o) => o.id);
    case "authors":
      return k.value.authors.map((a) => a.id);
    default:
      return [];
  }
}

/**
 * The replica of one board. Besides `objects` it keeps an index of votes and comments
 * by their `target`, maintained on every apply (and by put/drop), so a view reads the
 * votes or comments of one object without scanning the board:
 * - `votesOf(id)`: the live votes on `id`, none when `id` is not live (MODEL-7);
 * - `commentsOf(id)`: the live comments on `id`.
 * Index entries are checked on read (live, of the type, still on that target), so a
 * delete, a tombstone or a changed target never shows a stale one.
 */
/** An object as a snapshot (or a Revealed op) holds it. */
export function objOf(os: ObjectState): Obj {
  const fields = new Map<string, Plain>();
  for (const f of os.fields) {
    const p = toPlain(f.value);
    if (p !== undefined) fields.set(f.name, p);
  }
  return { id: os.id, type: os.type, fields, deleted: os.deleted, createdSeq: os.createdSeq, updatedSeq: os.updatedSeq };
}

export class BoardModel {
  objects = new Map<string, Obj>();
  /** Vote and comment ids by target (may hold stale ids: checked on read). */
  private byTarget = new Map<string, Set<string>>();
  /** Bumped by every write (apply, put, drop, load): `ordered` is cached per version. */
  private version = 0;
  private orderedCache = new Map<string, { version: number; list: Obj[] }>();
  kind: BoardKind = BoardKind.DISCOVERY;
  title = "";
  columns: string[] = [];
  seq = 0n;
  outbox = new Map<bigint, PendingPromote>(); // by promote seq (PROMOTE-3)
  /** The workshop state (FAC-*), as this member may see it (VIS-*). Replaced, never shared, by writes of a clone. */
  facilitation: Facilitation = emptyFacilitation();

  /** The empty board `meta` describes, as the server's BoardState::reset makes it. */
  static empty(meta: { kind: BoardKind; title: string } | undefined): BoardModel {
    const m = new BoardModel();
    m.kind = meta?.kind === BoardKind.BACKLOG ? BoardKind.BACKLOG : BoardKind.DISCOVERY;
    m.title = meta?.title ?? "";
    if (m.kind === BoardKind.BACKLOG) m.columns = [...DEFAULT_COLUMNS];
    return m;
  }

  clone(): BoardModel {
    const m = new BoardModel();
    m.kind = this.kind;
    m.title = this.title;
    m.columns = [...this.columns];
    m.seq = this.seq;
    m.outbox = new Map([...this.outbox].map(([seq, p]) => [seq, { ...p }]));
    m.facilitation = cloneFacilitation(this.facilitation);
    for (const o of this.objects.values()) m.put({ ...o, fields: new Map(o.fields) });
    return m;
  }

  /** Sets `o` as the object of its id and indexes it. */
  put(o: Obj): void {
    this.version++;
    this.objects.set(o.id, o);
    this.index(o);
  }

  /** Removes the object of `id` from this model (not a tombstone: it was never here). */
  drop(id: string): void {
    this.version++;
    this.objects.delete(id);
  }

  /** Indexes `o` by its target (votes and comments); stale entries are filtered on read. */
  index(o: Obj): void {
    if (o.type !== ObjectType.VOTE && o.type !== ObjectType.COMMENT) return;
    const t = o.fields.get("target");
    if (typeof t !== "string" || t === "") return;
    let set = this.byTarget.get(t);
    if (!set) this.byTarget.set(t, (set = new Set()));
    set.add(o.id);
  }

  private targeting(id: string, type: ObjectType): Obj[] {
    const out: Obj[] = [];
    const set = this.byTarget.get(id);
    if (!set) return out;
    for (const oid of set) {
      const o = this.objects.get(oid);
      if (o && !o.deleted && o.type === type && o.fields.get("target") === id) out.push(o);
    }
    return out;
  }

  /** Live votes on `id` (none when `id` is not live: votes on tombstones are inert, MODEL-7). */
  votesOf(id: string): Obj[] {
    return this.live(id) ? this.targeting(id, ObjectType.VOTE) : [];
  }

  /** Live comments whose target is `id`. */
  commentsOf(id: string): Obj[] {
    return this.targeting(id, ObjectType.COMMENT);
  }

  load(snapshot: BoardSnapshot, kind: BoardKind): void {
    this.version++;
    this.objects.clear();
    this.byTarget.clear();
    this.kind = kind;
    this.seq = snapshot.seq;
    this.title = snapshot.settings?.title ?? "";
    this.columns = [...(snapshot.settings?.columns ?? [])];
    this.outbox = new Map(snapshot.outbox.map((p) => [
      p.promoteSeq, { noteId: p.noteId, backlogBoard: p.backlogBoard, itemId: p.itemId, title: p.title },
    ]));
    this.facilitation = snapshot.facilitation ? cloneFacilitation(snapshot.facilitation) : emptyFacilitation();
    for (const os of snapshot.objects) this.put(objOf(os));
  }

  /**
   * The state as a BoardSnapshot, as the server's BoardState::snapshot() makes it:
   * objects by id, fields by name, outbox by promote seq. Equal states give equal
   * bytes in both languages (protocol/testdata/replay_vectors.txt checks it).
   */
  snapshot(): BoardSnapshot {
    const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0); // ids and names are ASCII
    const objects = [...this.objects.values()].sort((a, b) => byBytes(a.id, b.id)).map((o) => ({
      id: o.id,
      type: o.type,
      fields: [...o.fields.entries()].sort(([a], [b]) => byBytes(a, b)).map(([name, v]) => field(name, v)),
      createdSeq: o.createdSeq,
      updatedSeq: o.updatedSeq,
      deleted: o.deleted,
    }));
    const outbox = [...this.outbox.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([promoteSeq, p]) => ({ promoteSeq, ...p }));
    const facilitation = isEmptyFacilitation(this.facilitation) ? undefined : cloneFacilitation(this.facilitation);
    return create(BoardSnapshotSchema, {
      seq: this.seq, objects, settings: { title: this.title, columns: [...this.columns] }, outbox, facilitation,
    });
  }

  applySequenced(c: SequencedChange): void {
    this.apply(c.ops, { seq: c.seq, author: c.author, authorId: c.authorId, timeMs: c.serverTimeMs, system: c.system, clientId: c.clientId });
  }

  /** Applies ops; an op that does not fit (its object is gone) is skipped. */
  apply(ops: Op[], meta: ChangeMeta): void {
    this.version++;
    for (const op of ops) this.applyOp(op, meta);
    if (meta.seq > this.seq) this.seq = meta.seq;
  }

  live(id: string): Obj | undefined {
    const o = this.objects.get(id);
    return o && !o.deleted ? o : undefined;
  }

  text(id: string, field: string): string {
    const v = this.live(id)?.fields.get(field);
    return typeof v === "string" ? v : "";
  }

  /**
   * Live objects of the given types in board order (ORDER-3). Sorted once per write
   * of this model (cached until the next apply/put/drop/load); the caller gets its own array.
   */
  ordered(...types: ObjectType[]): Obj[] {
    const key = types.join(",");
    const hit = this.orderedCache.get(key);
    if (hit && hit.version === this.version) return [...hit.list];
    const out = [...this.objects.values()].filter((o) => !o.deleted && (types.length === 0 || types.includes(o.type)));
    out.sort((a, b) => compareOrder(String(a.fields.get("order") ?? ""), a.id, String(b.fields.get("order") ?? ""), b.id));
    this.orderedCache.set(key, { version: this.version, list: out });
    return [...out];
  }

  /** Live votes per target (from the index; prefer votesOf for one object). */
  votes(): Map<string, Obj[]> {
    const out = new Map<string, Obj[]>();
    for (const t of this.byTarget.keys()) {
      const vs = this.votesOf(t);
      if (vs.length) out.set(t, vs);
    }
    return out;
  }

  private applyOp(op: Op, meta: ChangeMeta): void {
    const k = op.kind;
    switch (k.case) {
      case "create": {
        if (this.objects.has(k.value.id)) return;
        const fields = new Map<string, Plain>();
        for (const f of k.value.fields) {
          const p = toPlain(f.value);
          if (p !== undefined && !(f.name === "parent" && p === "")) fields.set(f.name, p);
        }
        const t = k.value.type;
        const anonymous = !meta.system && this.phase?.anonymous === true; // system changes: never private nor anonymous
        // An anonymous object reaches others without its author (VIS-3): then it has none here.
        if ((t === ObjectType.NOTE || t === ObjectType.COMMENT) && !fields.has("author") && (meta.author !== "" || !anonymous))
          fields.set("author", meta.author);
        if (t === ObjectType.COMMENT && !fields.has("created_ms")) fields.set("created_ms", meta.timeMs);
        if (!meta.system) this.stampPrivate(fields, t, meta);
        if (anonymous && !fields.has(ANONYMOUS)) fields.set(ANONYMOUS, true);
        this.put({ id: k.value.id, type: t, fields, deleted: false, createdSeq: meta.seq, updatedSeq: meta.seq });
        return;
      }
      case "update": {
        const o = this.live(k.value.id);
        if (!o) return;
        for (const f of k.value.fields) {
          const p = toPlain(f.value);
          if (p !== undefined) o.fields.set(f.name, p);
        }
        o.updatedSeq = meta.seq;
        this.index(o); // a new target, if it changed
        return;
      }
      case "delete":
        return this.remove(k.value.id, meta);
      case "restore":
        return applyRestore(this, k.value, meta);
      case "move": {
        const o = this.live(k.value.id);
        if (!o) return;
        o.fields.set("order", k.value.order);
        if (k.value.parent !== undefined) {
          if (k.value.parent === "") o.fields.delete("parent");
          else o.fields.set("parent", k.value.parent);
        }
        o.updatedSeq = meta.seq;
        return;
      }
      case "addVote": {
        if (this.objects.has(k.value.id)) return;
        const fields = new Map<string, Plain>([["target", k.value.target]]);
        const voter = voterOf(meta);
        if (voter !== "") fields.set("voter", voter); // "": a filtered change (VIS-3)
        if (!meta.system) {
          const session = this.facilitation.voting?.settings?.id;
          if (session) fields.set(SESSION, session);
          if (this.phase?.anonymous) fields.set(ANONYMOUS, true);
        }
        this.put({ id: k.value.id, type: ObjectType.VOTE, fields, deleted: false, createdSeq: meta.seq, updatedSeq: meta.seq });
        return;
      }
      case "removeVote":
        return this.remove(k.value.id, meta);
      case "updateBoard":
        if (k.value.title !== undefined) this.title = k.value.title;
        if (k.value.setColumns) this.columns = [...k.value.columns];
        return;
      case "promote": {
        const o = this.live(k.value.noteId);
        if (!o) return;
        o.fields.set("promoted_board", k.value.backlogBoard);
        o.fields.set("promoted_item", k.value.itemId);
        o.fields.delete("promote_error");
        o.updatedSeq = meta.seq;
        this.outbox.set(meta.seq, {
          noteId: k.value.noteId, backlogBoard: k.value.backlogBoard, itemId: k.value.itemId, title: this.text(k.value.noteId, "text"),
        });
        return;
      }
      case "promoteDone": {
        const noteId = this.outbox.get(k.value.promoteSeq)?.noteId;
        this.outbox.delete(k.value.promoteSeq);
        const o = noteId === undefined ? undefined : this.objects.get(noteId);
        if (!k.value.ok && o) {
          // Refused: the note may be promoted again (PROMOTE-4), a tombstone once restored (MODEL-9).
          o.fields.delete("promoted_board");
          o.fields.delete("promoted_item");
          // Cut as the server cuts: 200 bytes of UTF-8, on a character boundary.
          o.fields.set("promote_error", utf8Prefix(k.value.error, MAX_PROMOTE_ERROR_BYTES));
          o.updatedSeq = meta.seq;
        }
        return;
      }
      case "rebalance":
        // A move of each object, as the server applies it: updated at this seq.
        for (const a of k.value.keys) {
          const o = this.live(a.id);
          if (!o) continue;
          o.fields.set("order", a.order);
          o.updatedSeq = meta.seq;
        }
        return;
      case "setLock": {
        if (k.value.id === "") break; // the board: facilitation state
        const o = this.live(k.value.id);
        if (!o) return;
        if (k.value.locked) o.fields.set(LOCKED, true);
        else o.fields.delete(LOCKED);
        o.updatedSeq = meta.seq;
        return;
      }
      case "revealed":
        // Whole states (FAC-4): who could not see them gets them here (VIS-1).
        for (const os of k.value.objects) this.put(objOf(os));
        return;
      case "authors":
        for (const a of k.value.authors) {
          const o = this.live(a.id);
          if (!o) continue; // not seen here (VIS-1, VIS-2)
          o.fields.set(o.type === ObjectType.VOTE ? "voter" : "author", a.author);
        }
        return;
      default:
        break;
    }
    if (op.kind.case !== undefined) applyFacilitationOp(this.facilitation, op, this.sender(meta));
  }

  private sender(meta: ChangeMeta): Sender {
    return { memberId: voterOf(meta), name: meta.author, clientId: meta.clientId ?? "", timeMs: meta.timeMs };
  }

  /**
   * FAC-4: while private writing is on, a new object (not a vote) is private to its
   * author; one referring to a private object is private to the same member.
   */
  private stampPrivate(fields: Map<string, Plain>, type: ObjectType, meta: ChangeMeta): void {
    if (type === ObjectType.VOTE) return;
    const f = this.facilitation;
    let to = "";
    let authorOnly = false;
    if (f.privateWriting) {
      to = voterOf(meta); // "": a filtered change (VIS-3); a reference may still tell
      authorOnly = f.privateAudience === PrivateAudience.AUTHOR;
    }
    for (const name of REF_FIELDS) {
      const ref = fields.get(name);
      const o = typeof ref === "string" && ref !== "" ? this.objects.get(ref) : undefined;
      const p = o?.fields.get(PRIVATE_TO);
      if (typeof p !== "string" || p === "") continue;
      to = p;
      authorOnly ||= o!.fields.get(PRIVATE_AUTHOR_ONLY) === true;
    }
    if (to === "") return;
    fields.set(PRIVATE_TO, to);
    if (authorOnly) fields.set(PRIVATE_AUTHOR_ONLY, true);
  }

  // ---------- facilitation readers (FAC-*) for the UI ----------

  /** The current phase of the agenda, if any. */
  get phase() {
    return currentPhase(this.facilitation);
  }

  get agenda() {
    return this.facilitation.agenda;
  }

  /** The timer (server clock, FAC-3), if one was ever set. Show timerLeft(timer, serverNow). */
  get timer() {
    return this.facilitation.timer;
  }

  /** Ms left on the timer at server time `serverNowMs` (never below 0). */
  timerRemaining(serverNowMs: number): number {
    return timerLeft(this.facilitation.timer, serverNowMs);
  }

  /** Members who said they are ready in this phase, by member id. */
  get ready() {
    return this.facilitation.ready;
  }

  isReady(memberId: string): boolean {
    return this.facilitation.ready.some((r) => r.memberId === memberId);
  }

  get privateWriting(): boolean {
    return this.facilitation.privateWriting;
  }

  /** Live private objects per member (FAC-4), members with none left out. */
  get privateCounts() {
    return this.facilitation.privateCounts;
  }

  /** The open voting session's settings (FAC-6), if one is open. */
  get votingSession() {
    return this.facilitation.voting?.settings;
  }

  /** Live votes of `memberId` in the open session (0 without one): the budget used. */
  votesUsed(memberId: string): number {
    const id = this.votingSession?.id;
    if (!id) return 0;
    let n = 0;
    for (const o of this.objects.values())
      if (!o.deleted && o.type === ObjectType.VOTE && o.fields.get(SESSION) === id && o.fields.get("voter") === memberId) n++;
    return n;
  }

  /** Facilitators only (VIS-4): votes used per member in the open session. */
  get turnout() {
    return this.facilitation.turnout;
  }

  /** Results of closed sessions, oldest first. */
  get results(): VotingResult[] {
    return this.facilitation.results;
  }

  get namesShown(): boolean {
    return this.facilitation.namesShown;
  }

  /** Plain dot votes outside a session are on (SetOptions.dot_votes). */
  get dotVotes(): boolean {
    return !this.facilitation.dotVotesOff;
  }

  get boardLocked(): boolean {
    return this.facilitation.locked;
  }

  /** The client everyone follows (FAC-8), or null. */
  get follow(): { clientId: string; name: string } | null {
    const f = this.facilitation;
    return f.followClientId ? { clientId: f.followClientId, name: f.followName } : null;
  }

  /** The member an object is private to ("" when it is not private, or the member is not known here). */
  privateTo(id: string): string {
    const v = this.objects.get(id)?.fields.get(PRIVATE_TO);
    return typeof v === "string" ? v : "";
  }

  isPrivate(id: string): boolean {
    return this.objects.get(id)?.fields.has(PRIVATE_TO) === true;
  }

  isAnonymous(id: string): boolean {
    return this.objects.get(id)?.fields.get(ANONYMOUS) === true;
  }

  /** The object itself is locked (FAC-7); see also boardLocked. */
  isLocked(id: string): boolean {
    return this.objects.get(id)?.fields.get(LOCKED) === true;
  }

  /** Only facilitators may change `id` now (the board or the object is locked, FAC-7). */
  lockedFor(id: string): boolean {
    return this.boardLocked || this.isLocked(id);
  }

  private remove(id: string, meta: ChangeMeta): void {
    const o = this.live(id);
    if (!o) return;
    o.deleted = true;
    // A tombstone keeps the server's fields (board_state.cpp remove, MODEL-4): who may see
    // it (the server filters its history) and what a restore gives back (MODEL-9).
    for (const name of [...o.fields.keys()]) if (!tombstoneKeeps(o.type, name)) o.fields.delete(name);
    o.updatedSeq = meta.seq;
  }
}
