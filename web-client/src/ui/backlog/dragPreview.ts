// Others' drags of backlog rows (PRES-6), as the list shows them (pure, no DOM): each
// previewed item at the order key its dragger would drop it at, unless it is held
// (the row this page is typing in, or that holds the focus: typing is sacred, see
// arrange.ts). The confirmed order is never changed: only what is drawn.
import { compareOrder } from "../../sync/orderKey";
import type { Peer } from "../../sync/presence";
import { dragPreviews } from "../../sync/presence";
import { userColor } from "../dom";

export interface RowPreview {
  /** The order key it would be dropped at. */
  key: string;
  /** Who drags it, and their colour. */
  by: string;
  color: string;
}

/** The peers' drags of the items `isItem` accepts (an ordered drag: an order key), by item id. */
export function rowPreviews(peers: ReadonlyMap<string, Peer>, isItem: (id: string) => boolean): Map<string, RowPreview> {
  const out = new Map<string, RowPreview>();
  for (const [id, p] of dragPreviews(peers)) {
    if (!p.drag.orderKey || !isItem(id)) continue;
    out.set(id, { key: p.drag.orderKey, by: p.member.userName, color: p.member.color || userColor(p.member.userName) });
  }
  return out;
}

/** What the previews look like, to tell whether the rows must be placed again. */
export function previewSignature(previews: ReadonlyMap<string, RowPreview>): string {
  return [...previews].map(([id, p]) => `${id}\u0000${p.key}\u0000${p.by}\u0000${p.color}`).sort().join("\u0001");
}

export interface Keyed {
  id: string;
  /** The order key ("" sorts first). */
  key: string;
}

/**
 * `list` (sorted by key, then id) as drawn: each previewed item that is not `held` is
 * taken out and put back at its preview key; the others keep their places. Without
 * previews, `list` itself.
 */
export function previewOrder(list: readonly Keyed[], previews: ReadonlyMap<string, RowPreview>, held: (id: string) => boolean): Keyed[] {
  if (!previews.size) return list as Keyed[];
  const moved: Keyed[] = [];
  const out: Keyed[] = [];
  for (const k of list) {
    const p = previews.get(k.id);
    if (p && !held(k.id)) moved.push({ id: k.id, key: p.key });
    else out.push(k);
  }
  for (const m of moved) {
    let lo = 0, hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareOrder(out[mid].key, out[mid].id, m.key, m.id) < 0) lo = mid + 1;
      else hi = mid;
    }
    out.splice(lo, 0, m);
  }
  return out;
}
