// The backlog list, windowed and incremental. A frame that only changes fields of
// items updates just their rows (if drawn); one that adds, removes or reorders items
// places the drawn rows again and updates only the rows whose items changed (the
// others get their rank number). With more than WINDOW_MIN items only the rows near
// the visible scroll range are in the DOM, with spacers standing in for the rest; the
// row being typed in (or holding the focus) stays drawn wherever it is scrolled to,
// and its element is never moved: the others are placed around it.
//
// Selection (selection.ts): a checkbox per row, Shift for a range, Ctrl/Cmd to toggle;
// the selection moves to the top or the bottom in one change (bulk.ts) or is deleted.
// A delete (a row's button, the Delete key, the selection) moves the focus to the
// next row first, so the deleted row is not kept as the one being typed in.
//
// Live drags (PRES-6): while this page drags a row, each move sends the order key it
// would get at the drop point; the rows others drag are drawn at theirs, marked (see
// dragPreview.ts), the confirmed order untouched; never the row being typed in here.
import { ObjectType } from "../../gen/board_pb";
import { op } from "../../sync/ops";
import type { Obj } from "../../sync/board";
import type { FrameChanges } from "../../sync/frameChanges";
import { h } from "../dom";
import { whoIsOn } from "../drafts";
import { arrange } from "./arrange";
import type { Ctx } from "./context";
import { items, moveTo, str, writable } from "./context";
import type { Edge } from "./bulk";
import { edgeMoves } from "./bulk";
import { markPreview } from "./drag";
import type { Keyed, RowPreview } from "./dragPreview";
import { previewOrder, previewSignature, rowPreviews } from "./dragPreview";
import { say, unsent } from "./fields";
import { dropIndex, keyForIndex } from "./placement";
import type { Row } from "./row";
import { makeRow, markSelected, placeRow, rowBusy, updateRow } from "./row";
import { focusRow } from "./rowKeys";
import { Selection } from "./selection";
import type { Range, Segment } from "./windowing";
import { HeightCache, WINDOW_MIN, plan, prefixSums, sameRange, visibleRange } from "./windowing";

/** The margin under each row (style.css: .backlog-list > .item): part of its slot. */
const ROW_GAP_PX = 6;
const NOTHING: FrameChanges = { all: false, objects: new Set(), settings: false, presence: new Set(), status: false };

export class ListView {
  readonly el = h("div", { class: "backlog-list", "data-testid": "backlog-list", role: "list", "aria-label": "Backlog items", tabindex: -1 });
  readonly selection = new Selection();
  /** The selection changed (the selection bar shows it). */
  onSelection: () => void = () => {};
  /** Items were deleted here (`titles`): the bar offers to undo. */
  onDeleted: (ids: string[], titles: string[]) => void = () => {};
  /** The rows drawn, by item id. */
  private readonly rows = new Map<string, Row>();
  private readonly heights = new HeightCache();
  /** The order key of every item at the last full pass: a change of it needs one. */
  private orders = new Map<string, string>();
  private prefix: number[] = [0];
  private range: Range | null = null;
  private readonly spacers: HTMLElement[] = [];
  private readonly empty = h("p", { class: "muted" });
  private lastWritable: boolean | null = null;
  /** The order drawn at the last pass, with the keys drawn (a peer's drag: its preview key). */
  private shown: Keyed[] = [];
  private previews = new Map<string, RowPreview>();
  private previewSig = "";
  /** The order key last sent for this page's drag. */
  private sentKey: string | null = null;
  private readonly hooks = {
    drop: (id: string, y: number) => this.drop(id, y),
    preview: (id: string, y: number | null) => this.sendPreview(id, y),
    step: (row: Row, by: number) => this.step(row, by),
    remove: (row: Row) => this.remove([row.id]),
    select: (row: Row, how: "toggle" | "range") => this.select(row.id, how),
    unselect: () => { if (this.selection.size) { this.selection.clear(); this.selected(); } },
  };

  /** `pinOnce`: items drawn at the first pass wherever they are (those with a draft to give back). */
  constructor(private readonly ctx: Ctx, private readonly scroller: HTMLElement, private pinOnce: ReadonlySet<string>) {}

  /** Draws what `changes` changed. */
  render(changes: FrameChanges): void {
    // A peer's drag began, moved or ended: the rows are placed again.
    const only = previewSignature(this.currentPreviews()) === this.previewSig ? this.inPlace(changes) : null;
    if (only) for (const row of only) updateRow(this.ctx, row, this.ctx.client.view.live(row.id)!, row.index);
    else this.pass(changes, 0);
  }

  /** A scroll or a resize: draws the rows now near the visible range, if they are others. */
  scrolled(): void {
    if (this.prefix.length - 1 <= WINDOW_MIN || sameRange(this.range, this.visible(this.prefix))) return;
    this.pass(NOTHING, 0);
  }

  /** Forgets every row (the columns view takes over). */
  clear(): void {
    this.rows.clear();
    this.orders.clear();
    this.range = null;
    this.el.replaceChildren();
  }

