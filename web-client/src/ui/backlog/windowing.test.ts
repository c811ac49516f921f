import { describe, expect, it } from "vitest";
import { DEFAULT_ROW_PX, HeightCache, indexAt, plan, prefixSums, visibleRange } from "./windowing";
import type { Segment } from "./windowing";

const rows = (segs: Segment[]) => segs.filter((s) => s.kind === "row").map((s) => (s as { index: number }).index);
const total = (segs: Segment[], prefix: number[]) =>
  segs.reduce((sum, s) => sum + (s.kind === "gap" ? s.height : prefix[s.index + 1] - prefix[s.index]), 0);

describe("prefixSums and indexAt", () => {
  it("gives each row's top and finds the row at a height", () => {
    const p = prefixSums([10, 20, 30]);
    expect(p).toEqual([0, 10, 30, 60]);
    expect(indexAt(p, -5)).toBe(0);
    expect(indexAt(p, 0)).toBe(0);
    expect(indexAt(p, 9.9)).toBe(0);
    expect(indexAt(p, 10)).toBe(1);
    expect(indexAt(p, 59)).toBe(2);
    expect(indexAt(p, 1000)).toBe(2);
    expect(indexAt([0], 10)).toBe(0);
  });
});

describe("visibleRange", () => {
  const p = prefixSums(new Array(1000).fill(40));

  it("draws a small list whole", () => {
    expect(visibleRange(prefixSums(new Array(150).fill(40)), 2000, 400)).toEqual({ start: 0, end: 150 });
    expect(visibleRange([0], 0, 400)).toEqual({ start: 0, end: 0 });
  });

  it("covers the viewport and the overscan on both sides", () => {
    expect(visibleRange(p, 4000, 400, 200)).toEqual({ start: 95, end: 116 }); // 3800..4600
    expect(visibleRange(p, 0, 400, 200)).toEqual({ start: 0, end: 16 });
  });

  it("stops at the end of the list when scrolled to the bottom (or past it)", () => {
    expect(visibleRange(p, 40000 - 400, 400, 200)).toEqual({ start: 985, end: 1000 });
    expect(visibleRange(p, 99999, 400, 0).end).toBe(1000);
  });

  it("draws at least one row with no viewport", () => {
    const r = visibleRange(p, 400, 0, 0);
    expect(r.end - r.start).toBeGreaterThanOrEqual(1);
  });
});

describe("plan", () => {
  const p = prefixSums(new Array(1000).fill(40));

  it("puts spacers of the left-out rows' height around the window, keeping the full height", () => {
    const segs = plan(p, { start: 100, end: 110 });
    expect(segs[0]).toEqual({ kind: "gap", height: 4000 });
    expect(rows(segs)).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    expect(segs[segs.length - 1]).toEqual({ kind: "gap", height: 890 * 40 });
    expect(total(segs, p)).toBe(40000);
  });

  it("has no spacer where no row is left out", () => {
    const segs = plan(p, { start: 0, end: 1000 });
    expect(segs.every((s) => s.kind === "row")).toBe(true);
    expect(segs.length).toBe(1000);
  });

  it("keeps the edited row drawn in its place when it is above the window", () => {
    const segs = plan(p, { start: 500, end: 503 }, [7]);
    expect(segs).toEqual([
      { kind: "gap", height: 7 * 40 }, { kind: "row", index: 7 }, { kind: "gap", height: (500 - 8) * 40 },
      { kind: "row", index: 500 }, { kind: "row", index: 501 }, { kind: "row", index: 502 }, { kind: "gap", height: 497 * 40 },
    ]);
    expect(total(segs, p)).toBe(40000);
  });

  it("keeps the edited row drawn in its place when it is below the window, or the last row", () => {
    expect(rows(plan(p, { start: 0, end: 3 }, [998]))).toEqual([0, 1, 2, 998]);
    const last = plan(p, { start: 0, end: 3 }, [999]);
    expect(last[last.length - 1]).toEqual({ kind: "row", index: 999 });
    expect(total(last, p)).toBe(40000);
  });

  it("draws a pinned row inside the window once, and ignores pins out of the list", () => {
    expect(rows(plan(p, { start: 10, end: 13 }, [11, 11, -1, 1000, NaN]))).toEqual([10, 11, 12]);
  });

  it("keeps the full height with rows of different heights", () => {
    const q = prefixSums([40, 80, 40, 120, 40, 40]);
    const segs = plan(q, { start: 2, end: 3 }, [5]);
    expect(segs).toEqual([{ kind: "gap", height: 120 }, { kind: "row", index: 2 }, { kind: "gap", height: 160 }, { kind: "row", index: 5 }]);
    expect(total(segs, q)).toBe(360);
  });
});

describe("HeightCache", () => {
  it("takes a row never measured as the average of those measured", () => {
    const c = new HeightCache();
    expect(c.get("x")).toBe(DEFAULT_ROW_PX);
    expect(c.set("a", 40)).toBe(true);
    expect(c.set("a", 40.2)).toBe(false); // less than half a pixel: no change
    expect(c.set("b", 60)).toBe(true);
    expect(c.get("a")).toBe(40);
    expect(c.get("x")).toBe(50);
    c.keepOnly(new Set(["b"]));
    expect(c.get("a")).toBe(60);
  });
});
