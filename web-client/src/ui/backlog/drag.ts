// Drag reorder of a backlog row by its handle: a ghost follows the pointer, and the
// drop index comes from the pointer's height over the rows that are drawn. Renders
// wait while a drag is on (ctx.dragging) and happen once it is dropped. Each move
// tells where it would land (hooks.preview: others see it live, PRES-6), and the end
// says the drag is over (after the drop's change).
import { h } from "../dom";
import type { Ctx } from "./context";
import type { RowPreview } from "./dragPreview";
import { str, writable } from "./context";

export interface DragRow {
  id: string;
  el: HTMLElement;
  handle: HTMLElement;
}

export interface DragHooks {
  /** A drop of the dragged row at the pointer's height: moves the item there. */
  drop(id: string, clientY: number): void;
  /** The dragged row is over height `clientY` (null: the drag is over). */
  preview(id: string, clientY: number | null): void;
}

/** Wires the handle of `row`. */
export function wireDrag(ctx: Ctx, row: DragRow, hooks: DragHooks): void {
  let ghost: HTMLElement | null = null;
  const end = () => {
    ghost?.remove();
    ghost = null;
    row.el.classList.remove("dragging");
    if (ctx.dragging === row.id) ctx.dragging = null;
  };
  row.handle.addEventListener("pointerdown", (e) => {
    e.preventDefault();
    if (!writable(ctx) || ctx.dragging) return;
    ghost = h("div", { class: "ghost" }, str(ctx.client.view.live(row.id), "title"));
    document.body.append(ghost);
    ghost.style.top = `${e.clientY}px`;
    ctx.dragging = row.id;
    row.handle.setPointerCapture(e.pointerId);
    row.el.classList.add("dragging");
  });
  row.handle.addEventListener("pointermove", (e) => {
    if (!ghost) return;
    ghost.style.top = `${e.clientY}px`;
    hooks.preview(row.id, e.clientY);
  });
  row.handle.addEventListener("pointerup", (e) => {
    if (!ghost) return;
    end();
    hooks.drop(row.id, e.clientY);
    hooks.preview(row.id, null);
    ctx.render();
  });
  row.handle.addEventListener("pointercancel", () => {
    if (!ghost) return;
    end();
    hooks.preview(row.id, null);
    ctx.render();
  });
}

/** Marks a row as drawn where a peer's drag would drop it (`p`), or not; writes only what differs. */
export function markPreview(el: HTMLElement, p: RowPreview | undefined): void {
  const by = p ? `moving: ${p.by}` : "";
  if ((el.dataset.dragBy ?? "") === by && (!p || el.dataset.c === p.color)) return;
  el.classList.toggle("drag-preview", !!p);
  if (p) {
    el.dataset.dragBy = by;
    el.dataset.c = p.color;
    el.style.setProperty("--c", p.color);
  } else {
    delete el.dataset.dragBy;
    delete el.dataset.c;
    el.style.removeProperty("--c");
  }
}
