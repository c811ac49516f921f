// One row of the backlog list: built once per item while it is drawn, then kept and
// brought up to date in place (only what differs is written), never rebuilt under
// the cursor. The list never moves the focused row's element (the others are placed
// around it), so a row keeps the focus through Alt+Up/Down. Keys on a focused row
// (rowKeys.ts): Alt+Up/Down move it, Delete deletes it, Space selects it, Up/Down go
// to the row above or below, Enter edits the title.
import type { Obj } from "../../sync/board";
import { op } from "../../sync/ops";
import { GripVertical, Trash2 } from "lucide";
import { h } from "../dom";
import type { Ctx } from "./context";
import { str, writable } from "./context";
import type { DragHooks } from "./drag";
import { wireDrag } from "./drag";
import type { FieldCtl } from "./fields";
import { makeFields, restoreDraft, syncField } from "./fields";
import { icon } from "../icon";
import { iconButton } from "./icons";
import { wireRowKeys } from "./rowKeys";

export interface Row {
  id: string;
  el: HTMLElement;
  rank: HTMLElement;
  select: HTMLInputElement;
  status: HTMLSelectElement;
  /** The columns the status select was filled with (JSON). */
  statusShape: string;
  fields: FieldCtl[];
  source: HTMLElement;
  handle: HTMLElement;
  remove: HTMLButtonElement;
  /** The title the labels were last written with. */
  named: string;
  /** Its index in the list when last drawn: the rank shown. */
  index: number;
}

/** The drag of the row (drop, live preview: drag.ts), and: */
export interface RowHooks extends DragHooks {
  /** Alt+Up/Down: moves the row by `by` places (one per press, from where it is now). */
  step(row: Row, by: number): void;
  /** The delete button or key. */
  remove(row: Row): void;
  /** A click on the checkbox or a modified click on the row; Space on the row (`range`: with Shift). */
  select(row: Row, how: "toggle" | "range"): void;
  /** Escape on the row: the selection is emptied. */
  unselect(): void;
}

export function makeRow(ctx: Ctx, o: Obj, hooks: RowHooks): Row {
  const ro = !writable(ctx);
  const el = h("div", { class: "item", tabindex: 0, role: "listitem", "data-id": o.id, "data-testid": "item",
    "aria-keyshortcuts": ro ? "ArrowUp ArrowDown" : "Alt+ArrowUp Alt+ArrowDown Delete Space Enter" });
  const row: Row = {
    id: o.id, el, index: -1, statusShape: "", named: "\u0000",
    rank: h("span", { class: "rank" }),
    select: h("input", { type: "checkbox", class: "item-select", "data-testid": "item-select" }),
    status: h("select", { class: "input item-status", "data-testid": "item-status", disabled: ro }),
    fields: makeFields(ctx, o.id, ro),
    source: h("span"),
    handle: h("span", { class: "handle", "data-testid": "drag-handle", title: "Drag to reorder (or Alt+Up/Down)", "aria-hidden": "true", hidden: ro }, icon(GripVertical, 16)),
    remove: iconButton(Trash2, "Delete", { class: "quiet item-delete", "data-testid": "item-delete", hidden: ro }),
  };
  row.status.addEventListener("change", () => ctx.client.submit([op.update(row.id, { status: row.status.value })]));
  row.select.addEventListener("click", (e) => {
    e.stopPropagation();
    hooks.select(row, e.shiftKey ? "range" : "toggle");
  });
  row.remove.addEventListener("click", () => hooks.remove(row));
  wireDrag(ctx, row, hooks);
  wireRowKeys(ctx, row, hooks);
  const inputs = row.fields.map((f) => f.input);
  const meta = h("div", { class: "item-meta" }, row.status, ...inputs.slice(1), row.source);
  el.append(row.select, row.handle, row.rank, inputs[0], meta, row.remove, ...row.fields.map((f) => f.hint));
  el.addEventListener("focusin", () => ctx.client.setPresence({ selection: [row.id] }));
  for (const f of row.fields) restoreDraft(ctx, o.id, f, o);
  return row;
}

/** The rank shown, when the row's index changed. */
export function placeRow(row: Row, index: number): void {
  if (row.index === index) return;
  row.index = index;
  row.rank.textContent = String(index + 1);
  row.el.setAttribute("aria-posinset", String(index + 1));
}

/** The accessible names that carry the item's title (written when it changes). */
function name(row: Row, title: string): void {
  if (row.named === title) return;
  row.named = title;
  const t = title.trim() ? `“${title.trim()}”` : "untitled item";
  row.el.setAttribute("aria-label", title.trim() || "Untitled item");
  row.select.setAttribute("aria-label", `Select ${t}`);
  row.status.setAttribute("aria-label", `Status of ${t}`);
  for (const f of row.fields) f.input.setAttribute("aria-label", `${f.label} of ${t}`);
  row.remove.setAttribute("aria-label", `Delete ${t}`);
  row.remove.title = `Delete ${t} (Ctrl+Z undoes)`;
}

/** Brings a row up to date without touching what is being typed; writes only what differs. */
export function updateRow(ctx: Ctx, row: Row, o: Obj, index: number): void {
  placeRow(row, index);
  const ro = !writable(ctx);
  row.el.classList.remove("gone");
  for (const f of row.fields) syncField(ctx, row.id, f, o, ro);
  name(row, str(o, "title"));
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
  if (row.remove.hidden !== ro) row.remove.hidden = ro;
  if (row.select.hidden !== ro) row.select.hidden = ro;
}

/** Shows whether the row is selected; writes only what differs. */
export function markSelected(row: Row, on: boolean): void {
  if (row.select.checked !== on) row.select.checked = on;
  if (row.el.classList.contains("selected") !== on) row.el.classList.toggle("selected", on);
}

/** Whether the row is being typed in (a field has a session) or holds the focus. */
export const rowBusy = (row: Row): boolean =>
  row.fields.some((f) => f.session) || row.el.contains(document.activeElement);
