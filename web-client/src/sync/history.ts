// History: undo/redo of this user's own changes by inverse ops. Each undoable change
// records the ops that undo it, computed on the view it is applied to; undoing sends
// those as a new change and records their own inverse for redo.
import type { Op } from "../gen/board_pb";
import { ObjectType } from "../gen/board_pb";
import { BoardModel, opIds } from "./board";
import { newId, op } from "./ops";
import { clientFields, restoresInOrder } from "./undoRestore";

export class History {
  private undoStack: Op[][] = [];
  private redoStack: Op[][] = [];

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** A new change `ops`, about to be applied to `view`: its inverse is the next undo. */
  record(ops: Op[], view: BoardModel): void {
    const inverse = inverseOps(ops, view);
    if (inverse) {
      this.undoStack.push(inverse);
      this.redoStack = [];
    }
  }

  /** The ops to send to undo the last change (their inverse goes to redo), or null when none. */
  undo(view: BoardModel): Op[] | null {
    return this.step(this.undoStack, this.redoStack, view);
  }

  /** The ops to send to redo the last undo (their inverse goes to undo), or null when none. */
  redo(view: BoardModel): Op[] | null {
    return this.step(this.redoStack, this.undoStack, view);
  }

  clear(): void {
    this.undoStack = [];
    this.redoStack = [];
  }

  private step(from: Op[][], to: Op[][], view: BoardModel): Op[] | null {
    const ops = from.pop();
    if (!ops) return null;
    const inverse = inverseOps(ops, view);
    if (inverse) to.push(inverse);
    return ops;
  }
}

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
  return restoresInOrder(out, view);
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
      // The same object back (MODEL-9): its client fields; the server keeps the rest.
      const obj = view.live(k.value.id);
      if (!obj || obj.type === ObjectType.VOTE) return null;
      return [op.restore(obj.id, clientFields(obj))];
    }
    case "restore":
      return view.objects.get(k.value.id)?.deleted ? [op.delete(k.value.id)] : null;
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
