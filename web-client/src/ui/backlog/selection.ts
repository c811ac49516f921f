// Which backlog rows are selected (pure, no DOM): a checkbox or Ctrl/Cmd-click
// toggles one, Shift-click selects the range from the last one toggled. Kept as ids,
// so it holds rows that are windowed out of the DOM too.
export class Selection {
  private readonly ids = new Set<string>();
  /** Where a Shift-click range starts: the last row toggled. */
  private anchor: string | null = null;

  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** The selected ids in `order` (the list's order). */
  inOrder(order: readonly string[]): string[] {
    return order.filter((id) => this.ids.has(id));
  }

  toggle(id: string): void {
    if (!this.ids.delete(id)) this.ids.add(id);
    this.anchor = id;
  }

  /** Selects every row from the anchor to `id` in `order` (just `id` without an anchor in it). */
  range(order: readonly string[], id: string): void {
    const to = order.indexOf(id);
    const from = this.anchor === null ? -1 : order.indexOf(this.anchor);
    if (to < 0) return;
    if (from < 0) {
      this.ids.add(id);
      this.anchor = id;
      return;
    }
    for (let i = Math.min(from, to); i <= Math.max(from, to); i++) this.ids.add(order[i]);
  }

  /** Takes `id` out (the anchor stays where it was). */
  drop(id: string): void {
    this.ids.delete(id);
  }

  clear(): void {
    this.ids.clear();
    this.anchor = null;
  }

  /** Forgets the ids not in `live` (deleted items); true if any went. */
  keepOnly(live: { has(id: string): boolean }): boolean {
    let changed = false;
    for (const id of this.ids) if (!live.has(id)) { this.ids.delete(id); changed = true; }
    if (this.anchor !== null && !live.has(this.anchor)) this.anchor = null;
    return changed;
  }
}
