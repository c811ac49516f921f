// A connector's line (connectorPath.ts) runs from edge to edge, so the arrowhead at the
// target end sits outside the target; overlapping boxes fall back to centre to centre.
import { describe, expect, it } from "vitest";
import { connectorPath, edgePoint } from "./connectorPath";

describe("connector path", () => {
  it("ends on the borders of both boxes, along the line between their centres", () => {
    const a = { x: 0, y: 0, w: 100, h: 100 }, b = { x: 300, y: 0, w: 100, h: 100 };
    expect(connectorPath(a, b)).toEqual({ x1: 100, y1: 50, x2: 300, y2: 50 });
    const c = { x: 0, y: 300, w: 100, h: 100 };
    expect(connectorPath(a, c)).toEqual({ x1: 50, y1: 100, x2: 50, y2: 300 });
    expect(edgePoint({ x: 0, y: 0, w: 200, h: 100 }, 300, 250)).toEqual({ x: 150, y: 100 }); // leaves by the bottom
  });

  it("overlapping boxes: centre to centre", () => {
    const a = { x: 0, y: 0, w: 100, h: 100 }, b = { x: 50, y: 10, w: 100, h: 100 };
    expect(connectorPath(a, b)).toEqual({ x1: 50, y1: 50, x2: 100, y2: 60 });
  });
});
