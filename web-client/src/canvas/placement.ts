// Where a new note goes (docs/ARCHITECTURE.md, "The web client"): inside the lane or
// group under the anchor (the pointer, or the centre of the view), at the first free
// spot that overlaps nothing; on the open canvas, at the free spot nearest the anchor.
// A double-click asks for the spot nearest the pointer, inside its lane.
import { ObjectType } from "../gen/board_pb";
import type { BoardModel } from "../sync/board";
import type { Box } from "./geometry";
import { NOTE_H, NOTE_W, box, isCanvas } from "./geometry";
import { intersects } from "./culling";

/** Space kept between a new note and what is around it, and the grid the search walks. */
export const GAP = 12;
const STEP = 16;
/** The height of a group's title row: notes go under it. */
const TITLE = 44;
/** How far from the anchor the open canvas is searched. */
const REACH = 1200;
/** How far from a lane the anchor may be and still mean that lane. */
const NEARBY = 120;

export interface Spot {
  /** The top-left corner of the new note. */
  x: number;
  y: number;
  /** The group the spot is inside ("" for none). */
  group: string;
}

/**
 * The topmost group whose box holds the point (world coordinates), leaving out `exclude`
 * (groups being dragged along): the group a note dropped or made there belongs to.
 */
export function groupAt(view: BoardModel, x: number, y: number, exclude: readonly string[] = []): string {
  const groups = view.ordered(ObjectType.GROUP).filter((g) => !exclude.includes(g.id));
  for (let i = groups.length - 1; i >= 0; i--) if (inside({ x, y }, box(groups[i]))) return groups[i].id;
  return "";
}

const inside = (p: { x: number; y: number }, b: Box) => p.x >= b.x && p.x <= b.x + b.w && p.y >= b.y && p.y <= b.y + b.h;
const holds = (outer: Box, inner: Box) => inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;

/**
 * A free spot for a note of `w` x `h` near `anchor` (world coordinates). `nearest`: the
 * spot nearest the anchor (a double-click); otherwise, inside a group, the first free
 * spot in reading order (top to bottom, left to right).
 */
export function freeSpot(view: BoardModel, anchor: { x: number; y: number }, nearest = false, w = NOTE_W, h = NOTE_H): Spot {
  const groups = view.ordered(ObjectType.GROUP);
  // The topmost group under the anchor, as a drop picks; else a lane just beside it
  // (the view's centre between two lanes).
  const lane = [...groups].reverse().find((g) => inside(anchor, box(g))) ?? nearby(groups.map(box), anchor, groups);
  const laneBox = lane && box(lane);
  const obstacles: Box[] = [];
  for (const o of view.objects.values()) {
    if (o.deleted || !isCanvas(o) || o.id === lane?.id) continue;
    const b = box(o);
    if (o.type === ObjectType.GROUP && laneBox && holds(b, laneBox)) continue; // a group around the lane
    obstacles.push({ x: b.x - GAP, y: b.y - GAP, w: b.w + 2 * GAP, h: b.h + 2 * GAP });
  }
  if (laneBox) {
    const area = { x: laneBox.x + GAP, y: laneBox.y + TITLE, w: laneBox.w - 2 * GAP, h: laneBox.h - TITLE - GAP };
    const near = obstacles.filter((o) => intersects(o, area));
    const freeIn = (x: number, y: number) => !near.some((o) => intersects(o, { x, y, w, h }));
    const spot = nearest ? nearestIn(area, anchor, w, h, freeIn) : firstIn(area, w, h, freeIn);
    if (spot) return { ...spot, group: lane.id };
  }
  if (laneBox) obstacles.push({ x: laneBox.x - GAP, y: laneBox.y - GAP, w: laneBox.w + 2 * GAP, h: laneBox.h + 2 * GAP }); // full
  const around = { x: anchor.x - REACH, y: anchor.y - REACH, w: 2 * REACH, h: 2 * REACH };
  const near = obstacles.filter((o) => intersects(o, around));
  const spot = nearestIn(around, anchor, w, h, (x, y) => !near.some((o) => intersects(o, { x, y, w, h })));
  return spot ? { ...spot, group: "" } : { x: Math.round(anchor.x - w / 2), y: Math.round(anchor.y - h / 2), group: "" };
}

/** The group whose box is nearest `p`, if within NEARBY. */
function nearby<T>(boxes: Box[], p: { x: number; y: number }, groups: T[]): T | undefined {
  let best = -1, bestD = NEARBY;
  boxes.forEach((b, i) => {
    const dx = Math.max(b.x - p.x, 0, p.x - b.x - b.w), dy = Math.max(b.y - p.y, 0, p.y - b.y - b.h);
    if (Math.hypot(dx, dy) <= bestD) [best, bestD] = [i, Math.hypot(dx, dy)];
  });
  return best >= 0 ? groups[best] : undefined;
}

/** The first free spot of `area` in reading order. */
function firstIn(area: Box, w: number, h: number, free: (x: number, y: number) => boolean) {
  for (let y = area.y; y + h <= area.y + area.h; y += STEP)
    for (let x = area.x; x + w <= area.x + area.w; x += STEP) if (free(x, y)) return { x: Math.round(x), y: Math.round(y) };
  return null;
}

/** The free spot of `area` nearest to a note centred on `anchor`: rings of the grid, outwards. */
function nearestIn(area: Box, anchor: { x: number; y: number }, w: number, h: number, free: (x: number, y: number) => boolean) {
  const clampX = (x: number) => Math.min(area.x + area.w - w, Math.max(area.x, x));
  const clampY = (y: number) => Math.min(area.y + area.h - h, Math.max(area.y, y));
  if (area.w < w || area.h < h) return null;
  const x0 = clampX(anchor.x - w / 2), y0 = clampY(anchor.y - h / 2);
  const rings = Math.ceil(Math.max(area.w, area.h) / STEP);
  for (let r = 0; r <= rings; r++) {
    let best: { x: number; y: number; d: number } | null = null;
    for (let i = -r; i <= r; i++)
      for (const [dx, dy] of [[i, -r], [i, r], [-r, i], [r, i]]) {
        const x = x0 + dx * STEP, y = y0 + dy * STEP;
        if (x < area.x || y < area.y || x + w > area.x + area.w || y + h > area.y + area.h) continue;
        const d = dx * dx + dy * dy;
        if ((!best || d < best.d) && free(x, y)) best = { x, y, d };
      }
    if (best) return { x: Math.round(best.x), y: Math.round(best.y) };
  }
  return null;
}
