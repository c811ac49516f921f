// The backlog board: an ordered list the product owner reorders live (drag and
// drop, or Alt+Up/Down), inline edits, and a status-columns view. Read-only for
// viewers (ROLE-2); the columns are the board's settings, changed by facilitators
// and owners only (ROLE-3).
//
// Typing is sacred: rows are kept and updated in place, never rebuilt under the
// cursor; the row being typed in is never moved (the others are placed around it),
// so a remote add, move or edit does not take the focus or a key. A remote change to
// the field being typed in shows a hint and leaves the draft alone; the draft is
// committed by Enter or a blur and cancelled by Escape, and kept in sessionStorage
// meanwhile so a reload gives it back (drafts.ts).
import { ObjectType } from "../gen/board_pb";
import type { Obj, Plain } from "../sync/board";
import { keyBetween } from "../sync/orderKey";
import { newId, op } from "../sync/ops";
import { EVERYTHING } from "../sync/frameChanges";
import type { FrameChanges } from "../sync/frameChanges";
import type { SyncClient } from "../sync/syncClient";
import { h } from "./dom";
import { Drafts, guardUnload, whoIsOn } from "./drafts";

interface FieldCtl {
  name: string;
  input: HTMLInputElement;
  hint: HTMLElement;
  /** The field's value on the board, as the input shows it. */
  text(o: Obj | undefined): string;
  plain(text: string): Plain;
  /** An edit in progress: `original` when typing began, `base` the latest board value seen. */
  session: { original: string; base: string; who?: string } | null;
}

interface Row {
  id: string;
  el: HTMLElement;
  rank: HTMLElement;
  status: HTMLSelectElement;
  statusShape: string;
  fields: FieldCtl[];
  source: HTMLElement;
  handle: HTMLElement;
  /** The order key the row was placed by: a change of it moves rows. */
  order: string;
  index: number;
}

export interface BacklogView {
  render(changes?: FrameChanges): void;
}

