// The view of a SyncClient: the confirmed board with the pending changes replayed on
// top, kept incrementally (no clone of the board per rebase).
//
// The view is a BoardModel whose objects are, per id, either the confirmed object
// itself (shared: a server change to it shows at once) or, for the ids the pending
// changes touch, a private copy (copy-on-write) with the pending ops replayed on it.
// An op reads and writes only the objects of its ids (opIds) plus the settings and
// the outbox, so replaying, for a set of ids, every pending op that touches them gives
// the same objects as replaying everything on a clone (replayFromScratch, kept for
// the tests). A server change, an ack or a reject therefore costs what it touched and
// what is pending, not the size of the board.
import type { Op } from "../gen/board_pb";
import type { ChangeMeta, Obj } from "./board";
import { BoardModel, opIds, REF_FIELDS } from "./board";
import { cloneFacilitation, isFacilitationOp } from "./facilitation";

export interface PendingOps {
  clientSeq: bigint;
  ops: Op[];
}

/** The meta a pending change is applied with: not sequenced yet (seq 0), our author stamp, its local time. */
export type MetaOf = (p: PendingOps) => ChangeMeta;

/** The view from scratch: a clone of the confirmed board with every pending change applied (the reference). */
export function replayFromScratch(confirmed: BoardModel, pending: readonly PendingOps[], metaOf: MetaOf): BoardModel {
  const v = confirmed.clone();
  for (const p of pending) v.apply(p.ops, metaOf(p));
  return v;
}

const copyObj = (o: Obj): Obj => ({ ...o, fields: new Map(o.fields) });
const REF_FIELD_NAMES: ReadonlySet<string> = new Set(REF_FIELDS);

export class ViewOverlay {
  view = new BoardModel();
  /** Ids whose view object is the overlay's (a private copy, or an object only pending ops made). */
  private own = new Set<string>();

  /** Rebuilds the whole view (a snapshot, a welcome, a reset): costs the board's size. */
  full(confirmed: BoardModel, pending: readonly PendingOps[], metaOf: MetaOf): void {
    this.view = new BoardModel();
    this.own.clear();
    for (const o of confirmed.objects.values()) this.view.put(o);
    const ids = new Set<string>();
    for (const p of pending) for (const op of p.ops) for (const id of opIds(op)) ids.add(id);
    this.refresh(confirmed, pending, metaOf, ids);
  }

  /**
   * Brings the view back in line with `confirmed` + `pending` after the objects of
   * `ids` changed (in the confirmed board, or by a pending change added, acked or
   * dropped). Settings, the outbox and the facilitation state are reset and their
   * pending ops replayed (cheap). `facilitationChanged`: the confirmed facilitation state
   * changed, so every pending op is replayed (a create's stamps read it: FAC-4, FAC-5).
   */
  refresh(confirmed: BoardModel, pending: readonly PendingOps[], metaOf: MetaOf, ids: ReadonlySet<string>, facilitationChanged = false): void {
    const v = this.view;
    // Ids a pending op reads or writes; promoted notes always (their text goes in the outbox).
    const touched = new Set<string>();
    const always = new Set<string>();
    let outboxOps = false;
    let facOps = false;
    for (const p of pending)
      for (const op of p.ops) {
        for (const id of opIds(op)) touched.add(id);
        if (isFacilitationOp(op)) facOps = true;
        if (op.kind.case === "promote") {
          always.add(op.kind.value.noteId);
          outboxOps = true;
        } else if (op.kind.case === "promoteDone") {
          const n = confirmed.outbox.get(op.kind.value.promoteSeq)?.noteId;
          if (n !== undefined) always.add(n);
          outboxOps = true;
        }
      }
    const redo = new Set<string>(always);
    for (const id of ids) if (touched.has(id)) redo.add(id);
    if (facilitationChanged) for (const id of touched) redo.add(id);
    // A create also reads the objects it refers to (their privacy stamps it, FAC-4):
    // when one of those changed, the create is replayed too (in order: chains follow).
    for (const p of pending)
      for (const op of p.ops)
        if (op.kind.case === "create" && !redo.has(op.kind.value.id))
          for (const f of op.kind.value.fields)
            if (f.value?.kind.case === "text" && (ids.has(f.value.kind.value) || redo.has(f.value.kind.value)) && REF_FIELD_NAMES.has(f.name)) {
              redo.add(op.kind.value.id);
              break;
            }
    for (const id of new Set([...ids, ...redo])) this.reset(confirmed, id);

    v.kind = confirmed.kind;
    v.title = confirmed.title;
    v.columns = confirmed.columns; // never mutated in place: updateBoard assigns a new array
    v.seq = confirmed.seq;
    v.outbox = outboxOps ? new Map([...confirmed.outbox].map(([s, p]) => [s, { ...p }])) : confirmed.outbox;
    // Shared with the confirmed board unless a pending op writes it (then a copy).
    v.facilitation = facOps ? cloneFacilitation(confirmed.facilitation) : confirmed.facilitation;

    for (const p of pending) {
      let meta: ChangeMeta | undefined;
      for (const op of p.ops) {
        const k = op.kind.case;
        const global = k === "updateBoard" || k === "promoteDone" || isFacilitationOp(op);
        const opIdList = opIds(op);
        let mine = opIdList.filter((id) => redo.has(id));
        if (!global && mine.length === 0) continue;
        let o = op;
        if (k === "rebalance" && mine.length !== opIdList.length) {
          const keep = new Set(mine);
          o = { ...op, kind: { case: "rebalance", value: { ...op.kind.value, keys: op.kind.value.keys.filter((a) => keep.has(a.id)) } } } as Op;
        }
        if (k === "promoteDone") mine = [...always];
        this.cow(confirmed, mine);
        v.apply([o], (meta ??= metaOf(p)));
      }
    }
  }

  /** Applies a new pending change on top of the view (it comes after every other). */
  applyOnTop(confirmed: BoardModel, p: PendingOps, meta: ChangeMeta): void {
    const v = this.view;
    for (const op of p.ops) {
      if (op.kind.case === "promote" || op.kind.case === "promoteDone")
        if (v.outbox === confirmed.outbox) v.outbox = new Map([...confirmed.outbox].map(([s, q]) => [s, { ...q }]));
      if (isFacilitationOp(op) && v.facilitation === confirmed.facilitation) v.facilitation = cloneFacilitation(confirmed.facilitation);
      this.cow(confirmed, opIds(op));
      v.apply([op], meta);
    }
  }

  /** The view's object of `id` back to the confirmed one (shared), or gone. */
  private reset(confirmed: BoardModel, id: string): void {
    this.own.delete(id);
    const c = confirmed.objects.get(id);
    if (c) this.view.put(c);
    else this.view.drop(id);
  }

  /** Makes the view's objects of `ids` private copies before a pending op writes them. */
  private cow(confirmed: BoardModel, ids: readonly string[]): void {
    for (const id of ids) {
      if (this.own.has(id)) continue;
      this.own.add(id);
      const o = this.view.objects.get(id);
      if (o && o === confirmed.objects.get(id)) this.view.put(copyObj(o));
    }
  }
}
