// Drag reorder of a backlog row by its handle: a ghost follows the pointer, and the
// drop index comes from the pointer's height over the rows that are drawn. Renders
// wait while a drag is on (ctx.dragging) and happen once it is dropped.
import { h } from "../dom";
import type { Ctx } from "./context";
import { str, writable } from "./context";

export interface DragRow {
  id: string;
  el: HTMLElement;
  handle: HTMLElement;
}

/** Wires the handle of `row`; `drop(id, clientY)` moves the item where it was let go. */
export function wireDrag(ctx: Ctx, row: DragRow, drop: (id: string, clientY: number) => void): void {
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
    if (ghost) ghost.style.top = `${e.clientY}px`;
  });
  row.handle.addEventListener("pointerup", (e) => {
    if (!ghost) return;
    end();
    drop(row.id, e.clientY);
    ctx.render();
  });
  row.handle.addEventListener("pointercancel", () => {
    if (!ghost) return;
    end();
    ctx.render();
  });
}
