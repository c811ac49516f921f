// Remote changes to the backlog's order, told to screen readers through a polite
// live region (aria-live="polite"): "Bob moved “Login page” to position 3", several
// at once summed up. This page's own moves are not told: they are the items with a
// change of theirs still pending (submit, undo, redo all go through the outbox).
import { h } from "../dom";
import { whoChanged } from "../drafts";
import type { Ctx } from "./context";
import { items, str } from "./context";

export interface Moved {
  by: string;
  title: string;
  /** 1-based position now. */
  position: number;
}

const name = (by: string) => (by === "someone else" ? "Someone" : by);
const quoted = (title: string) => (title.trim() ? `“${title.trim()}”` : "an untitled item");

/** One sentence for the moves of one frame; "" for none. `count`: the items in the list. */
export function describeMoves(moves: readonly Moved[], count: number): string {
  if (moves.length === 0) return "";
  const who = [...new Set(moves.map((m) => name(m.by)))];
  const by = who.length > 2 ? `${who.slice(0, -1).join(", ")} and ${who[who.length - 1]}` : who.join(" and ");
  if (moves.length === 1) return `${by} moved ${quoted(moves[0].title)} to position ${moves[0].position}.`;
  const pos = moves.map((m) => m.position).sort((a, b) => a - b);
  const n = moves.length;
  if (pos[0] === 1 && pos[n - 1] === n) return `${by} moved ${n} items to the top.`;
  if (pos[0] === count - n + 1 && pos[n - 1] === count) return `${by} moved ${n} items to the bottom.`;
  return `${by} moved ${n} items.`;
}

/** Where each item is: its order key and the ids before and after it. */
export type Places = Map<string, { key: string; around: string }>;

export function places(list: readonly { id: string; key: string }[]): Places {
  return new Map(list.map((k, i) => [k.id, { key: k.key, around: `${list[i - 1]?.id ?? ""} ${list[i + 1]?.id ?? ""}` }]));
}

/**
 * The indices in `list` of the items moved by others since `before`: a new order key
 * between new neighbours (a rebalance, ORDER-4, keeps them), with no change of this page
 * pending on them (`mine`). New items are not moves.
 */
export function remoteMoves(before: Places, list: readonly { id: string; key: string }[], mine: ReadonlySet<string>): number[] {
  const now = places(list);
  const out: number[] = [];
  list.forEach((k, i) => {
    const old = before.get(k.id);
    if (!old || old.key === k.key || mine.has(k.id) || old.around === now.get(k.id)!.around) return;
    out.push(i);
  });
  return out;
}

/** The live region, and what it compares each render with: where the items were. */
export class Announcer {
  readonly el = h("div", { class: "sr-only", "aria-live": "polite", role: "status", "data-testid": "backlog-announcer" });
  private before: Places | null = null;
  private last = "";

  constructor(private readonly ctx: Ctx) {}

  /** Says `text` (the same text twice is said twice). */
  say(text: string): void {
    this.last = text === this.last ? text + "\u00a0" : text;
    this.el.textContent = this.last;
  }

  /** After a render: tells the remote moves since the last one. */
  observe(): void {
    const objs = items(this.ctx);
    const list = objs.map((o) => ({ id: o.id, key: str(o, "order") }));
    const before = this.before;
    this.before = places(list);
    if (!before) return; // the first render: nothing moved
    const moves: Moved[] = remoteMoves(before, list, this.pendingMoves()).map((i) =>
      ({ by: whoChanged(this.ctx.client, objs[i].id), title: str(objs[i], "title"), position: i + 1 }));
    const text = describeMoves(moves, list.length);
    if (text) this.say(text);
  }

  /** The items this page moved or made and the server has not confirmed yet. */
  private pendingMoves(): Set<string> {
    const out = new Set<string>();
    for (const p of this.ctx.client.pending)
      for (const o of p.ops) if (o.kind.case === "move" || o.kind.case === "create") out.add(o.kind.value.id);
    return out;
  }
}
