// What the canvas's keys do to the board, DOM-free (keyboard.ts wires them to keys):
// the ops of an arrow-key nudge, everything to select, and where a paste lands.
import type { Op } from "../gen/board_pb";
import type { BoardModel } from "../sync/board";
import { op } from "../sync/ops";
import { withMembers } from "./clipboard";
import type { Box } from "./geometry";
import { CANVAS_TYPES, box } from "./geometry";

/** How far a duplicate (and each repeated paste) lands from the one before. */
export const PASTE_STEP = 24;

/** Moves the selection (and its groups' members) by (dx, dy); what `canChange` refuses (FAC-7) stays. */
export function nudgeOps(v: BoardModel, selected: readonly string[], canChange: (id: string) => boolean, dx: number, dy: number): Op[] {
  return withMembers(v, selected)
    .map((id) => v.live(id)!)
    .filter((o) => CANVAS_TYPES.includes(o.type) && canChange(o.id))
    .map((o) => op.update(o.id, { x: box(o).x + dx, y: box(o).y + dy }));
}

/** Every live canvas object (notes, groups, experiments). */
export function allCanvasIds(v: BoardModel): string[] {
  return [...v.objects.values()].filter((o) => !o.deleted && CANVAS_TYPES.includes(o.type)).map((o) => o.id);
}

/**
 * How far to move a copy whose bounds are `b` for the `n`th paste in a row (1 = first):
 * centred on the pointer `at` (each repeat a step further); without a pointer, a step per
 * paste beside the originals while they are in `view`, else centred in the view.
 */
export function pasteOffset(b: Box, view: Box, at: { x: number; y: number } | null, n: number): { dx: number; dy: number } {
  const seen = b.x < view.x + view.w && b.x + b.w > view.x && b.y < view.y + view.h && b.y + b.h > view.y;
  const target = at ?? (seen ? null : { x: view.x + view.w / 2, y: view.y + view.h / 2 });
  const step = PASTE_STEP * (at ? n - 1 : target ? 0 : n);
  if (!target) return { dx: step, dy: step };
  return { dx: Math.round(target.x - (b.x + b.w / 2) + step), dy: Math.round(target.y - (b.y + b.h / 2) + step) };
}
