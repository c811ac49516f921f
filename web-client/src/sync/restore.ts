// Restore of a deleted object (protocol/SPEC.md MODEL-9) on the client's replica, as
// the server's model applies it (server/model/board_state.cpp restore), and what a
// tombstone keeps for it (MODEL-4): the server's fields of its type (schema.json
// access "server"), every client field dropped.
import type { RestoreObject } from "../gen/board_pb";
import type { ObjectType } from "../gen/board_pb";
import type { BoardModel, ChangeMeta, Plain } from "./board";
import { toPlain } from "./board";
import { fieldSpec } from "./schema";

/** A tombstone of `type` keeps field `name`: a field only the server sets (MODEL-4). */
export function tombstoneKeeps(type: ObjectType, name: string): boolean {
  return fieldSpec(type, name)?.access === "server";
}

/**
 * The tombstone `r.id` becomes live again: the same object (type, created seq, the
 * server's fields it kept) with the client fields `r` gives. Skipped when the object
 * is not a tombstone here (a pending restore the server has not judged yet).
 */
export function applyRestore(model: BoardModel, r: RestoreObject, meta: ChangeMeta): void {
  const o = model.objects.get(r.id);
  if (!o || !o.deleted) return;
  const fields = new Map<string, Plain>(o.fields);
  for (const f of r.fields) {
    const p = toPlain(f.value);
    if (p === undefined || (f.name === "parent" && p === "")) continue;
    fields.set(f.name, p);
  }
  model.put({ ...o, fields, deleted: false, updatedSeq: meta.seq });
}
