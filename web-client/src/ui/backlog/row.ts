// One row of the backlog list: built once per item while it is drawn, then kept and
// brought up to date in place (only what differs is written), never rebuilt under
// the cursor. Alt+Up/Down moves the row; the list never moves the focused row's
// element (the others are placed around it), so it keeps the focus.
import type { Obj } from "../../sync/board";
import { op } from "../../sync/ops";
import { h } from "../dom";
import type { Ctx } from "./context";
import { moveTo, str, writable } from "./context";
import type { DragHooks } from "./drag";
import { wireDrag } from "./drag";
import type { FieldCtl } from "./fields";
import { makeFields, restoreDraft, syncField } from "./fields";

export interface Row {
  id: string;
  el: HTMLElement;
  rank: HTMLElement;
  status: HTMLSelectElement;
  /** The columns the status select was filled with (JSON). */
  statusShape: string;
  fields: FieldCtl[];
  source: HTMLElement;
  handle: HTMLElement;
  /** Its index in the list when last drawn: the rank shown, the base of Alt+Up/Down. */
  index: number;
}

/** The drag of the row (drop, live preview: drag.ts), and: */
export interface RowHooks extends DragHooks {
  /** After Alt+Up/Down moved the row. */
  moved(row: Row): void;
}

export function makeRow(ctx: Ctx, o: Obj, hooks: RowHooks): Row {
  const ro = !writable(ctx);
  const el = h("div", { class: "item", tabindex: 0, "data-id": o.id, "data-testid": "item" });
  const row: Row = {
    id: o.id, el, index: -1, statusShape: "",
    rank: h("span", { class: "rank" }),
    status: h("select", { class: "input item-status", "data-testid": "item-status", disabled: ro, "aria-label": "Status" }),
    fields: makeFields(ctx, o.id, ro),
    source: h("span"),
    handle: h("span", { class: "handle", "data-testid": "drag-handle", title: "Drag to reorder (or Alt+Up/Down)", hidden: ro }, "⋮⋮"),
  };
  row.status.addEventListener("change", () => ctx.client.submit([op.update(row.id, { status: row.status.value })]));
  wireDrag(ctx, row, hooks);
  const inputs = row.fields.map((f) => f.input);
  el.append(row.handle, row.rank, inputs[0], row.status, ...inputs.slice(1), row.source, ...row.fields.map((f) => f.hint));
  el.addEventListener("keydown", (e) => {
    if (!e.altKey || (e.key !== "ArrowUp" && e.key !== "ArrowDown") || !writable(ctx)) return;
    e.preventDefault();
    moveTo(ctx, row.id, row.index + (e.key === "ArrowUp" ? -1 : 1));
    hooks.moved(row);
  });
  el.addEventListener("focusin", () => ctx.client.setPresence({ selection: [row.id] }));
  for (const f of row.fields) restoreDraft(ctx, o.id, f, o);
  return row;
}

/** The rank shown, when the row's index changed. */
export function placeRow(row: Row, index: number): void {
  if (row.index === index) return;
  row.index = index;
  row.rank.textContent = String(index + 1);
}

/** Brings a row up to date without touching what is being typed; writes only what differs. */
export function updateRow(ctx: Ctx, row: Row, o: Obj, index: number): void {
  placeRow(row, index);
  const ro = !writable(ctx);
  row.el.classList.remove("gone");
  for (const f of row.fields) syncField(ctx, row.id, f, o, ro);
  const cols = ctx.client.view.columns;
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

/** Whether the row is being typed in (a field has a session) or holds the focus. */
export const rowBusy = (row: Row): boolean =>
  row.fields.some((f) => f.session) || row.el.contains(document.activeElement);
