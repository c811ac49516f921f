// The view's moves (viewport.ts, gestures.ts): zoom around a point keeps that point
// still, fit shows a box whole at 100% at most, a wheel pans and Ctrl+wheel zooms, a
// pinch follows two fingers.
import { describe, expect, it } from "vitest";
import type { CanvasState } from "./interaction";
import { CanvasViewport, MAX_ZOOM, MIN_ZOOM } from "./viewport";
import { Pinch, wheelView } from "./gestures";

const state = (): CanvasState => ({ panX: 0, panY: 0, zoom: 1, selected: [], drag: null });
const size = { width: 1000, height: 800 };
const canvas = { getBoundingClientRect: () => ({ left: 0, top: 0 }) } as HTMLElement;
const world = (st: CanvasState, x: number, y: number) => ({ x: (x - st.panX) / st.zoom, y: (y - st.panY) / st.zoom });

describe("canvas viewport", () => {
  it("zooms around a point, within the limits", () => {
    const st = state();
    const vp = new CanvasViewport(st, size);
    const before = world(st, 300, 200);
    vp.zoomBy(2, 300, 200);
    expect(st.zoom).toBe(2);
    expect(world(st, 300, 200)).toEqual(before);
    vp.zoomTo(100);
    expect(st.zoom).toBe(MAX_ZOOM);
    vp.zoomTo(0.001);
    expect(st.zoom).toBe(MIN_ZOOM);
  });

  it("fits a box with a margin, never above 100%", () => {
    const st = state();
    const vp = new CanvasViewport(st, size);
    vp.fit({ x: 0, y: 0, w: 1300, h: 700 }); // three lanes of a retro
    expect(st.zoom).toBeCloseTo((1000 - 64) / 1300);
    const tl = world(st, 0, 0), br = world(st, 1000, 800);
    expect(tl.x).toBeLessThanOrEqual(0);
    expect(br.x).toBeGreaterThanOrEqual(1300);
    expect(tl.y).toBeLessThanOrEqual(0);
    expect(br.y).toBeGreaterThanOrEqual(700);
    vp.fit({ x: 0, y: 0, w: 100, h: 100 });
    expect(st.zoom).toBe(1);
    expect(vp.centre()).toEqual({ x: 50, y: 50, zoom: 1 });
  });

  it("a wheel pans; Ctrl+wheel zooms around the pointer", () => {
    const st = state();
    wheelView(canvas, st, { deltaX: 30, deltaY: 50, deltaMode: 0, ctrlKey: false, metaKey: false, shiftKey: false, clientX: 0, clientY: 0 } as WheelEvent);
    expect([st.panX, st.panY, st.zoom]).toEqual([-30, -50, 1]);
    const before = world(st, 400, 300);
    wheelView(canvas, st, { deltaX: 0, deltaY: -10, deltaMode: 0, ctrlKey: true, metaKey: false, shiftKey: false, clientX: 400, clientY: 300 } as WheelEvent);
    expect(st.zoom).toBeGreaterThan(1);
    const after = world(st, 400, 300);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
  });

  it("a pinch zooms with the fingers' distance and pans with their midpoint", () => {
    const st = state();
    const p = new Pinch(canvas, st);
    const ev = (id: number, x: number, y: number) => ({ pointerId: id, pointerType: "touch", clientX: x, clientY: y }) as PointerEvent;
    expect(p.down(ev(1, 100, 100), ["n1"])).toBe(false); // one finger: a plain drag
    expect(p.down(ev(2, 300, 100), ["n1", "n2"])).toBe(true);
    expect(p.selectionBefore).toEqual(["n1"]); // as before the first finger came down
    const mid = world(st, 200, 100);
    expect(p.move(ev(2, 500, 100))).toBe(true); // twice as far apart, midpoint moved to 300
    expect(st.zoom).toBeCloseTo(2);
    const now = world(st, 300, 100);
    expect(now.x).toBeCloseTo(mid.x);
    expect(now.y).toBeCloseTo(mid.y);
    expect(p.up(ev(1, 100, 100))).toBe(true);
    expect(p.move(ev(2, 600, 100))).toBe(true); // the last finger: still the pinch, no jump
    expect(st.zoom).toBeCloseTo(2);
    expect(p.up(ev(2, 600, 100))).toBe(true);
    expect(p.active).toBe(false);
  });
});