  /** The drawn rows, for the unload guard and the restoring of drafts. */
  drawn(): Iterable<Row> {
    return this.rows.values();
  }

  get unsent(): boolean {
    return [...this.rows.values()].some((r) => unsent(r.fields));
  }

  /** Moves the selected items to the top or the bottom, in one change keeping their order. */
  moveSelection(edge: Edge): void {
    const moves = edgeMoves(items(this.ctx).map((o) => ({ id: o.id, key: str(o, "order") })), this.selection, edge);
    if (moves?.length && writable(this.ctx)) this.ctx.client.submit(moves.map((m) => op.move(m.id, m.key)));
  }

  /** Deletes items (one change; Ctrl+Z brings them back), the focus going to the next row first. */
  remove(ids: readonly string[]): void {
    if (!writable(this.ctx) || ids.length === 0) return;
    const gone = new Set(ids);
    const focused = this.focusedRow();
    if (focused && gone.has(focused.id)) {
      const drawn = [...this.el.querySelectorAll<HTMLElement>(":scope > .item:not(.gone)")];
      const at = drawn.indexOf(focused.el);
      const stays = (el: HTMLElement) => !gone.has(el.dataset.id ?? "");
      if (!focusRow(drawn.slice(at + 1).find(stays) ?? drawn.slice(0, Math.max(0, at)).reverse().find(stays) ?? null)) this.el.focus();
    }
    const v = this.ctx.client.view;
    const live = ids.filter((id) => v.live(id));
    const titles = live.map((id) => str(v.live(id), "title"));
    this.ctx.client.submit(live.map((id) => op.delete(id)));
    for (const id of ids) this.selection.drop(id);
    this.selected();
    this.onDeleted(live, titles);
  }

  /** Empties the selection. */
  unselectAll(): void {
    this.hooks.unselect();
  }

  /** Alt+Up/Down: one place per press from where the item is now (not where it was drawn). */
  private step(row: Row, by: number): void {
    const ids = items(this.ctx).map((o) => o.id);
    const at = ids.indexOf(row.id);
    if (at < 0 || at + by < 0 || at + by >= ids.length) return;
    moveTo(this.ctx, row.id, at + by);
    row.el.scrollIntoView({ block: "nearest" });
  }

  private select(id: string, how: "toggle" | "range"): void {
    if (how === "toggle") this.selection.toggle(id);
    else this.selection.range(items(this.ctx).map((o) => o.id), id);
    this.selected();
  }

  private selected(): void {
    this.markSelection();
    this.onSelection();
  }

  private markSelection(): void {
    for (const row of this.rows.values()) markSelected(row, this.selection.has(row.id));
  }

  /** A change that only updates rows in place (no item added, removed or reordered): the drawn rows to update, or null. */
  private inPlace(changes: FrameChanges): Row[] | null {
    if (changes.all || changes.settings || writable(this.ctx) !== this.lastWritable || this.orders.size === 0) return null;
    const out: Row[] = [];
    for (const id of changes.objects) {
      const o = this.ctx.client.view.objects.get(id);
      if (o && o.type !== ObjectType.BACKLOG_ITEM) continue;
      if (!o || o.deleted || this.orders.get(id) !== str(o, "order")) return null;
      const row = this.rows.get(id);
      if (row?.el.classList.contains("gone")) return null;
      if (row) out.push(row);
    }
    // A presence change may name who changed a field being typed in.
    if (changes.presence.size) for (const row of this.rows.values()) if (row.fields.some((f) => f.session) && !out.includes(row)) out.push(row);
    return out;
  }

  /** Places the rows near the visible range (and the pinned ones), with spacers between. */
  private pass(changes: FrameChanges, depth: number): void {
    const confirmed = items(this.ctx);
    const list = this.drawnOrder(confirmed);
    const full = changes.all || changes.settings || writable(this.ctx) !== this.lastWritable;
    this.lastWritable = writable(this.ctx);
    this.orders = new Map(confirmed.map((o) => [o.id, str(o, "order")]));
    const index = new Map(list.map((o, i) => [o.id, i]));
    const focused = this.focusedRow();
    const pinned = [...this.rows.values()].filter(rowBusy).map((r) => r.id).concat([...this.pinOnce]);
    this.pinOnce = new Set();
    this.prefix = prefixSums(list.map((o) => this.heights.get(o.id)));
    this.range = this.visible(this.prefix);
    const segments = plan(this.prefix, this.range, pinned.map((id) => index.get(id) ?? -1));
    const want = this.place(list, segments, (o) => full || changes.objects.has(o.id));
    for (const [id, row] of this.rows) {
      if (want.includes(row.el)) continue;
      if (row === focused && !index.has(id)) want.push(this.gone(row)); // deleted while typed in: kept until the focus leaves
      else this.rows.delete(id);
    }
    if (list.length === 0 && want.length === 0) {
      this.empty.textContent = writable(this.ctx) ? "No items yet. Add one above, or promote a note from a discovery board." : "No items yet.";
      want.push(this.empty);
    }
    arrange(this.el, want, focused && want.includes(focused.el) ? focused.el : null);
    for (const row of this.rows.values()) markPreview(row.el, this.previews.get(row.id));
    if (this.selection.keepOnly(this.orders)) this.onSelection();
    this.markSelection();
    if (list.length > WINDOW_MIN && this.measure() && depth === 0) this.pass(NOTHING, 1); // spacers by the measured heights
    else if (list.length <= WINDOW_MIN) this.heights.keepOnly(new Set());
  }

