// What a peer's drag of canvas objects moves, and where others see it (pure, no DOM).
// A drag's presence (PRES-6) names one object, the primary (the one under the
// dragger's pointer), at the position it would be dropped at. The rest of a
// multi-object drag is not sent: it is what the dragger's page moves with the primary
// (interaction.ts moveDrag), that is the dragger's selection (also in its presence) and
// the notes and experiments of the selected groups; others show each of them moved by
// the primary's offset (docs/DECISIONS.md).
import { ObjectType } from "../gen/board_pb";
import type { Obj } from "../sync/board";
import type { Box } from "./geometry";
import { intersects } from "./culling";
import { isCanvas, str } from "./geometry";

export interface MemberSource {
  readonly objects: ReadonlyMap<string, Obj>;
  live(id: string): Obj | undefined;
}

/**
 * The live canvas objects a drag of `primary` moves: the primary first; when it is in
 * `selection`, also the rest of the selection and the notes and experiments whose
 * group is selected. An object that is not a live canvas object is left out.
 */
export function dragMembers(view: MemberSource, primary: string, selection: readonly string[]): string[] {
  const p = view.live(primary);
  if (!p || !isCanvas(p)) return [];
  if (!selection.includes(primary)) return [primary];
  const out = new Set<string>([primary]);
  const groups = new Set<string>();
  for (const id of selection) {
    const o = view.live(id);
    if (!o || !isCanvas(o)) continue;
    out.add(id);
    if (o.type === ObjectType.GROUP) groups.add(id);
  }
  if (groups.size) for (const o of view.objects.values())
    if (!o.deleted && (o.type === ObjectType.NOTE || o.type === ObjectType.EXPERIMENT) && groups.has(str(o, "parent"))) out.add(o.id);
  return [...out];
}

export interface Placed {
  id: string;
  box: Box;
}

/**
 * Where the members are shown: the primary (id `primary`, box `from`) at `at`, each
 * other box moved by the same offset; only those meeting `rect` (the rendered area;
 * null: all).
 */
export function previewBoxes(members: readonly Placed[], primary: string, from: Box, at: { x: number; y: number }, rect: Box | null): Placed[] {
  const dx = at.x - from.x, dy = at.y - from.y;
  const out: Placed[] = [];
  for (const m of members) {
    const b = m.id === primary ? { x: at.x, y: at.y, w: m.box.w, h: m.box.h } : { x: m.box.x + dx, y: m.box.y + dy, w: m.box.w, h: m.box.h };
    if (!rect || intersects(b, rect)) out.push({ id: m.id, box: b });
  }
  return out;
}
