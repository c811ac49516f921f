// The discovery board: a pan-and-zoom canvas of notes, groups, experiment cards and
// connectors, with votes, comments, live cursors and multi-select. Read-only for
// viewers (ROLE-2): they pan, zoom, select and read comments; nothing else.
import { ObjectType } from "../gen/board_pb";
import { memberships } from "../access/memberships";
import { canEdit, roleOf } from "../access/roles";
import type { Obj } from "../sync/board";
import { keyBetween } from "../sync/orderKey";
import { newId, op } from "../sync/ops";
import type { SyncClient } from "../sync/syncClient";
import type { View } from "./boardPage";
import { clear, h, userColor } from "./dom";
import { Drafts, guardUnload, whoIsOn } from "./drafts";
import type { EditSession } from "./editor";
import { TextEditor } from "./editor";

const COLORS = ["#fff4b8", "#ffd6e0", "#d6f5d6", "#d6e6ff", "#f0dcff", "#ffe2c2"];
const NOTE_W = 160;
const NOTE_H = 120;
const CANVAS_TYPES = [ObjectType.GROUP, ObjectType.NOTE, ObjectType.EXPERIMENT];

interface Drag {
  kind: "move" | "pan" | "resize" | "band";
  startX: number;
  startY: number;
  ids: string[];
  origin: Map<string, { x: number; y: number; w: number; h: number }>;
  moved: boolean;
}

/** Backlog boards a note can be promoted into: editor or above there too (ROLE-4). */
export function promoteTargets(exceptBoard: string) {
  return memberships.all().filter((m) => m.kind === "backlog" && m.boardId !== exceptBoard && canEdit(roleOf(m.role)));
}

