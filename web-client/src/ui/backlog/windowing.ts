// Windowing math for the backlog list (pure, no DOM): which rows are near the
// visible scroll range, and the spacers that stand in for the others so the list
// keeps its full height. Rows have measured heights (a row with a hint, or one that
// wraps on a phone, is taller); a row never measured counts as the average so far.
// Pinned rows (the one being typed in) are always in the plan, in their place in
// the order, even far from the visible range.

/** Lists with at most this many rows are not windowed: every row is in the DOM. */
export const WINDOW_MIN = 200;
/** Rows drawn beyond the visible range on each side, in pixels. */
export const OVERSCAN_PX = 600;
/** A row's height before it was ever measured (row plus the gap under it). */
export const DEFAULT_ROW_PX = 46;

/** The measured heights of rows by id. */
export class HeightCache {
  private readonly known = new Map<string, number>();
  private sum = 0;

  /** Records a measured height; true if it differs from what was known. */
  set(id: string, px: number): boolean {
    const old = this.known.get(id);
    if (old !== undefined && Math.abs(old - px) < 0.5) return false;
    this.sum += px - (old ?? 0);
    this.known.set(id, px);
    return true;
  }

  get(id: string): number {
    return this.known.get(id) ?? this.estimate();
  }

  /** What a row never measured is taken to be: the average of those measured. */
  estimate(): number {
    return this.known.size ? this.sum / this.known.size : DEFAULT_ROW_PX;
  }

  /** Forgets the rows that are gone (keeps the cache from growing forever). */
  keepOnly(ids: ReadonlySet<string>): void {
    for (const [id, px] of this.known) if (!ids.has(id)) { this.known.delete(id); this.sum -= px; }
  }
}

/** prefix[i] is the top of row i, prefix[n] the list's full height. */
export function prefixSums(heights: ArrayLike<number>): number[] {
  const out = new Array<number>(heights.length + 1);
  out[0] = 0;
  for (let i = 0; i < heights.length; i++) out[i + 1] = out[i] + heights[i];
  return out;
}

/** The row at height `y`: the last i with prefix[i] <= y, within [0, n - 1] (0 for an empty list). */
export function indexAt(prefix: readonly number[], y: number): number {
  const n = prefix.length - 1;
  if (n <= 0) return 0;
  let lo = 0, hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (prefix[mid] <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface Range {
  /** First row drawn. */
  start: number;
  /** One past the last row drawn. */
  end: number;
}

/**
 * The rows that cross [top - overscan, top + viewport + overscan] (list coordinates).
 * Lists of at most `windowMin` rows are drawn whole.
 */
export function visibleRange(prefix: readonly number[], top: number, viewport: number, overscan = OVERSCAN_PX, windowMin = WINDOW_MIN): Range {
  const n = prefix.length - 1;
  if (n <= windowMin) return { start: 0, end: Math.max(0, n) };
  const from = Math.max(0, top - overscan);
  const to = Math.max(from, top + Math.max(0, viewport) + overscan);
  const start = indexAt(prefix, from);
  let end = indexAt(prefix, to) + 1;
  if (end <= start) end = Math.min(n, start + 1);
  return { start, end: Math.min(n, end) };
}

export type Segment = { kind: "row"; index: number } | { kind: "gap"; height: number };

/**
 * What the list holds, top to bottom: the rows of `range` and the `pinned` rows,
 * each in its place in the order, and a gap (a spacer) for every run of rows left out.
 * Gaps of no height are left out; pinned indices outside the list are ignored.
 */
export function plan(prefix: readonly number[], range: Range, pinned: Iterable<number> = []): Segment[] {
  const n = prefix.length - 1;
  const drawn = new Set<number>();
  for (let i = Math.max(0, range.start); i < Math.min(n, range.end); i++) drawn.add(i);
  for (const i of pinned) if (Number.isInteger(i) && i >= 0 && i < n) drawn.add(i);
  const order = [...drawn].sort((a, b) => a - b);
  const out: Segment[] = [];
  let next = 0; // the first row not yet accounted for
  for (const i of order) {
    if (i > next) out.push({ kind: "gap", height: prefix[i] - prefix[next] });
    out.push({ kind: "row", index: i });
    next = i + 1;
  }
  if (n > next) out.push({ kind: "gap", height: prefix[n] - prefix[next] });
  return out.filter((s) => s.kind === "row" || s.height > 0);
}

/** Whether two ranges are the same rows. */
export const sameRange = (a: Range | null, b: Range) => a !== null && a.start === b.start && a.end === b.end;
