// A connector's line (canvas/scene.ts): from the edge of its source's box to the edge
// of its target's box, along the line between their centres, so that the arrowhead at
// the target end is outside the target and seen.
import type { Box } from "./geometry";

export const ARROW_ID = "tandem-arrowhead";
const SVG = "http://www.w3.org/2000/svg";

/** Where the ray from the centre of `b` towards (tx, ty) leaves `b`. */
export function edgePoint(b: Box, tx: number, ty: number): { x: number; y: number } {
  const cx = b.x + b.w / 2, cy = b.y + b.h / 2;
  const dx = tx - cx, dy = ty - cy;
  if (dx === 0 && dy === 0) return { x: cx, y: cy };
  const s = Math.min(dx ? b.w / 2 / Math.abs(dx) : Infinity, dy ? b.h / 2 / Math.abs(dy) : Infinity);
  return { x: cx + dx * Math.min(1, s), y: cy + dy * Math.min(1, s) };
}

/** The line of a connector from box `a` to box `b`. Overlapping boxes: centre to centre. */
export function connectorPath(a: Box, b: Box): { x1: number; y1: number; x2: number; y2: number } {
  const ac = { x: a.x + a.w / 2, y: a.y + a.h / 2 }, bc = { x: b.x + b.w / 2, y: b.y + b.h / 2 };
  const p = edgePoint(a, bc.x, bc.y), q = edgePoint(b, ac.x, ac.y);
  // The ends cross over when the boxes overlap: keep the centres then.
  if ((q.x - p.x) * (bc.x - ac.x) + (q.y - p.y) * (bc.y - ac.y) <= 0) return { x1: ac.x, y1: ac.y, x2: bc.x, y2: bc.y };
  return { x1: p.x, y1: p.y, x2: q.x, y2: q.y };
}

/** The <defs> with the arrowhead marker the connector lines end with. */
export function arrowDefs(): SVGDefsElement {
  const defs = document.createElementNS(SVG, "defs");
  const marker = document.createElementNS(SVG, "marker");
  for (const [k, v] of Object.entries({ id: ARROW_ID, viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse", markerUnits: "strokeWidth" }))
    marker.setAttribute(k, v);
  marker.setAttribute("data-testid", "arrowhead");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", "M0,0 L10,5 L0,10 z");
  path.setAttribute("class", "arrowhead");
  marker.append(path);
  defs.append(marker);
  return defs;
}
