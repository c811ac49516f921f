// The status-columns view of the backlog: one section per column (the board's
// settings), cards kept while what they show is the same and placed in order.
import type { Obj } from "../../sync/board";
import { op } from "../../sync/ops";
import { ChevronLeft, ChevronRight } from "lucide";
import { h } from "../dom";
import { iconButton } from "./icons";
import type { Ctx } from "./context";
import { str, writable } from "./context";

export class ColumnsView {
  readonly el = h("div", { class: "columns" });
  private sections: HTMLElement[] = [];
  private shape = "";
  private readonly cards = new Map<string, { el: HTMLElement; key: string }>();

  constructor(private readonly ctx: Ctx) {}

  /** Forgets what was drawn (when the list view takes over). */
  clear(): void {
    this.cards.clear();
    this.shape = "";
  }

  render(list: readonly Obj[]): void {
    const cols = this.ctx.client.view.columns;
    const shape = JSON.stringify(cols);
    if (this.shape !== shape) {
      this.shape = shape;
      this.sections = cols.map((c) => h("section", { class: "column", "data-testid": `column-${c}` }, h("h3", {}, c)));
      this.el.replaceChildren(...this.sections);
    }
    const seen = new Set<string>();
    const byCol: HTMLElement[][] = cols.map(() => []);
    for (const o of list) {
      const ci = cols.indexOf(str(o, "status") || cols[0]);
      if (ci < 0) continue; // a status that is no column: not shown
      byCol[ci].push(this.card(o, ci));
      seen.add(o.id);
    }
    for (const [id, c] of this.cards) if (!seen.has(id)) { c.el.remove(); this.cards.delete(id); }
    this.sections.forEach((sec, ci) => {
      let prev: Element = sec.firstElementChild!; // the heading
      for (const el of byCol[ci]) {
        if (prev.nextElementSibling !== el) prev.after(el);
        prev = el;
      }
      while (prev.nextElementSibling) prev.nextElementSibling.remove();
    });
  }

  /** The card of `o` in column `col`, kept while what it shows is the same. */
  private card(o: Obj, col: number): HTMLElement {
    const cols = this.ctx.client.view.columns;
    const ro = !writable(this.ctx);
    const key = JSON.stringify([str(o, "title"), str(o, "source_board"), col, cols, ro]);
    const kept = this.cards.get(o.id);
    if (kept && kept.key === key) return kept.el;
    const shift = (d: number) => this.ctx.client.submit([op.update(o.id, { status: cols[col + d] })]);
    const el = h("div", { class: "card", "data-testid": "card", "data-id": o.id },
      h("div", { class: "card-title" }, str(o, "title")),
      h("div", { class: "card-foot" },
        col > 0 && !ro ? iconButton(ChevronLeft, `Move to ${cols[col - 1]}`, { class: "small", onclick: () => shift(-1) }) : null,
        str(o, "source_board") ? h("span", { class: "muted" }, "from discovery") : null,
        col < cols.length - 1 && !ro ? iconButton(ChevronRight, `Move to ${cols[col + 1]}`, { class: "small", "data-testid": "card-next", onclick: () => shift(1) }) : null));
    if (kept) kept.el.replaceWith(el);
    this.cards.set(o.id, { el, key });
    return el;
  }
}
