// Moving the selected rows to the top or the bottom of the backlog in one change
// (pure, no DOM): keys from nKeysBetween before the first row not moved (or after the
// last), so the moved rows keep their relative order and stay together (ORDER-2).
import { nKeysBetween } from "../../sync/orderKey";
import type { Keyed } from "./dragPreview";

export type Edge = "top" | "bottom";

/**
 * The new order keys of the `selected` items of `list` (in board order) moved to
 * `edge`: [] when they are there already, null when no keys fit.
 */
export function edgeMoves(list: readonly Keyed[], selected: { has(id: string): boolean }, edge: Edge): Keyed[] | null {
  const moved = list.filter((k) => selected.has(k.id));
  const rest = list.filter((k) => !selected.has(k.id));
  if (moved.length === 0) return [];
  const there = edge === "top" ? list.slice(0, moved.length) : list.slice(list.length - moved.length);
  if (there.every((k, i) => k.id === moved[i].id)) return [];
  const a = edge === "top" ? null : rest[rest.length - 1]?.key || null;
  const b = edge === "top" ? rest[0]?.key || null : null;
  const keys = nKeysBetween(a, b, moved.length);
  return keys ? moved.map((k, i) => ({ id: k.id, key: keys[i] })) : null;
}
