import { describe, expect, it } from "vitest";
import { contains, intersects, lineBox, lineVisible, visibleRect } from "./culling";

describe("culling", () => {
  it("the visible rectangle is the viewport in world units plus half a screen each way", () => {
    expect(visibleRect({ panX: 40, panY: 40, zoom: 1, width: 1000, height: 600 })).toEqual({ x: -540, y: -340, w: 2000, h: 1200 });
    expect(visibleRect({ panX: 0, panY: 0, zoom: 2, width: 1000, height: 600 }, 0)).toEqual({ x: -0, y: -0, w: 500, h: 300 });
  });
  it("a box is kept when it overlaps the rectangle, even partly", () => {
    const r = { x: 0, y: 0, w: 100, h: 100 };
    expect(intersects({ x: 90, y: 90, w: 50, h: 50 }, r)).toBe(true);
    expect(intersects({ x: 100, y: 0, w: 50, h: 50 }, r)).toBe(false);
    expect(intersects({ x: -60, y: -60, w: 50, h: 50 }, r)).toBe(false);
  });
  it("a pan that stays inside the rendered area needs no new pass", () => {
    const rendered = visibleRect({ panX: 0, panY: 0, zoom: 1, width: 1000, height: 600 });
    expect(contains(rendered, visibleRect({ panX: -300, panY: -200, zoom: 1, width: 1000, height: 600 }, 0))).toBe(true);
    expect(contains(rendered, visibleRect({ panX: -600, panY: 0, zoom: 1, width: 1000, height: 600 }, 0))).toBe(false);
  });
});

describe("connector culling", () => {
  const rect = { x: 0, y: 0, w: 1000, h: 600 };
  const at = (x: number, y: number) => ({ x, y, w: 160, h: 120 });
  it("the line's box runs from the centre of one end to the centre of the other", () => {
    expect(lineBox(at(0, 0), at(200, 300))).toEqual({ x: 80, y: 60, w: 200, h: 300 });
    expect(lineBox(at(200, 300), at(0, 0))).toEqual({ x: 80, y: 60, w: 200, h: 300 });
    expect(lineBox(at(0, 0), at(400, 0)).h).toBe(1); // a horizontal line still has an area
  });
  it("a line whose ends are both far outside the area, on one side, is culled", () => {
    expect(lineVisible(at(3000, 100), at(4000, 100), rect)).toBe(false);
    expect(lineVisible(at(100, -3000), at(900, -2000), rect)).toBe(false);
  });
  it("a line with an end inside, or crossing the area between two far ends, is kept", () => {
    expect(lineVisible(at(100, 100), at(4000, 100), rect)).toBe(true);
    expect(lineVisible(at(-3000, 300), at(4000, 300), rect)).toBe(true);
  });
});
