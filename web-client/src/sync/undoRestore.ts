// Undo of deletes (History, history.ts): the restore ops that bring deleted objects
// back as themselves (protocol/SPEC.md MODEL-9), in an order the server accepts.
import type { Op } from "../gen/board_pb";
import { ObjectType } from "../gen/board_pb";
import type { BoardModel, Obj, Plain } from "./board";
import { tombstoneKeeps } from "./restore";

/** The fields of `obj` a client gives (a restore, like a create): all but the server's (MODEL-6). */
export function clientFields(obj: Obj): Record<string, Plain> {
  const values: Record<string, Plain> = {};
  for (const [name, v] of obj.fields) if (!tombstoneKeeps(obj.type, name)) values[name] = v;
  return values;
}

/**
 * A reference must name a live object (MODEL-7), so a restore comes after the restores
 * of what it refers to: groups (a note's parent), then notes, experiments and items,
 * then connectors (their ends), then comments (which may be on a connector).
 */
const RANK: Partial<Record<ObjectType, number>> = {
  [ObjectType.GROUP]: 0,
  [ObjectType.NOTE]: 1,
  [ObjectType.EXPERIMENT]: 1,
  [ObjectType.BACKLOG_ITEM]: 1,
  [ObjectType.CONNECTOR]: 2,
  [ObjectType.COMMENT]: 3,
};

/** `ops` with its restores sorted by RANK in the places restores hold; other ops stay where they are. */
export function restoresInOrder(ops: Op[], view: BoardModel): Op[] {
  const slots: number[] = [];
  const restores: Op[] = [];
  ops.forEach((o, i) => {
    if (o.kind.case !== "restore") return;
    slots.push(i);
    restores.push(o);
  });
  if (restores.length < 2) return ops;
  const rank = (o: Op) => {
    const t = o.kind.case === "restore" ? view.objects.get(o.kind.value.id)?.type : undefined;
    return t === undefined ? 4 : (RANK[t] ?? 4);
  };
  const sorted = restores.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i);
  const out = [...ops];
  slots.forEach((slot, j) => (out[slot] = sorted[j].o));
  return out;
}
