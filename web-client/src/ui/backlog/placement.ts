// Where things go in the backlog's order (pure, no DOM): the order key that puts an
// item at an index (keyboard and drag reorder), and the index a drop lands on from
// the pointer's height over the rows that are drawn (only some are, when windowed).
import { keyBetween } from "../../sync/orderKey";

/**
 * The order key that puts an item at index `to` of `rest` (the list without it),
 * given the order keys of `rest`; null if there is none.
 */
export function keyForIndex(rest: readonly (string | null)[], to: number): string | null {
  to = Math.max(0, Math.min(rest.length, to));
  const a = rest[to - 1] ?? null;
  let b = rest[to] ?? null;
  if (a !== null && a === b) b = null; // a tie: go after it
  return keyBetween(a, b);
}

export interface DrawnRow {
  /** The row's index in the whole list. */
  index: number;
  /** Its top and height on screen. */
  top: number;
  height: number;
}

/**
 * The index in the list without the dragged row (at `from`) where a drop at height
 * `y` goes: before the first drawn row whose middle is below `y`, else after the last
 * drawn row. `drawn` is in list order and may skip rows (windowing).
 */
export function dropIndex(drawn: readonly DrawnRow[], from: number, y: number): number {
  const others = drawn.filter((r) => r.index !== from);
  const restIndex = (i: number) => (i > from ? i - 1 : i);
  for (const r of others) if (y < r.top + r.height / 2) return restIndex(r.index);
  const last = others[others.length - 1];
  return last ? restIndex(last.index) + 1 : 0;
}
