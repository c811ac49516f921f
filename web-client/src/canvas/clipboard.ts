// Copy, paste and duplicate of canvas objects (notes, groups, experiments, and the
// connectors between copied objects). A copy is JSON text with a marker (CLIP_MARK), so
// it travels through the system clipboard to another board of this browser (or
// another tab); a paste of any other text makes one note of it. A paste creates new
// ids; only the fields a client may set are copied (protocol/schema.json "client"
// access), never author, votes, comments, locks or privacy (the server stamps those).
import { ObjectType } from "../gen/board_pb";
import type { Op } from "../gen/board_pb";
import type { BoardModel, Obj } from "../sync/board";
import { keyBetween } from "../sync/orderKey";
import { newId, op } from "../sync/ops";
import { fieldSpec, maxBytes } from "../sync/schema";
import type { Box } from "./geometry";
import { CANVAS_TYPES, COLORS, NOTE_H, NOTE_W, num, str } from "./geometry";

export const CLIP_MARK = "tandem/canvas-copy@1";

type Plain = string | number | boolean;

export interface ClipItem {
  /** The id at copy time: links parents and connector ends inside the copy. */
  id: string;
  type: "note" | "group" | "experiment" | "connector";
  fields: Record<string, Plain>;
  parent?: string;
}

export interface ClipPayload {
  marker: typeof CLIP_MARK;
  items: ClipItem[];
}

const TYPE_NAME = new Map<ObjectType, ClipItem["type"]>([
  [ObjectType.NOTE, "note"], [ObjectType.GROUP, "group"], [ObjectType.EXPERIMENT, "experiment"], [ObjectType.CONNECTOR, "connector"],
]);
const NAME_TYPE = new Map([...TYPE_NAME].map(([t, n]) => [n, t]));
const ENDS = ["from", "to"];

/** `ids` with the members of the selected groups (a group moves and copies with its notes). */
export function withMembers(v: BoardModel, ids: readonly string[]): string[] {
  const out = new Set(ids.filter((id) => v.live(id)));
  const groups = new Set([...out].filter((id) => v.live(id)?.type === ObjectType.GROUP));
  if (groups.size) for (const o of v.objects.values())
    if (!o.deleted && (o.type === ObjectType.NOTE || o.type === ObjectType.EXPERIMENT) && groups.has(str(o, "parent"))) out.add(o.id);
  return [...out];
}

/** The copy of `ids` (with group members and the connectors between copied objects), or null if nothing can be copied. */
export function copyOf(v: BoardModel, ids: readonly string[]): ClipPayload | null {
  const picked = withMembers(v, ids).map((id) => v.live(id)!).filter((o) => CANVAS_TYPES.includes(o.type));
  if (!picked.length) return null;
  const inCopy = new Set(picked.map((o) => o.id));
  const items = picked.map((o) => item(o, inCopy));
  for (const c of v.objects.values())
    if (!c.deleted && c.type === ObjectType.CONNECTOR && inCopy.has(str(c, "from")) && inCopy.has(str(c, "to"))) items.push(item(c, inCopy));
  return { marker: CLIP_MARK, items };
}

function item(o: Obj, inCopy: ReadonlySet<string>): ClipItem {
  const fields: Record<string, Plain> = {};
  for (const [name, val] of o.fields) {
    if (fieldSpec(o.type, name)?.access !== "client") continue;
    if (typeof val === "string" || typeof val === "number" || typeof val === "boolean") fields[name] = val;
  }
  const parent = str(o, "parent");
  return { id: o.id, type: TYPE_NAME.get(o.type)!, fields, ...(parent && inCopy.has(parent) ? { parent } : {}) };
}

/** A copy read back from clipboard text; null when it is not one of ours. */
export function parseCopy(text: string): ClipPayload | null {
  if (!text.includes(CLIP_MARK)) return null;
  try {
    const p = JSON.parse(text) as ClipPayload;
    if (p?.marker !== CLIP_MARK || !Array.isArray(p.items)) return null;
    const items = p.items.filter((i) => i && typeof i.id === "string" && NAME_TYPE.has(i.type) && i.fields && typeof i.fields === "object");
    return items.length ? { marker: CLIP_MARK, items } : null;
  } catch {
    return null;
  }
}