export function mountBacklog(root: HTMLElement, client: SyncClient, boardId = location.pathname.split("/")[2] ?? ""): BacklogView {
  let mode: "list" | "columns" = "list";
  let dragging: { id: string; pointer: number; ghost: HTMLElement } | null = null;
  let restored = false;
  const drafts = new Drafts(boardId);
  const rows = new Map<string, Row>();
  const cards = new Map<string, { el: HTMLElement; key: string }>();
  const columnsEl = h("div", { class: "columns" });
  let sections: HTMLElement[] = [];
  let columnsShape = "";
  let lastWritable: boolean | null = null;
  const v = () => client.view;
  const items = () => v().ordered(ObjectType.BACKLOG_ITEM);
  const str = (o: Obj | undefined, f: string) => (o && typeof o.fields.get(f) === "string" ? (o.fields.get(f) as string) : "");
  const key = (o: Obj | undefined) => (o ? str(o, "order") || null : null);

  const addInput = h("input", { class: "input grow", placeholder: "New item title, Enter to add", "data-testid": "new-item" });
  addInput.addEventListener("input", () => {
    if (addInput.value) drafts.save({ objectId: "new-item", field: "title", value: addInput.value, original: "" });
    else drafts.drop("new-item", "title");
  });
  addInput.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      addInput.value = "";
      drafts.drop("new-item", "title");
      return;
    }
    if (e.key !== "Enter" || e.isComposing || !addInput.value.trim()) return;
    const list = items();
    client.submit([op.create(newId(), ObjectType.BACKLOG_ITEM, {
      title: addInput.value.trim(), order: keyBetween(key(list[list.length - 1]), null) ?? "a0",
      ...(v().columns[0] ? { status: v().columns[0] } : {}),
    })]);
    addInput.value = "";
    drafts.drop("new-item", "title");
  });
  const listBtn = h("button", { class: "button", "data-testid": "mode-list", onclick: () => { mode = "list"; render(); } }, "List");
  const colBtn = h("button", { class: "button", "data-testid": "mode-columns", onclick: () => { mode = "columns"; render(); } }, "Columns");
  const editCols = h("button", { class: "button", "data-testid": "edit-columns", onclick: () => {
    const c = prompt("Status columns, comma-separated", v().columns.join(", "));
    if (c) client.submit([op.updateBoard(undefined, c.split(",").map((x) => x.trim()).filter(Boolean))]);
  } }, "Edit columns");
  const body = h("div", { class: "backlog", "data-testid": "backlog" });
  const empty = h("p", { class: "muted" });
  const readOnlyHint = h("span", { class: "muted grow", "data-testid": "read-only-hint" }, "View only");
  const toolbar = h("div", { class: "toolbar" }, addInput, readOnlyHint, listBtn, colBtn, editCols);
  root.append(toolbar, body);
  const writable = () => client.canWrite;

  guardUnload(() => client.pending.length > 0 || addInput.value.trim() !== ""
    || [...rows.values()].some((r) => r.fields.some((f) => f.session && f.input.value !== f.session.original)));

  /** Moves `id` to index `to` of the list without it. */
  function moveTo(id: string, to: number) {
    if (!writable()) return;
    const rest = items().filter((o) => o.id !== id);
    to = Math.max(0, Math.min(rest.length, to));
    let a = key(rest[to - 1]), b = key(rest[to]);
    if (a !== null && a === b) b = null; // a tie: go after it
    const k = keyBetween(a, b);
    if (k) client.submit([op.move(id, k)]);
  }

  // ---------- inline fields ----------
  function say(f: FieldCtl, kind: string, text: string) {
    f.hint.hidden = false;
    f.hint.dataset.kind = kind;
    f.hint.textContent = text;
  }
  function quiet(f: FieldCtl) {
    f.hint.hidden = true;
    f.hint.textContent = "";
  }
  function begin(row: Row, f: FieldCtl) {
    if (f.session) return;
    const current = f.text(v().live(row.id));
    f.session = { original: current, base: current };
  }
  /** Enter or a blur: sends the draft if it differs from the board's value. */
  function commit(row: Row, f: FieldCtl) {
    const s = f.session;
    f.session = null;
    drafts.drop(row.id, f.name);
    quiet(f);
    if (!s) return;
    const o = v().live(row.id);
    const value = f.input.value;
    if (o && value !== s.original && value !== f.text(o)) client.submit([op.update(row.id, { [f.name]: f.plain(value) })]);
    else if (o) f.input.value = f.text(o);
  }
  /** Escape: nothing is sent; the field shows the board's value again. */
  function cancel(row: Row, f: FieldCtl) {
    f.session = null;
    drafts.drop(row.id, f.name);
    quiet(f);
    f.input.value = f.text(v().live(row.id));
  }

  function field(row: Row, name: string, input: HTMLInputElement, text: FieldCtl["text"], plain: FieldCtl["plain"]): FieldCtl {
    const f: FieldCtl = { name, input, text, plain, session: null, hint: h("span", { class: "field-hint", "data-testid": "field-hint", hidden: true }) };
    input.addEventListener("input", () => {
      begin(row, f);
      drafts.save({ objectId: row.id, field: name, value: input.value, original: f.session!.original });
    });
    input.addEventListener("keydown", (e) => {
      if (e.isComposing || e.altKey) return;
      if (e.key === "Enter") {
        e.preventDefault();
        commit(row, f);
      } else if (e.key === "Escape" && f.session) {
        e.preventDefault();
        cancel(row, f);
      }
    });
    input.addEventListener("blur", () => {
      if (!f.session || !document.hasFocus()) return; // a window switch is not the end of an edit
      commit(row, f);
      render();
    });
    return f;
  }

  function makeRow(o: Obj): Row {
    const ro = !writable();
    const el = h("div", { class: "item", tabindex: 0, "data-id": o.id, "data-testid": "item" });
    const row: Row = { id: o.id, el, rank: h("span", { class: "rank" }), status: h("select", { class: "input", "data-testid": "item-status", disabled: ro }), statusShape: "", fields: [], source: h("span"), handle: h("span"), order: "", index: -1 };
    const title = h("input", { class: "title", "data-testid": "item-title", readonly: ro });
    const est = h("input", { class: "input est", type: "number", min: 0, placeholder: "pts", "data-testid": "item-estimate", readonly: ro });
    const tags = h("input", { class: "input tags", placeholder: "tags", "data-testid": "item-tags", readonly: ro });
    const who = h("input", { class: "input who", placeholder: "assignee", "data-testid": "item-assignee", readonly: ro });
    row.fields = [
      field(row, "title", title, (x) => str(x, "title"), (t) => t),
      field(row, "estimate", est, (x) => (x && typeof x.fields.get("estimate") === "number" ? String(x.fields.get("estimate")) : ""), (t) => Number(t) || 0),
      field(row, "tags", tags, (x) => (x?.fields.get("tags") as string[] | undefined)?.join(", ") ?? "", (t) => t.split(",").map((s) => s.trim()).filter(Boolean)),
      field(row, "assignee", who, (x) => str(x, "assignee"), (t) => t),
    ];
    row.status.addEventListener("change", () => client.submit([op.update(row.id, { status: row.status.value })]));
    const handle = h("span", { class: "handle", "data-testid": "drag-handle", title: "Drag to reorder (or Alt+Up/Down)", hidden: ro }, "⋮⋮");
    row.handle = handle;
    handle.addEventListener("pointerdown", (e) => {
      e.preventDefault();
      if (!writable()) return;
      const ghost = h("div", { class: "ghost" }, str(v().live(row.id), "title"));
      document.body.append(ghost);
      ghost.style.top = `${e.clientY}px`;
      dragging = { id: row.id, pointer: e.pointerId, ghost };
      handle.setPointerCapture(e.pointerId);
      el.classList.add("dragging");
    });
    handle.addEventListener("pointermove", (e) => {
      if (dragging?.id === row.id) dragging.ghost.style.top = `${e.clientY}px`;
    });
    handle.addEventListener("pointerup", (e) => {
      if (dragging?.id !== row.id) return;
      dragging.ghost.remove();
      dragging = null;
      el.classList.remove("dragging");
      // The drop index among the other rows, by the pointer's height.
      const others = [...body.querySelectorAll<HTMLElement>(".item")].filter((r) => r.dataset.id !== row.id);
      let to = others.length;
      for (let i = 0; i < others.length; i++) {
        const r = others[i].getBoundingClientRect();
        if (e.clientY < r.top + r.height / 2) { to = i; break; }
      }
      moveTo(row.id, to);
      render();
    });
    el.append(handle, row.rank, ...row.fields.map((f) => f.input).slice(0, 1), row.status, ...row.fields.map((f) => f.input).slice(1), row.source, ...row.fields.map((f) => f.hint));
    el.addEventListener("keydown", (e) => {
      if (!e.altKey || (e.key !== "ArrowUp" && e.key !== "ArrowDown") || !writable()) return;
      e.preventDefault();
      moveTo(row.id, row.index + (e.key === "ArrowUp" ? -1 : 1));
      // The focused row is never moved by a render (the others move around it): it keeps the focus.
    });
    el.addEventListener("focusin", () => client.setPresence({ selection: [row.id] }));
    // After a reload: the drafts of this row come back into its fields.
    for (const f of row.fields) {
      const d = drafts.get(o.id, f.name);
      if (!d) continue;
      f.input.value = d.value;
      f.session = { original: d.original, base: f.text(o) };
      say(f, "restored", d.original !== f.text(o)
        ? "Your unsaved draft is back; the value changed meanwhile. Enter keeps yours, Esc keeps theirs."
        : "Your unsaved draft is back: Enter to save it, Esc to discard it.");
    }
    return row;
  }

  /** Brings a row up to date without touching what is being typed; writes only what differs. */
  function updateRow(row: Row, o: Obj, index: number) {
    if (row.index !== index) {
      row.index = index;
      row.rank.textContent = String(index + 1);
    }
    row.order = str(o, "order");
    const ro = !writable();
    if (row.el.classList.contains("gone")) row.el.classList.remove("gone");
    for (const f of row.fields) {
      if (f.input.readOnly !== ro) f.input.readOnly = ro;
      const current = f.text(o);
      if (f.session) {
        const s = f.session;
        if (current !== s.base) {
          s.base = current;
          s.who = current === f.input.value ? undefined : whoIsOn(client.peers, row.id);
          if (!s.who) quiet(f);
        } else if (s.who === "someone else") {
          s.who = whoIsOn(client.peers, row.id); // their presence may come after their change
        }
        const text = `Changed by ${s.who} to “${current}”. Your text is kept: Enter saves yours, Esc keeps theirs.`;
        if (s.who && f.hint.textContent !== text) say(f, "conflict", text);
      } else if (f.input.value !== current) {
        const focused = document.activeElement === f.input;
        const at = focused && f.input.type !== "number" ? f.input.selectionStart : null;
        f.input.value = current;
        if (at !== null) f.input.setSelectionRange(at, at);
      }
    }
    const cols = v().columns;
    const shape = JSON.stringify(cols);
    if (row.statusShape !== shape && document.activeElement !== row.status) {
      row.statusShape = shape;
      row.status.replaceChildren(...cols.map((c) => h("option", { value: c }, c)));
    }
    const status = str(o, "status") || cols[0] || "";
    if (document.activeElement !== row.status && row.status.value !== status) row.status.value = status;
    if (row.status.disabled !== ro) row.status.disabled = ro;
    const src = str(o, "source_board");
    if ((row.source.dataset.src ?? "") !== src) {
      const next: HTMLElement = src ? h("a", { class: "link", href: `/b/${src}`, "data-testid": "item-source" }, "from discovery") : h("span");
      next.dataset.src = src;
      row.source.replaceWith(next);
      row.source = next;
    }
    if (row.handle.hidden !== ro) row.handle.hidden = ro;
  }

  /** The card of `o` in column `col`, kept while what it shows is the same. */
  function card(o: Obj, col: number): HTMLElement {
    const cols = v().columns;
    const ro = !writable();
    const key = JSON.stringify([str(o, "title"), str(o, "source_board"), col, cols, ro]);
    const kept = cards.get(o.id);
    if (kept && kept.key === key) return kept.el;
    const shift = (d: number) => client.submit([op.update(o.id, { status: cols[col + d] })]);
    const el = h("div", { class: "card", "data-testid": "card", "data-id": o.id },
      h("div", {}, str(o, "title")),
      h("div", { class: "card-foot" },
        col > 0 && !ro ? h("button", { class: "button small", onclick: () => shift(-1) }, "←") : null,
        str(o, "source_board") ? h("span", { class: "muted" }, "from discovery") : null,
        col < cols.length - 1 && !ro ? h("button", { class: "button small", "data-testid": "card-next", onclick: () => shift(1) }, "→") : null));
    cards.set(o.id, { el, key });
    return el;
  }

  /** The columns view: sections kept while the columns are the same, cards kept and placed in order. */
  function renderColumns(list: Obj[]) {
    const cols = v().columns;
    const shape = JSON.stringify(cols);
    if (columnsShape !== shape || !body.contains(columnsEl)) {
      columnsShape = shape;
      sections = cols.map((c) => h("section", { class: "column", "data-testid": `column-${c}` }, h("h3", {}, c)));
      columnsEl.replaceChildren(...sections);
      body.replaceChildren(columnsEl);
    }
    const seen = new Set<string>();
    const byCol: HTMLElement[][] = cols.map(() => []);
    for (const o of list) {
      const ci = cols.indexOf(str(o, "status") || cols[0]);
      if (ci < 0) continue; // a status that is no column: not shown, as before
      byCol[ci].push(card(o, ci));
      seen.add(o.id);
    }
    for (const id of [...cards.keys()]) if (!seen.has(id)) { cards.get(id)!.el.remove(); cards.delete(id); }
    sections.forEach((sec, ci) => {
      let prev: Element = sec.firstElementChild!; // the heading
      for (const el of byCol[ci]) {
        if (prev.nextElementSibling !== el) prev.after(el);
        prev = el;
      }
      while (prev.nextElementSibling) prev.nextElementSibling.remove();
    });
  }

  /** Puts `want` in order in `body`, never moving `anchor` (the focused row): the others go around it. */
  function arrange(want: HTMLElement[], anchor: HTMLElement | null) {
    for (const c of [...body.children]) if (!want.includes(c as HTMLElement)) c.remove();
    const at = anchor ? want.indexOf(anchor) : -1;
    if (at < 0) {
      let prev: Element | null = null;
      for (const el of want) {
        if ((prev ? prev.nextElementSibling : body.firstElementChild) !== el) {
          if (prev) prev.after(el);
          else body.prepend(el);
        }
        prev = el;
      }
      return;
    }
    let ref: Element = anchor!;
    for (let i = at - 1; i >= 0; i--) {
      if (want[i].nextElementSibling !== ref) body.insertBefore(want[i], ref);
      ref = want[i];
    }
    ref = anchor!;
    for (const el of want.slice(at + 1)) {
      if (ref.nextElementSibling !== el) ref.after(el);
      ref = el;
    }
  }

  function restoreDrafts() {
    if (restored) return;
    restored = true;
    const d = drafts.get("new-item", "title");
    if (d && writable()) {
      addInput.value = d.value;
      addInput.focus();
      return;
    }
    for (const row of rows.values()) {
      const f = row.fields.find((x) => x.session);
      if (f) {
        f.input.focus();
        if (f.input.type !== "number") f.input.setSelectionRange(f.input.value.length, f.input.value.length);
        return;
      }
    }
  }

  let rendering = false;
  let queued: FrameChanges | null = null;
  function render(changes: FrameChanges = EVERYTHING) {
    if (rendering) {
      // A change made while rendering: after it, everything (what it changed is not known here).
      if (!queued) queueMicrotask(() => { queued = null; render(); });
      queued = EVERYTHING;
      return;
    }
    rendering = true;
    try {
      renderNow(changes);
    } finally {
      rendering = false;
    }
  }

  /** A change that only updates rows in place (no row added, removed or reordered): those rows, or null. */
  function inPlace(changes: FrameChanges): Row[] | null {
    if (changes.all || changes.settings || writable() !== lastWritable || mode !== "list" || rows.size === 0) return null;
    const out: Row[] = [];
    for (const id of changes.objects) {
      const o = v().objects.get(id);
      if (o && o.type !== ObjectType.BACKLOG_ITEM) continue;
      const row = rows.get(id);
      if (!o || o.deleted || !row || row.order !== str(o, "order") || row.el.classList.contains("gone")) return null;
      out.push(row);
    }
    // A presence change may name who changed a field being typed in.
    if (changes.presence.size) for (const row of rows.values()) if (row.fields.some((f) => f.session) && !out.includes(row)) out.push(row);
    return out;
  }

  function renderNow(changes: FrameChanges) {
    if (dragging) return; // re-render when the drop is done
    const only = inPlace(changes);
    if (only) {
      for (const row of only) updateRow(row, v().live(row.id)!, row.index);
      return;
    }
    lastWritable = writable();
    addInput.hidden = !writable();
    toolbar.hidden = client.ended;
    readOnlyHint.hidden = writable() || client.stopped;
    editCols.hidden = !client.canUpdateBoard;
    listBtn.classList.toggle("active", mode === "list");
    colBtn.classList.toggle("active", mode === "columns");
    const list = items();
    if (mode === "columns") {
      rows.clear();
      renderColumns(list);
      return;
    }
    cards.clear();
    columnsShape = "";
    const active = document.activeElement as HTMLElement | null;
    const focusedRow = active && body.contains(active) ? active.closest<HTMLElement>(".item") : null;
    const want: HTMLElement[] = [];
    const seen = new Set<string>();
    list.forEach((o, i) => {
      let row = rows.get(o.id);
      if (!row) rows.set(o.id, (row = makeRow(o)));
      updateRow(row, o, i);
      seen.add(o.id);
      want.push(row.el);
    });
    for (const [id, row] of rows) {
      if (seen.has(id)) continue;
      if (row.el === focusedRow) {
        // Deleted by someone else while being typed in: kept until the focus leaves.
        row.el.classList.add("gone");
        const f = row.fields.find((x) => x.session) ?? row.fields[0];
        say(f, "conflict", `Deleted by ${whoIsOn(client.peers, id)}.`);
        want.push(row.el);
      } else rows.delete(id);
    }
    if (list.length === 0 && want.length === 0) {
      empty.textContent = writable() ? "No items yet. Add one above, or promote a note from a discovery board." : "No items yet.";
      want.push(empty);
    }
    arrange(want, focusedRow && want.includes(focusedRow) ? focusedRow : null);
    restoreDrafts();
  }
  return { render };
}