  /** The elements of `segments`: rows made or updated (`stale`: its item changed), spacers sized. */
  private place(list: readonly Obj[], segments: readonly Segment[], stale: (o: Obj) => boolean): HTMLElement[] {
    const want: HTMLElement[] = [];
    let spacer = 0;
    for (const s of segments) {
      if (s.kind === "gap") {
        want.push(this.spacer(spacer++, s.height));
        continue;
      }
      const o = list[s.index];
      let row = this.rows.get(o.id);
      if (!row) {
        this.rows.set(o.id, (row = makeRow(this.ctx, o, this.hooks)));
        updateRow(this.ctx, row, o, s.index);
      } else if (stale(o) || row.el.classList.contains("gone")) updateRow(this.ctx, row, o, s.index);
      else placeRow(row, s.index);
      want.push(row.el);
    }
    return want;
  }

  /** The rows to draw for the scroll position: list coordinates of the scroller's viewport. */
  private visible(prefix: number[]): Range {
    const top = this.scroller.scrollTop - this.el.offsetTop;
    return visibleRange(prefix, top, this.scroller.clientHeight);
  }

  /** Records the heights of the drawn rows; true if one differs from what was assumed. */
  private measure(): boolean {
    let changed = false;
    for (const row of this.rows.values()) {
      const px = row.el.getBoundingClientRect().height;
      if (px > 0 && this.heights.set(row.id, px + ROW_GAP_PX)) changed = true;
    }
    this.heights.keepOnly(new Set(this.orders.keys()));
    return changed;
  }

  private spacer(i: number, height: number): HTMLElement {
    const el = (this.spacers[i] ??= h("div", { class: "backlog-spacer", "aria-hidden": "true", "data-testid": "backlog-spacer" }));
    const px = `${height}px`;
    if (el.style.height !== px) el.style.height = px;
    return el;
  }

  private focusedRow(): Row | null {
    const active = document.activeElement as HTMLElement | null;
    const el = active && this.el.contains(active) ? active.closest<HTMLElement>(".item") : null;
    return el ? this.rows.get(el.dataset.id ?? "") ?? null : null;
  }

  private gone(row: Row): HTMLElement {
    row.el.classList.add("gone");
    const f = row.fields.find((x) => x.session) ?? row.fields[0];
    say(f, "conflict", `Deleted by ${whoIsOn(this.ctx.client.peers, row.id)}.`);
    return row.el;
  }

  /** The peers' drags of items, by item id. */
  private currentPreviews(): Map<string, RowPreview> {
    const v = this.ctx.client.view;
    return rowPreviews(this.ctx.client.peers, (id) => v.live(id)?.type === ObjectType.BACKLOG_ITEM);
  }

  /** The items in the order drawn: the peers' drags at their preview keys, but for a row being typed in. */
  private drawnOrder(confirmed: Obj[]): Obj[] {
    this.previews = this.currentPreviews();
    this.previewSig = previewSignature(this.previews);
    const held = (id: string) => { const r = this.rows.get(id); return !!r && rowBusy(r); };
    this.shown = previewOrder(confirmed.map((o) => ({ id: o.id, key: str(o, "order") })), this.previews, held);
    if (!this.previews.size) return confirmed;
    const byId = new Map(confirmed.map((o) => [o.id, o]));
    return this.shown.map((k) => byId.get(k.id)!);
  }

  /** The order key row `id` gets when dropped at height `y`, among the rows as drawn. */
  private keyAt(id: string, y: number): string | null {
    const from = this.rows.get(id)?.index ?? -1;
    const drawn = [...this.rows.values()].filter((r) => !r.el.classList.contains("gone") && r.el.isConnected)
      .map((r) => ({ index: r.index, rect: r.el.getBoundingClientRect() }))
      .sort((a, b) => a.index - b.index)
      .map(({ index, rect }) => ({ index, top: rect.top, height: rect.height }));
    const rest = this.shown.filter((k) => k.id !== id).map((k) => k.key || null); // as drawn when the drag began
    return keyForIndex(rest, dropIndex(drawn, from, y));
  }

  /** A drop of row `id` at height `y`. */
  private drop(id: string, y: number): void {
    const k = this.keyAt(id, y);
    if (k && writable(this.ctx)) this.ctx.client.submit([op.move(id, k)]);
  }

  /** This page's drag of row `id` is over height `y` (null: over): others see where it would land. */
  private sendPreview(id: string, y: number | null): void {
    const k = y === null ? null : this.keyAt(id, y);
    if (k === this.sentKey) return;
    this.sentKey = k;
    this.ctx.client.setPresence(k ? { selection: [id], drag: { objectId: id, orderKey: k } } : { selection: [id] });
  }
}
