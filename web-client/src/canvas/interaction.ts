// Pointer and keyboard on the canvas: pan (drag the background, scroll), zoom (Ctrl+wheel,
// pinch: gestures.ts), select (click, shift-click), move and resize (drag), the rubber
// band (shift-drag), a new note (double-click the background or inside a group), editing
// (double-click an object). The keys: keyboard.ts.
// Read-only for viewers: a click selects, a drag pans.
import { ObjectType } from "../gen/board_pb";
import { keyBetween } from "../sync/orderKey";
import { op } from "../sync/ops";
import type { Op } from "../gen/board_pb";
import type { SyncClient } from "../sync/syncClient";
import { h } from "../ui/dom";
import type { Box } from "./geometry";
import { CANVAS_TYPES, box, str } from "./geometry";
import type { PresenceParts } from "./ownPresence";
import { Pinch, wheelView } from "./gestures";
import { attachKeyboard } from "./keyboard";
import { groupAt } from "./placement";

export interface Drag {
  kind: "move" | "pan" | "resize" | "band";
  startX: number;
  startY: number;
  ids: string[];
  origin: Map<string, Box>;
  moved: boolean;
  /** A move: the object under the pointer, whose drop position others see (PRES-6). */
  primary?: string;
}

/** The canvas's local state, shared by its parts. */
export interface CanvasState {
  panX: number;
  panY: number;
  zoom: number;
  selected: string[];
  drag: Drag | null;
}

export interface InteractionHooks {
  client: SyncClient;
  canvas: HTMLElement;
  state: CanvasState;
  els: ReadonlyMap<string, HTMLElement>;
  writable(): boolean;
  /** May this page change object `id` (not locked for it, FAC-7)? */
  canChange(id: string): boolean;
  /** Sends this client's presence (its parts kept: canvas/ownPresence.ts). */
  presence(p: PresenceParts): void;
  select(id: string, add: boolean): void;
  /** The selection changed here (band, click on the background). */
  selectionChanged(): void;
  /** The pan or zoom changed. */
  viewportChanged(): void;
  /** A drag started or ended: which elements must stay in the DOM changed. */
  dragChanged(): void;
  startEdit(id: string): void;
  addNote(at: { x: number; y: number }): void;
  removeSelected(): void;
  editorOpen(): boolean;
  lastKey(): string;
}

export function toWorld(canvas: HTMLElement, st: CanvasState, cx: number, cy: number) {
  const r = canvas.getBoundingClientRect();
  return { x: (cx - r.left - st.panX) / st.zoom, y: (cy - r.top - st.panY) / st.zoom };
}

interface Ctx extends InteractionHooks {
  band: HTMLElement;
  pinch: Pinch;
}

const pan = (st: CanvasState, p: { x: number; y: number }): Drag => ({ kind: "pan", startX: p.x - st.panX, startY: p.y - st.panY, ids: [], origin: new Map(), moved: false });

function placeBand(k: Ctx, cx: number, cy: number) {
  const { canvas, state: st } = k;
  if (!st.drag) return;
  const r = canvas.getBoundingClientRect();
  k.band.style.left = `${Math.min(st.drag.startX, cx) - r.left}px`;
  k.band.style.top = `${Math.min(st.drag.startY, cy) - r.top}px`;
  k.band.style.width = `${Math.abs(cx - st.drag.startX)}px`;
  k.band.style.height = `${Math.abs(cy - st.drag.startY)}px`;
}

/** A move of the selection, with the members of the selected groups. */
function moveDrag(k: Ctx, id: string, shift: boolean, p: { x: number; y: number }): Drag {
  const { state: st, client } = k;
  const v = () => client.view;
  if (!st.selected.includes(id) || shift) k.select(id, shift);
  const ids = new Set(st.selected);
  const groups = new Set(st.selected.filter((sid) => v().live(sid)?.type === ObjectType.GROUP));
  if (groups.size) for (const child of v().objects.values())
    if (!child.deleted && (child.type === ObjectType.NOTE || child.type === ObjectType.EXPERIMENT) && groups.has(str(child, "parent"))) ids.add(child.id);
  const origin = new Map<string, Box>();
  for (const i of ids) {
    const o = v().live(i);
    if (o && CANVAS_TYPES.includes(o.type) && k.canChange(i)) origin.set(i, box(o)); // locked ones stay put
  }
  const moving = [...origin.keys()];
  return { kind: "move", startX: p.x, startY: p.y, ids: moving, origin, moved: false, primary: origin.has(id) ? id : moving[0] };
}

