// What the parts of the backlog view share: the sync client, the drafts, and a few
// helpers over the board's backlog items.
import { ObjectType } from "../../gen/board_pb";
import type { Obj } from "../../sync/board";
import { op } from "../../sync/ops";
import type { SyncClient } from "../../sync/syncClient";
import type { Drafts } from "../drafts";
import { keyForIndex } from "./placement";

export interface Ctx {
  client: SyncClient;
  drafts: Drafts;
  /** Draws again (the whole view: after a commit, a drop, a mode switch). */
  render(): void;
  /** The id of the row being dragged, while a drag is on (renders wait for the drop). */
  dragging: string | null;
}

/** A string field of `o`, or "". */
export const str = (o: Obj | undefined, f: string): string => (o && typeof o.fields.get(f) === "string" ? (o.fields.get(f) as string) : "");
/** The order key of `o`, or null. */
export const orderKey = (o: Obj | undefined): string | null => (o ? str(o, "order") || null : null);
/** The live backlog items in board order. */
export const items = (ctx: Ctx): Obj[] => ctx.client.view.ordered(ObjectType.BACKLOG_ITEM);
export const writable = (ctx: Ctx): boolean => ctx.client.canWrite;

/** Moves item `id` to index `to` of the list without it (ORDER-*), if the user may write. */
export function moveTo(ctx: Ctx, id: string, to: number): void {
  if (!writable(ctx)) return;
  const rest = items(ctx).filter((o) => o.id !== id).map(orderKey);
  const k = keyForIndex(rest, to);
  if (k) ctx.client.submit([op.move(id, k)]);
}
