// Which canvas objects' badges (vote and comment counts) a change of votes or comments
// may have changed, without counting over the board: the target of every vote and
// comment is remembered by id, so a vote that is removed, tombstoned, re-targeted or
// dropped (a pending create rolled back) names the object it was on. The counts
// themselves are read from the board's index (BoardModel.votesOf / commentsOf).
import { ObjectType } from "../gen/board_pb";
import type { Obj } from "../sync/board";

export const isBadge = (o: Obj | undefined) => o?.type === ObjectType.VOTE || o?.type === ObjectType.COMMENT;

export class BadgeTargets {
  private readonly targetOf = new Map<string, string>();

  /** Forgets everything and records the target of every vote and comment of `objects`. */
  reset(objects: Iterable<Obj>): void {
    this.targetOf.clear();
    for (const o of objects) if (isBadge(o)) this.set(o.id, o);
  }

  /** Whether `id` is (or was) a vote or comment. */
  has(id: string): boolean {
    return this.targetOf.has(id);
  }

  /**
   * Object `id` changed and is now `o` (undefined: gone). Returns the targets whose
   * counts may have changed: its target before and after (none for another type).
   */
  changed(id: string, o: Obj | undefined): string[] {
    const before = this.targetOf.get(id);
    if (!isBadge(o) && before === undefined) return [];
    const after = isBadge(o) ? this.set(id, o!) : undefined;
    if (after === undefined) this.targetOf.delete(id);
    const out: string[] = [];
    if (before !== undefined) out.push(before);
    if (after !== undefined && after !== before) out.push(after);
    return out;
  }

  private set(id: string, o: Obj): string | undefined {
    const t = o.fields.get("target");
    if (typeof t !== "string" || t === "") {
      this.targetOf.delete(id);
      return undefined;
    }
    this.targetOf.set(id, t);
    return t;
  }
}