function down(k: Ctx, e: PointerEvent) {
  const { canvas, state: st, client } = k;
  const v = () => client.view;
  const target = e.target as HTMLElement;
  if (target.closest("textarea, select, button, input, .editor")) return;
  if (k.pinch.down(e, st.selected)) {
    cancel(k); // a second finger: the first one's drag is dropped, the view follows both (gestures.ts)
    const before = k.pinch.selectionBefore;
    if (before.join() !== st.selected.join()) {
      st.selected.splice(0, st.selected.length, ...before); // nor does its press select
      k.presence({ selection: [...st.selected] });
      k.selectionChanged();
    }
    canvas.setPointerCapture(e.pointerId);
    return;
  }
  const objEl = target.closest<HTMLElement>("[data-id]");
  const p = { x: e.clientX, y: e.clientY };
  if (objEl && (!k.writable() || !k.canChange(objEl.dataset.id!)) && !(e.shiftKey && objEl.classList.contains("group"))) {
    // Read-only (or locked for me): a click selects (to read its comments), a drag pans.
    if (!st.selected.includes(objEl.dataset.id!) || e.shiftKey) k.select(objEl.dataset.id!, e.shiftKey);
    st.drag = pan(st, p);
  } else if (target.classList.contains("resize") && objEl) {
    const o = v().live(objEl.dataset.id!);
    if (!o) return;
    st.drag = { kind: "resize", startX: p.x, startY: p.y, ids: [o.id], origin: new Map([[o.id, box(o)]]), moved: false };
  } else if (e.shiftKey && (!objEl || objEl.classList.contains("group"))) {
    // Shift-drag on the background or inside a group: select what the rectangle holds
    // (a shift-click on a group without dragging toggles it instead).
    st.drag = { kind: "band", startX: p.x, startY: p.y, ids: objEl ? [objEl.dataset.id!] : [], origin: new Map(), moved: false };
    canvas.append(k.band);
    placeBand(k, p.x, p.y);
  } else if (objEl) {
    st.drag = moveDrag(k, objEl.dataset.id!, e.shiftKey, p);
    k.dragChanged();
  } else {
    if (st.selected.length) {
      st.selected.length = 0;
      k.presence({ selection: [] });
      k.selectionChanged();
    }
    st.drag = pan(st, p);
  }
  canvas.setPointerCapture(e.pointerId);
}

function move(k: Ctx, e: PointerEvent) {
  const { canvas, state: st } = k;
  if (k.pinch.move(e)) return k.viewportChanged();
  const w = toWorld(canvas, st, e.clientX, e.clientY);
  const d = st.drag;
  const drag = d && (d.kind === "move" || d.kind === "resize") ? follow(k, d, e) : null;
  // A moved move carries the primary's drop position: others see the drag live (PRES-6).
  k.presence({ cursor: { x: w.x, y: w.y }, selection: [...st.selected], ...(drag ? { drag } : {}) });
  if (!d) return;
  if (d.kind === "band") return placeBand(k, e.clientX, e.clientY);
  if (d.kind === "pan") {
    st.panX = e.clientX - d.startX;
    st.panY = e.clientY - d.startY;
    return k.viewportChanged();
  }
}

/** Moves or resizes the dragged elements; for a moved move, the primary's drop position. */
function follow(k: Ctx, d: Drag, e: PointerEvent): { objectId: string; x: number; y: number } | null {
  const st = k.state;
  const dx = (e.clientX - d.startX) / st.zoom, dy = (e.clientY - d.startY) / st.zoom;
  if (Math.abs(dx) + Math.abs(dy) > 2) d.moved = true;
  for (const id of d.ids) {
    const el = k.els.get(id), o = d.origin.get(id)!;
    if (!el) continue;
    if (d.kind === "move") {
      el.style.left = `${o.x + dx}px`;
      el.style.top = `${o.y + dy}px`;
    } else {
      el.style.width = `${Math.max(60, o.w + dx)}px`;
      el.style.height = `${Math.max(40, o.h + dy)}px`;
    }
  }
  const p = d.kind === "move" && d.moved && d.primary ? d.origin.get(d.primary) : undefined;
  return p ? { objectId: d.primary!, x: p.x + Math.round(dx), y: p.y + Math.round(dy) } : null; // as dropOps rounds
}

function endBand(k: Ctx, d: Drag, e: PointerEvent) {
  const { canvas, state: st, client } = k;
  const v = () => client.view;
  k.band.remove();
  if (Math.abs(e.clientX - d.startX) + Math.abs(e.clientY - d.startY) < 4) {
    if (d.ids.length) k.select(d.ids[0], true);
    return;
  }
  const a = toWorld(canvas, st, Math.min(d.startX, e.clientX), Math.min(d.startY, e.clientY));
  const b = toWorld(canvas, st, Math.max(d.startX, e.clientX), Math.max(d.startY, e.clientY));
  for (const o of v().objects.values()) {
    if (o.deleted || !CANVAS_TYPES.includes(o.type)) continue;
    const bx = box(o);
    if (bx.x >= a.x && bx.y >= a.y && bx.x + bx.w <= b.x && bx.y + bx.h <= b.y && !st.selected.includes(o.id)) st.selected.push(o.id);
  }
  k.presence({ selection: [...st.selected] });
  k.selectionChanged();
}

