// Culling: which objects of the canvas are near enough to the viewport to be in the
// DOM. The viewport is the canvas's size seen through the pan and zoom, plus a margin
// (half a screen each way) so a short pan never shows an empty spot.
import type { Box } from "./geometry";

export interface Viewport {
  panX: number;
  panY: number;
  zoom: number;
  width: number;
  height: number;
}

/** The world rectangle to keep in the DOM for `vp`. */
export function visibleRect(vp: Viewport, margin = 0.5): Box {
  const w = vp.width / vp.zoom, hgt = vp.height / vp.zoom;
  return { x: -vp.panX / vp.zoom - w * margin, y: -vp.panY / vp.zoom - hgt * margin, w: w * (1 + 2 * margin), h: hgt * (1 + 2 * margin) };
}

export function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && a.x + a.w > b.x && a.y < b.y + b.h && a.y + a.h > b.y;
}

/** True when `inner` is inside `outer` (no need to cull again for a pan that stays in it). */
export function contains(outer: Box, inner: Box): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;
}

/** The bounding box of a connector's line: from the centre of one end's box to the other's. */
export function lineBox(a: Box, b: Box): Box {
  const ax = a.x + a.w / 2, ay = a.y + a.h / 2, bx = b.x + b.w / 2, by = b.y + b.h / 2;
  const x = Math.min(ax, bx), y = Math.min(ay, by);
  // A width or height of 0 (a horizontal or vertical line) still intersects: at least 1.
  return { x, y, w: Math.max(1, Math.abs(ax - bx)), h: Math.max(1, Math.abs(ay - by)) };
}

/**
 * Whether the line between boxes `a` and `b` is kept in the DOM for `rect`: when its
 * bounding box meets the rectangle. Culled lines have both ends outside it (the
 * converse does not hold: a line crossing the view between two far ends is kept).
 */
export function lineVisible(a: Box, b: Box, rect: Box): boolean {
  return intersects(lineBox(a, b), rect);
}