/** The bounding box of the copy's canvas objects. */
export function boundsOf(p: ClipPayload): Box {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const i of p.items) {
    if (i.type === "connector") continue;
    const x = Number(i.fields.x) || 0, y = Number(i.fields.y) || 0;
    const w = Number(i.fields.width) || NOTE_W, h = Number(i.fields.height) || NOTE_H;
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x + w); y1 = Math.max(y1, y + h);
  }
  return x0 === Infinity ? { x: 0, y: 0, w: 0, h: 0 } : { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

export interface PasteResult {
  ops: Op[];
  /** The new canvas objects (to select). */
  ids: string[];
}

/**
 * The ops that create the copy moved by (dx, dy), with new ids, after `lastKey` in the
 * board's order. A pasted note or experiment whose group was not copied joins the group
 * it lands in, if any.
 */
export function pasteOps(v: BoardModel, p: ClipPayload, dx: number, dy: number, lastKey: string): PasteResult {
  const fresh = new Map(p.items.map((i) => [i.id, newId()]));
  const ops: Op[] = [];
  const ids: string[] = [];
  const groups = v.ordered(ObjectType.GROUP);
  let key = lastKey;
  // Groups first: a member's create refers to its group.
  const canvas = p.items.filter((i) => i.type !== "connector").sort((a, b) => Number(b.type === "group") - Number(a.type === "group"));
  for (const i of canvas) {
    const type = NAME_TYPE.get(i.type)!;
    const values: Record<string, Plain> = clean(type, i.fields);
    values.x = Math.round((Number(values.x) || 0) + dx);
    values.y = Math.round((Number(values.y) || 0) + dy);
    values.width ??= type === ObjectType.GROUP ? 400 : NOTE_W;
    values.height ??= type === ObjectType.GROUP ? 300 : NOTE_H;
    let parent = i.parent ? fresh.get(i.parent) ?? "" : "";
    if (!parent && type !== ObjectType.GROUP) parent = groupAt(groups, Number(values.x) + Number(values.width) / 2, Number(values.y) + Number(values.height) / 2);
    if (parent) values.parent = parent;
    values.order = key;
    key = keyBetween(key, null) ?? key;
    const id = fresh.get(i.id)!;
    ops.push(op.create(id, type, values));
    ids.push(id);
  }
  for (const c of p.items) {
    if (c.type !== "connector") continue;
    const from = fresh.get(String(c.fields.from)), to = fresh.get(String(c.fields.to));
    if (from && to) ops.push(op.create(newId(), ObjectType.CONNECTOR, { ...clean(ObjectType.CONNECTOR, c.fields), from, to }));
  }
  return { ops, ids };
}

/** A note holding pasted plain text, centred on `at` (the text cut to the note's limit). */
export function textNoteOps(v: BoardModel, text: string, at: { x: number; y: number }, lastKey: string): PasteResult {
  const limit = maxBytes(fieldSpec(ObjectType.NOTE, "text")!);
  let t = text.trim();
  while (new TextEncoder().encode(t).length > limit) t = t.slice(0, Math.floor(t.length * 0.9));
  const x = Math.round(at.x - NOTE_W / 2), y = Math.round(at.y - NOTE_H / 2);
  const id = newId();
  const parent = groupAt(v.ordered(ObjectType.GROUP), at.x, at.y);
  return { ops: [op.create(id, ObjectType.NOTE, { text: t, color: COLORS[0], x, y, width: NOTE_W, height: NOTE_H, order: lastKey, ...(parent ? { parent } : {}) })], ids: [id] };
}

/** Only fields of `type` a client may set, of the right kind (a copy may come from another version). */
function clean(type: ObjectType, fields: Record<string, Plain>): Record<string, Plain> {
  const out: Record<string, Plain> = {};
  for (const [name, val] of Object.entries(fields)) {
    const spec = fieldSpec(type, name);
    if (!spec || spec.access !== "client" || ENDS.includes(name)) continue;
    if ((spec.kind === "text" && typeof val === "string") || ((spec.kind === "integer" || spec.kind === "number") && typeof val === "number") || (spec.kind === "flag" && typeof val === "boolean"))
      out[name] = val;
  }
  return out;
}

/** The topmost group whose box holds the point, or "". */
function groupAt(groups: readonly Obj[], x: number, y: number): string {
  const g = [...groups].reverse().find((o) => !o.deleted && x >= num(o, "x") && x <= num(o, "x") + num(o, "width") && y >= num(o, "y") && y <= num(o, "y") + num(o, "height"));
  return g?.id ?? "";
}