/** The ops of a drop: the new boxes; a note dropped inside a group joins it, outside leaves it. */
function dropOps(k: Ctx, d: Drag, e: PointerEvent): Op[] {
  const { state: st, client } = k;
  const v = () => client.view;
  const dx = Math.round((e.clientX - d.startX) / st.zoom), dy = Math.round((e.clientY - d.startY) / st.zoom);
  const ops: Op[] = [];
  let key = k.lastKey();
  for (const id of d.ids) {
    const o = d.origin.get(id)!;
    if (d.kind === "resize") {
      ops.push(op.update(id, { width: Math.max(60, o.w + dx), height: Math.max(40, o.h + dy) }));
      continue;
    }
    const nx = o.x + dx, ny = o.y + dy;
    ops.push(op.update(id, { x: nx, y: ny }));
    const obj = v().live(id);
    if (!obj || obj.type === ObjectType.GROUP) continue;
    const parent = groupAt(v(), nx + o.w / 2, ny + o.h / 2, d.ids);
    if (parent !== str(obj, "parent") && !d.ids.includes(str(obj, "parent"))) {
      ops.push(op.move(id, key, parent));
      key = keyBetween(key, null) ?? key;
    }
  }
  return ops;
}

function up(k: Ctx, e: PointerEvent) {
  const { state: st, client } = k;
  if (k.pinch.up(e)) return;
  const d = st.drag;
  st.drag = null;
  if (d?.kind === "band") return endBand(k, d, e);
  if (!d || d.kind === "pan") return;
  const ops = d.moved ? dropOps(k, d, e) : [];
  if (ops.length) client.submit(ops);
  if (d.kind === "move" && d.moved) k.presence({ drag: null }); // after the drop's change: no preview is left
  k.dragChanged();
}

/** The pointer was taken away mid-drag: nothing is dropped, the elements go back. */
function cancel(k: Ctx) {
  const d = k.state.drag;
  k.state.drag = null;
  if (!d || d.kind === "pan") return;
  if (d.kind === "band") return k.band.remove();
  if (d.kind === "move" && d.moved) k.presence({ drag: null });
  k.dragChanged();
}

function dblclick(k: Ctx, e: MouseEvent) {
  const { canvas, state: st } = k;
  // The pointer capture of a drag retargets clicks to the canvas: hit-test instead.
  if (!k.writable()) return;
  const target = (document.elementFromPoint(e.clientX, e.clientY) ?? e.target) as HTMLElement;
  if (target.closest(".editor")) return;
  const objEl = target.closest<HTMLElement>("[data-id]");
  // The background, or the inside of a group or lane but its title: a new note there.
  if (!objEl || (objEl.classList.contains("group") && !target.closest(".group-title, .resize")))
    return k.addNote(toWorld(canvas, st, e.clientX, e.clientY));
  if (target.closest(".resize")) return;
  if (!k.canChange(objEl.dataset.id!)) return;
  if (target.closest("textarea, select")) return;
  k.startEdit(objEl.dataset.id!);
}

function wheel(k: Ctx, e: WheelEvent) {
  e.preventDefault();
  wheelView(k.canvas, k.state, e); // a scroll pans, Ctrl+wheel zooms (gestures.ts)
  k.viewportChanged();
}

/** Installs the handlers; returns their removal (those on the document). */
export function attachInteraction(hooks: InteractionHooks): () => void {
  const k: Ctx = { ...hooks, band: h("div", { class: "band", "data-testid": "band" }), pinch: new Pinch(hooks.canvas, hooks.state) };
  const { canvas } = k;
  const on = <E extends Event>(f: (k: Ctx, e: E) => void) => (e: E) => f(k, e);
  canvas.addEventListener("pointerdown", on(down));
  canvas.addEventListener("pointermove", on(move));
  canvas.addEventListener("pointerup", on(up));
  canvas.addEventListener("pointercancel", (e) => {
    if (!k.pinch.up(e)) cancel(k);
  });
  canvas.addEventListener("dblclick", on(dblclick));
  canvas.addEventListener("wheel", on(wheel), { passive: false });
  return attachKeyboard(hooks); // the keyboard and the clipboard: keyboard.ts
}