export function mountDiscovery(root: HTMLElement, client: SyncClient, boardId: string): View {
  let panX = 40, panY = 40, zoom = 1;
  const selected: string[] = [];
  let drag: Drag | null = null;
  let rendering = false;
  let restored = false;

  const world = h("div", { class: "world", "data-testid": "world" });
  const links = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  links.classList.add("links");
  const cursors = h("div", { class: "cursors" });
  const canvas = h("div", { class: "canvas", "data-testid": "canvas" }, world);
  world.append(links, cursors);
  const side = h("aside", { class: "side", "data-testid": "side" });
  const backlogChoice = h("select", { class: "input", "data-testid": "promote-target" });
  const readOnlyHint = h("span", { class: "muted", "data-testid": "read-only-hint" }, "View only: drag to pan, wheel to zoom, select a note to read its comments.");
  const tools = h("div", { class: "tools", "data-testid": "tools" },
    h("button", { class: "button primary", "data-testid": "add-note", onclick: () => addNote() }, "+ Note"),
    h("button", { class: "button", "data-testid": "add-group", onclick: () => addGroup() }, "+ Group"),
    h("button", { class: "button", "data-testid": "add-experiment", onclick: () => addExperiment() }, "+ Experiment"),
    h("button", { class: "button", "data-testid": "connect", onclick: () => connect() }, "Connect"),
    h("button", { class: "button", "data-testid": "vote", onclick: () => vote() }, "● Vote"),
    h("button", { class: "button", "data-testid": "unvote", onclick: () => unvote() }, "○ Unvote"),
    h("span", { class: "swatches" }, ...COLORS.map((c) =>
      h("button", { class: "swatch", style: `background:${c}`, title: "Colour", onclick: () => recolour(c) }))),
    h("button", { class: "button", "data-testid": "delete", onclick: () => removeSelected() }, "Delete"),
    backlogChoice,
    h("button", { class: "button", "data-testid": "promote", onclick: () => promote() }, "Promote to backlog"),
  );
  const toolbar = h("div", { class: "toolbar" }, tools, readOnlyHint);
  root.append(toolbar, h("div", { class: "discovery" }, canvas, side));
  const writable = () => client.canWrite;

  const els = new Map<string, HTMLElement>();
  const drafts = new Drafts(boardId);
  // The one text editor: over the scene, never rebuilt by render() (editor.ts).
  const editor = new TextEditor(world, {
    drafts,
    commit: (s, value) => commitEdit(s, value),
    cancel: () => render(),
    who: (id) => whoIsOn(client.peers, id),
    rendering: () => rendering,
  });
  // Leaving asks first while a typed draft is open or changes are unsent.
  guardUnload(() => {
    if (client.pending.length > 0) return true;
    const s = editor.session;
    return !!s && (s.create ? editor.ta.value.trim() !== "" : editor.ta.value !== s.original);
  });

  // ---------- helpers ----------
  const v = () => client.view;
  const num = (o: Obj, f: string, d = 0) => (typeof o.fields.get(f) === "number" ? (o.fields.get(f) as number) : d);
  const str = (o: Obj, f: string) => (typeof o.fields.get(f) === "string" ? (o.fields.get(f) as string) : "");
  const toWorld = (cx: number, cy: number) => {
    const r = canvas.getBoundingClientRect();
    return { x: (cx - r.left - panX) / zoom, y: (cy - r.top - panY) / zoom };
  };
  const center = () => {
    const r = canvas.getBoundingClientRect();
    return toWorld(r.left + r.width / 2, r.top + r.height / 2);
  };
  const lastKey = () => {
    const list = v().ordered(...CANVAS_TYPES);
    return keyBetween(list.length ? String(list[list.length - 1].fields.get("order") ?? "a0") || null : null, null) ?? "a0";
  };
  const select = (id: string, add: boolean) => {
    if (!add) selected.length = 0;
    const i = selected.indexOf(id);
    if (add && i >= 0) selected.splice(i, 1);
    else if (i < 0) selected.push(id);
    client.setPresence({ selection: [...selected] });
    render();
  };

  // ---------- commands ----------
  function addNote(at = center()) {
    const id = newId();
    let x = Math.round(at.x - NOTE_W / 2), y = Math.round(at.y - NOTE_H / 2);
    // Cascade instead of stacking a new note exactly on top of another one.
    const taken = (px: number, py: number) =>
      v().ordered(ObjectType.NOTE).some((n) => Math.abs(num(n, "x") - px) < 12 && Math.abs(num(n, "y") - py) < 12);
    for (let i = 0; i < 50 && taken(x, y); i++) {
      x += 28;
      y += 28;
    }
    if (!writable()) return;
    // Created with its text when the text is committed: nobody sees an empty note meanwhile.
    const values = { color: COLORS[0], x, y, width: NOTE_W, height: NOTE_H };
    selected.length = 0;
    client.setPresence({ selection: [] });
    editor.open({ objectId: id, field: "text", original: "", base: "", create: { type: ObjectType.NOTE, values } }, "", false, "note");
    render();
  }
  function addGroup() {
    const c = center();
    client.submit([op.create(newId(), ObjectType.GROUP, { title: "Group", x: Math.round(c.x - 200), y: Math.round(c.y - 150), width: 400, height: 300, color: "#eef2ff", order: lastKey() })]);
  }
  function addExperiment() {
    const c = center();
    client.submit([op.create(newId(), ObjectType.EXPERIMENT, { hypothesis: "We believe that…", metric: "We will know when…", result: "pending", x: Math.round(c.x - 110), y: Math.round(c.y - 75), width: 220, height: 150, order: lastKey() })]);
  }
  function connect() {
    if (selected.length !== 2) return flash("Select two objects to connect");
    client.submit([op.create(newId(), ObjectType.CONNECTOR, { from: selected[0], to: selected[1] })]);
  }
  function vote() {
    const ops = selected.filter((id) => v().live(id)).map((id) => op.addVote(newId(), id));
    if (ops.length) client.submit(ops);
  }
  function unvote() {
    const votes = v().votes();
    const ops = [];
    for (const id of selected) {
      // VOTE-1: a vote's voter is the member id; RemoveVote takes only one's own (VOTE-2).
      const mine = (votes.get(id) ?? []).find((vo) => vo.fields.get("voter") === client.me.memberId);
      if (mine) ops.push(op.removeVote(mine.id));
    }
    if (ops.length) client.submit(ops);
  }
  function recolour(c: string) {
    const ops = selected.filter((id) => v().live(id)).map((id) => op.update(id, { color: c }));
    if (ops.length) client.submit(ops);
  }
  function removeSelected() {
    if (!writable()) return;
    const ops = selected.filter((id) => v().live(id) && v().live(id)!.type !== ObjectType.VOTE).map((id) => op.delete(id));
    selected.length = 0;
    if (ops.length) client.submit(ops);
  }
  function promote() {
    const note = selected.length === 1 ? v().live(selected[0]) : undefined;
    if (!note || note.type !== ObjectType.NOTE) return flash("Select one note to promote");
    const targets = promoteTargets(boardId);
    if (targets.length === 0) return flash("Open or create a backlog board first");
    const target = targets.find((t) => t.boardId === backlogChoice.value) ?? (targets.length === 1 ? targets[0] : undefined);
    if (!target) return flash("Choose the backlog to promote into");
    client.submit([op.promote(note.id, target.boardId, newId(), target.token)]);
  }
  function flash(msg: string) {
    client.flash(msg);
  }

  // ---------- editing ----------
  const FIELD: Partial<Record<ObjectType, string>> = {
    [ObjectType.NOTE]: "text", [ObjectType.GROUP]: "title", [ObjectType.EXPERIMENT]: "hypothesis",
  };
  const KIND: Partial<Record<ObjectType, string>> = {
    [ObjectType.NOTE]: "note", [ObjectType.GROUP]: "group", [ObjectType.EXPERIMENT]: "experiment",
  };
  function startEdit(id: string) {
    if (!writable()) return;
    const o = v().live(id);
    const field = o && FIELD[o.type];
    if (!o || !field) return;
    if (editor.is(id, field)) return editor.focus();
    const current = str(o, field);
    const draft = drafts.get(id, field);
    editor.open({ objectId: id, field, original: draft?.original ?? current, base: current }, draft?.value ?? current, !!draft, KIND[o.type]!);
    render();
  }
  /** The editor is closed already: this only sends. Never called from inside render(). */
  function commitEdit(s: EditSession, value: string) {
    if (s.create) {
      if (value.trim()) {
        client.submit([op.create(s.objectId, s.create.type, { ...s.create.values, text: value, order: lastKey() })]);
        selected.length = 0;
        selected.push(s.objectId);
        client.setPresence({ selection: [...selected] });
      }
    } else {
      const o = v().live(s.objectId);
      if (o) {
        // Unchanged by the user: do not overwrite what someone else wrote meanwhile.
        if (value !== s.original && str(o, s.field) !== value) client.submit([op.update(s.objectId, { [s.field]: value })]);
      } else if (s.field === "text" && value.trim() && value !== s.original) {
        // Deleted by someone else while typing: the text is not lost, it becomes a new note.
        const at = editor.el.style;
        client.submit([op.create(newId(), ObjectType.NOTE, {
          text: value, color: COLORS[0], x: parseFloat(at.left) || 0, y: parseFloat(at.top) || 0,
          width: NOTE_W, height: NOTE_H, order: lastKey(),
        })]);
      }
    }
    render();
  }

  // ---------- pointer ----------
  canvas.addEventListener("pointerdown", (e) => {
    const target = e.target as HTMLElement;
    if (target.closest("textarea, select, button, input, .editor")) return;
    const objEl = target.closest<HTMLElement>("[data-id]");
    const p = { x: e.clientX, y: e.clientY };
    if (!writable() && objEl && !(e.shiftKey && objEl.classList.contains("group"))) {
      // Read-only: a click selects (to read its comments), a drag pans.
      if (!selected.includes(objEl.dataset.id!) || e.shiftKey) select(objEl.dataset.id!, e.shiftKey);
      drag = { kind: "pan", startX: p.x - panX, startY: p.y - panY, ids: [], origin: new Map(), moved: false };
    } else if (target.classList.contains("resize") && objEl) {
      const o = v().live(objEl.dataset.id!);
      if (!o) return;
      drag = { kind: "resize", startX: p.x, startY: p.y, ids: [o.id], origin: new Map([[o.id, box(o)]]), moved: false };
    } else if (e.shiftKey && (!objEl || objEl.classList.contains("group"))) {
      // Shift-drag on the background or inside a group: select what the rectangle holds
      // (a shift-click on a group without dragging toggles it instead).
      drag = { kind: "band", startX: p.x, startY: p.y, ids: objEl ? [objEl.dataset.id!] : [], origin: new Map(), moved: false };
      canvas.append(band);
      placeBand(p.x, p.y);
    } else if (objEl) {
      const id = objEl.dataset.id!;
      if (!selected.includes(id) || e.shiftKey) select(id, e.shiftKey);
      const ids = new Set(selected);
      for (const sid of selected) {
        const so = v().live(sid);
        if (so?.type === ObjectType.GROUP) for (const child of v().ordered(ObjectType.NOTE, ObjectType.EXPERIMENT)) if (child.fields.get("parent") === sid) ids.add(child.id);
      }
      const origin = new Map<string, ReturnType<typeof box>>();
      for (const i of ids) {
        const o = v().live(i);
        if (o && CANVAS_TYPES.includes(o.type)) origin.set(i, box(o));
      }
      drag = { kind: "move", startX: p.x, startY: p.y, ids: [...origin.keys()], origin, moved: false };
    } else {
      if (selected.length) {
        selected.length = 0;
        client.setPresence({ selection: [] });
        render();
      }
      drag = { kind: "pan", startX: p.x - panX, startY: p.y - panY, ids: [], origin: new Map(), moved: false };
    }
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener("pointermove", (e) => {
    const w = toWorld(e.clientX, e.clientY);
    client.setPresence({ cursor: { x: w.x, y: w.y }, selection: [...selected] });
    if (!drag) return;
    if (drag.kind === "band") return placeBand(e.clientX, e.clientY);
    if (drag.kind === "pan") {
      panX = e.clientX - drag.startX;
      panY = e.clientY - drag.startY;
      applyTransform();
      return;
    }
    const dx = (e.clientX - drag.startX) / zoom, dy = (e.clientY - drag.startY) / zoom;
    if (Math.abs(dx) + Math.abs(dy) > 2) drag.moved = true;
    for (const id of drag.ids) {
      const el = els.get(id), o = drag.origin.get(id)!;
      if (!el) continue;
      if (drag.kind === "move") {
        el.style.left = `${o.x + dx}px`;
        el.style.top = `${o.y + dy}px`;
      } else {
        el.style.width = `${Math.max(60, o.w + dx)}px`;
        el.style.height = `${Math.max(40, o.h + dy)}px`;
      }
    }
  });
  canvas.addEventListener("pointerup", (e) => {
    const d = drag;
    drag = null;
    if (d?.kind === "band") {
      band.remove();
      if (Math.abs(e.clientX - d.startX) + Math.abs(e.clientY - d.startY) < 4) {
        if (d.ids.length) select(d.ids[0], true);
        return;
      }
      const a = toWorld(Math.min(d.startX, e.clientX), Math.min(d.startY, e.clientY));
      const b = toWorld(Math.max(d.startX, e.clientX), Math.max(d.startY, e.clientY));
      for (const o of v().ordered(...CANVAS_TYPES)) {
        const bx = box(o);
        if (bx.x >= a.x && bx.y >= a.y && bx.x + bx.w <= b.x && bx.y + bx.h <= b.y && !selected.includes(o.id)) selected.push(o.id);
      }
      client.setPresence({ selection: [...selected] });
      render();
      return;
    }
    if (!d || d.kind === "pan" || !d.moved) return;
    const dx = Math.round((e.clientX - d.startX) / zoom), dy = Math.round((e.clientY - d.startY) / zoom);
    const ops = [];
    const groups = v().ordered(ObjectType.GROUP).filter((g) => !d.ids.includes(g.id));
    let key = lastKey();
    for (const id of d.ids) {
      const o = d.origin.get(id)!;
      if (d.kind === "resize") {
        ops.push(op.update(id, { width: Math.max(60, o.w + dx), height: Math.max(40, o.h + dy) }));
        continue;
      }
      const nx = o.x + dx, ny = o.y + dy;
      ops.push(op.update(id, { x: nx, y: ny }));
      const obj = v().live(id)!;
      if (obj.type === ObjectType.GROUP) continue;
      // Dropped inside a group: it joins it (and comes to the front); outside: it leaves.
      const cx = nx + o.w / 2, cy = ny + o.h / 2;
      const inside = [...groups].reverse().find((g) => cx >= num(g, "x") && cx <= num(g, "x") + num(g, "width") && cy >= num(g, "y") && cy <= num(g, "y") + num(g, "height"));
      const parent = inside?.id ?? "";
      if (parent !== str(obj, "parent") && !d.ids.includes(str(obj, "parent"))) {
        ops.push(op.move(id, key, parent));
        key = keyBetween(key, null) ?? key;
      }
    }
    if (ops.length) client.submit(ops);
  });
  canvas.addEventListener("dblclick", (e) => {
    // The pointer capture of a drag retargets clicks to the canvas: hit-test instead.
    if (!writable()) return;
    const target = (document.elementFromPoint(e.clientX, e.clientY) ?? e.target) as HTMLElement;
    if (target.closest(".editor")) return;
    const objEl = target.closest<HTMLElement>("[data-id]");
    if (!objEl) return addNote(toWorld(e.clientX, e.clientY));
    if (target.closest("textarea, select")) return;
    startEdit(objEl.dataset.id!);
  });
  canvas.addEventListener("wheel", (e) => {
    e.preventDefault();
    const r = canvas.getBoundingClientRect();
    const before = toWorld(e.clientX, e.clientY);
    zoom = Math.min(3, Math.max(0.2, zoom * Math.exp(-e.deltaY * 0.001)));
    panX = e.clientX - r.left - before.x * zoom;
    panY = e.clientY - r.top - before.y * zoom;
    applyTransform();
  }, { passive: false });
  document.addEventListener("keydown", (e) => {
    // Only when nothing is being typed in: no editor open, no field focused.
    if (editor.isOpen || (e.target as HTMLElement).closest("input, textarea, [contenteditable], select")) return;
    const active = document.activeElement as HTMLElement | null;
    if (active && active !== document.body && active.closest("input, textarea, [contenteditable], select")) return;
    if ((e.key === "Delete" || e.key === "Backspace") && selected.length) removeSelected();
  });

  const band = h("div", { class: "band", "data-testid": "band" });
  function placeBand(cx: number, cy: number) {
    if (!drag) return;
    const r = canvas.getBoundingClientRect();
    band.style.left = `${Math.min(drag.startX, cx) - r.left}px`;
    band.style.top = `${Math.min(drag.startY, cy) - r.top}px`;
    band.style.width = `${Math.abs(cx - drag.startX)}px`;
    band.style.height = `${Math.abs(cy - drag.startY)}px`;
  }

  function box(o: Obj) {
    return { x: num(o, "x"), y: num(o, "y"), w: num(o, "width", NOTE_W), h: num(o, "height", NOTE_H) };
  }
  function applyTransform() {
    world.style.transform = `translate(${panX}px, ${panY}px) scale(${zoom})`;
  }

  // ---------- rendering ----------
  function objectEl(o: Obj): HTMLElement {
    let el = els.get(o.id);
    if (!el) {
      el = h("div", { "data-id": o.id });
      els.set(o.id, el);
    }
    const b = box(o);
    const isDragged = drag && drag.kind !== "pan" && drag.ids.includes(o.id);
    if (!isDragged) {
      el.style.left = `${b.x}px`;
      el.style.top = `${b.y}px`;
      el.style.width = `${b.w}px`;
      el.style.height = `${b.h}px`;
    }
    el.style.background = str(o, "color") || (o.type === ObjectType.NOTE ? COLORS[0] : "");
    el.classList.toggle("selected", selected.includes(o.id));
    const votes = v().votes().get(o.id)?.length ?? 0;
    el.classList.toggle("under-edit", editor.is(o.id));
    const key = renderKey(o, votes) + writable();
    if (el.dataset.rendered === key) return el;
    el.dataset.rendered = key;
    clear(el); // never holds the editor: that lives outside the scene
    const under = editor.is(o.id) ? " under-edit" : "";
    const badge = votes ? h("span", { class: "votes", "data-testid": "votes" }, `● ${votes}`) : null;
    if (o.type === ObjectType.NOTE) {
      el.className = "obj note" + (selected.includes(o.id) ? " selected" : "") + under;
      el.dataset.testid = "note";
      el.append(h("div", { class: "note-text", "data-testid": "note-text" }, str(o, "text")));
      const author = str(o, "author");
      el.append(h("div", { class: "note-foot" }, author ? h("span", { class: "muted" }, author) : null, badge));
      if (str(o, "promoted_item"))
        el.append(h("a", { class: "link", href: `/b/${str(o, "promoted_board")}`, "data-testid": "promoted" }, "→ in backlog"));
      if (str(o, "promote_error")) el.append(h("div", { class: "error" }, str(o, "promote_error")));
      el.append(...resizeHandle());
    } else if (o.type === ObjectType.GROUP) {
      el.className = "obj group" + (selected.includes(o.id) ? " selected" : "") + under;
      el.dataset.testid = "group";
      el.append(h("div", { class: "group-title" }, str(o, "title"), badge));
      el.append(...resizeHandle());
    } else {
      el.className = "obj experiment" + (selected.includes(o.id) ? " selected" : "") + under;
      el.dataset.testid = "experiment";
      const result = h("select", { class: "result", "data-result": str(o, "result"), disabled: !writable() },
        ...["pending", "validated", "invalidated"].map((r) => h("option", { value: r, selected: str(o, "result") === r }, r)));
      result.addEventListener("change", () => client.submit([op.update(o.id, { result: result.value })]));
      el.append(h("div", { class: "label" }, "Hypothesis"), h("div", {}, str(o, "hypothesis")),
        h("div", { class: "label" }, "Metric"), h("div", {}, str(o, "metric")));
      el.append(h("div", { class: "note-foot" }, result, badge), ...resizeHandle());
    }
    return el;
  }
  function resizeHandle(): HTMLElement[] {
    return writable() ? [h("div", { class: "resize" })] : [];
  }
  function renderKey(o: Obj, votes: number): string {
    return JSON.stringify([...o.fields.entries()].filter(([k]) => !["x", "y", "width", "height", "order", "color"].includes(k)).map(([k, val]) => [k, String(val)])) + votes + editor.is(o.id);
  }

  /** Keeps the editor on its object (moved, recoloured, changed or deleted underneath). */
  function syncEditor() {
    const s = editor.session;
    if (!s) return;
    if (!writable()) return editor.cancel(); // the session ended: nothing can be saved here
    if (s.create) {
      const c = s.create.values;
      return editor.sync(undefined, { x: Number(c.x), y: Number(c.y), w: Number(c.width), h: Number(c.height) }, String(c.color));
    }
    const o = v().live(s.objectId);
    const el = els.get(s.objectId);
    if (!o) return editor.sync(undefined, el ? { x: parseFloat(el.style.left), y: parseFloat(el.style.top), w: NOTE_W, h: NOTE_H } : { x: 0, y: 0, w: NOTE_W, h: NOTE_H }, COLORS[0]);
    const b = el && drag?.ids.includes(o.id) ? { x: parseFloat(el.style.left), y: parseFloat(el.style.top), w: parseFloat(el.style.width), h: parseFloat(el.style.height) } : box(o);
    if (o.type === ObjectType.GROUP) b.h = Math.min(b.h, 44);
    const bg = o.type === ObjectType.NOTE ? str(o, "color") || COLORS[0] : o.type === ObjectType.GROUP ? "#fff" : "#fff";
    editor.sync(str(o, s.field), b, bg);
  }

  /** After a reload: the most recent draft opens again (the others when their object is opened). */
  function restoreDraft() {
    if (restored || !writable()) return;
    restored = true;
    for (const d of drafts.list()) {
      if (d.create) {
        if (v().objects.has(d.objectId)) { drafts.drop(d.objectId, d.field); continue; } // committed before the reload
        editor.open({ objectId: d.objectId, field: d.field, original: d.original, base: d.original, create: d.create }, d.value, true, "note");
        return;
      }
      const o = v().live(d.objectId);
      if (!o) continue;
      editor.open({ objectId: d.objectId, field: d.field, original: d.original, base: str(o, d.field) }, d.value, true, KIND[o.type] ?? "note");
      return;
    }
  }

  function renderLinks() {
    while (links.firstChild) links.firstChild.remove();
    for (const o of v().objects.values()) {
      if (o.deleted || o.type !== ObjectType.CONNECTOR) continue;
      const a = v().live(str(o, "from")), b = v().live(str(o, "to"));
      if (!a || !b) continue; // inert: one end is deleted (MODEL-7)
      const ba = box(a), bb = box(b);
      const line = document.createElementNS("http://www.w3.org/2000/svg", "line");
      line.setAttribute("x1", String(ba.x + ba.w / 2));
      line.setAttribute("y1", String(ba.y + ba.h / 2));
      line.setAttribute("x2", String(bb.x + bb.w / 2));
      line.setAttribute("y2", String(bb.y + bb.h / 2));
      line.setAttribute("data-testid", "connector");
      links.append(line);
    }
  }

  function renderCursors() {
    clear(cursors);
    for (const [, p] of client.peers) {
      const c = p.presence?.cursor;
      if (!c) continue;
      const color = p.member.color || userColor(p.member.userName);
      cursors.append(h("div", { class: "cursor", "data-testid": "cursor", style: `left:${c.x}px;top:${c.y}px;--c:${color}` },
        h("span", {}, p.member.userName)));
    }
  }

  function renderSide() {
    clear(side);
    const id = selected.length === 1 ? selected[0] : null;
    const o = id ? v().live(id) : undefined;
    side.classList.toggle("idle", !o);
    if (!o) {
      side.append(h("p", { class: "muted" }, writable()
        ? "Select an object to comment on it. Double-click the canvas to add a note; drag to pan; wheel to zoom; shift-click or shift-drag to select several."
        : "Select an object to read its comments. Drag to pan; wheel to zoom."));
      return;
    }
    side.append(h("h3", {}, "Comments"));
    let comments = 0;
    for (const c of v().objects.values()) {
      if (c.deleted || c.type !== ObjectType.COMMENT || c.fields.get("target") !== o.id) continue;
      comments++;
      side.append(h("div", { class: "comment", "data-testid": "comment" }, h("strong", {}, str(c, "author")), " ", str(c, "text")));
    }
    if (!writable()) {
      if (comments === 0) side.append(h("p", { class: "muted" }, "No comments yet."));
      return;
    }
    const input = h("input", { class: "input", placeholder: "Add a comment", "data-testid": "comment-input" });
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && input.value.trim()) {
        client.submit([op.create(newId(), ObjectType.COMMENT, { target: o.id, text: input.value.trim() })]);
        input.value = "";
      }
    });
    side.append(input);
  }

  function render() {
    if (rendering) return;
    rendering = true;
    try {
      renderScene();
    } finally {
      rendering = false;
    }
    if (!restored) {
      restoreDraft();
      if (editor.isOpen) renderScene();
    }
  }

  function renderScene() {
    const list = v().ordered(...CANVAS_TYPES);
    const seen = new Set<string>();
    let prev: Element = links;
    for (const o of [...list.filter((x) => x.type === ObjectType.GROUP), ...list.filter((x) => x.type !== ObjectType.GROUP)]) {
      const el = objectEl(o);
      seen.add(o.id);
      if (prev.nextSibling !== el) prev.after(el);
      prev = el;
    }
    for (const [id, el] of els) if (!seen.has(id)) { el.remove(); els.delete(id); }
    for (let i = selected.length - 1; i >= 0; i--) if (!v().live(selected[i])) selected.splice(i, 1);
    if (cursors.nextSibling) world.append(cursors);
    syncEditor();
    renderLinks();
    renderCursors();
    if (!side.contains(document.activeElement)) renderSide();
    tools.hidden = !writable();
    toolbar.hidden = client.ended; // nothing left to do here but read
    readOnlyHint.hidden = writable() || client.stopped;
    const backlogs = promoteTargets(boardId);
    const shape = JSON.stringify(backlogs.map((b) => [b.boardId, b.title]));
    if (backlogChoice.dataset.shape !== shape) {
      const chosen = backlogChoice.value;
      backlogChoice.dataset.shape = shape;
      clear(backlogChoice);
      backlogChoice.append(h("option", { value: "" }, backlogs.length ? "Backlog…" : "No backlog yet"),
        ...backlogs.map((b) => h("option", { value: b.boardId, selected: b.boardId === chosen }, b.title || b.boardId)));
    }
  }

  applyTransform();
  return { render };
}
