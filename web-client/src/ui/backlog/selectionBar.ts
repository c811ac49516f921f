// The bar under the backlog's toolbar: with rows selected, how many and what to do
// with them (move to the top or the bottom in one change, delete, clear); after a
// delete made here, what went and an Undo button (the same as Ctrl+Z) for a while:
// only while that delete is the last change made here and is not undone yet.
import { ArrowDownToLine, ArrowUpToLine, Trash2, Undo2, X } from "lucide";
import { h } from "../dom";
import type { Ctx } from "./context";
import { writable } from "./context";
import type { Edge } from "./bulk";
import { iconButton } from "./icons";

export interface SelectionActions {
  count(): number;
  move(edge: Edge): void;
  remove(): void;
  /** Empties the selection; the focus goes to the list. */
  clear(): void;
  /** The focus goes to the list (the button that had it hides). */
  focusList(): void;
}

/** How long the Undo offer stays after a delete (ms). */
const UNDO_MS = 10000;

export class SelectionBar {
  readonly el: HTMLElement;
  private readonly picked: HTMLElement;
  private readonly count = h("span", { class: "selection-count", "data-testid": "selection-count" });
  private readonly notice: HTMLElement;
  private readonly noticeText = h("span", { "data-testid": "deleted-notice" });
  private timer = 0;
  /** The delete the Undo offer is about: its items and its change (client_seq). */
  private offer: { ids: string[]; seq: bigint } | null = null;
  private active = true;

  constructor(private readonly ctx: Ctx, private readonly actions: SelectionActions) {
    const undo = iconButton(Undo2, "Undo delete", { "data-testid": "undo-delete", onclick: () => { this.ctx.client.undo(); this.hideNotice(); actions.focusList(); } }, "Undo");
    this.picked = h("div", { class: "selection-actions", role: "toolbar", "aria-label": "Selected items" },
      this.count,
      iconButton(ArrowUpToLine, "Move selected to top", { "data-testid": "move-top", onclick: () => actions.move("top") }, "To top"),
      iconButton(ArrowDownToLine, "Move selected to bottom", { "data-testid": "move-bottom", onclick: () => actions.move("bottom") }, "To bottom"),
      iconButton(Trash2, "Delete selected", { "data-testid": "delete-selected", onclick: () => { actions.remove(); if (!this.notice.hidden) undo.focus(); } }, "Delete"),
      iconButton(X, "Clear selection", { "data-testid": "clear-selection", onclick: () => actions.clear() }));
    // The bar's buttons hide with what they act on: the focus goes on (to Undo, or to the list).
    this.notice = h("div", { class: "deleted-notice", hidden: true }, this.noticeText, undo);
    this.el = h("div", { class: "selection-bar", "data-testid": "selection-bar" }, this.picked, this.notice);
    this.update();
  }

  /** Shows the selection as it is now (`active`: the list is shown, not the columns). */
  update(active = this.active): void {
    this.active = active;
    const n = writable(this.ctx) && active ? this.actions.count() : 0;
    const o = this.offer;
    if (o && (!writable(this.ctx) || o.ids.some((id) => this.ctx.client.view.live(id)) || this.ctx.client.pending.some((p) => p.clientSeq > o.seq))) {
      this.offer = null; // undone (Ctrl+Z), or another change came after it
      this.notice.hidden = true;
    }
    this.picked.hidden = n === 0;
    const text = n === 1 ? "1 selected" : `${n} selected`;
    if (this.count.textContent !== text) this.count.textContent = text;
    this.el.hidden = this.picked.hidden && this.notice.hidden;
  }

  /** After a delete made here (`ids`, just submitted): what went, with Undo, for a while. */
  deleted(ids: string[], titles: string[]): void {
    const last = this.ctx.client.pending.at(-1);
    if (titles.length === 0 || !last) return;
    this.offer = { ids, seq: last.clientSeq };
    this.noticeText.textContent = titles.length === 1 ? `Deleted “${titles[0].trim() || "untitled item"}”.` : `Deleted ${titles.length} items.`;
    this.notice.hidden = false;
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.hideNotice(), UNDO_MS);
    this.update();
  }

  destroy(): void {
    clearTimeout(this.timer);
    this.el.remove();
  }

  private hideNotice(): void {
    this.offer = null;
    this.notice.hidden = true;
    this.update();
  }
}
