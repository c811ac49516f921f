// The backlog's multi-select, the move of a selection to the top or the bottom, and
// what the live region says of others' moves (pure parts of selection.ts, bulk.ts, announce.ts).
import { describe, expect, it } from "vitest";
import { compareOrder } from "../../sync/orderKey";
import { describeMoves, places, remoteMoves } from "./announce";
import { edgeMoves } from "./bulk";
import { Selection } from "./selection";

const order = ["a", "b", "c", "d", "e", "f"];

describe("Selection", () => {
  it("toggles one row and selects a range from the last one toggled, either way", () => {
    const s = new Selection();
    s.toggle("b");
    s.range(order, "d");
    expect(s.inOrder(order)).toEqual(["b", "c", "d"]);
    s.toggle("c");
    expect(s.inOrder(order)).toEqual(["b", "d"]);
    s.range(order, "a"); // from c (the last toggled) up to a
    expect(s.inOrder(order)).toEqual(["a", "b", "c", "d"]);
    s.clear();
    expect(s.size).toBe(0);
    s.range(order, "e"); // no anchor: just that one
    expect(s.inOrder(order)).toEqual(["e"]);
  });

  it("forgets deleted items", () => {
    const s = new Selection();
    s.toggle("a");
    s.toggle("b");
    expect(s.keepOnly(new Set(["b", "c"]))).toBe(true);
    expect(s.inOrder(order)).toEqual(["b"]);
    expect(s.keepOnly(new Set(["b"]))).toBe(false);
  });
});

describe("edgeMoves", () => {
  const list = order.map((id, i) => ({ id, key: "a" + i }));
  const apply = (moves: { id: string; key: string }[]) => {
    const keys = new Map(list.map((k) => [k.id, k.key]));
    for (const m of moves) keys.set(m.id, m.key);
    return [...keys].sort(([ia, ka], [ib, kb]) => compareOrder(ka, ia, kb, ib)).map(([id]) => id).join("");
  };

  it("moves the selection to the top or the bottom, keeping its relative order", () => {
    expect(apply(edgeMoves(list, new Set(["e", "b", "d"]), "top")!)).toBe("bdeacf");
    expect(apply(edgeMoves(list, new Set(["e", "a", "c"]), "bottom")!)).toBe("bdface");
    expect(edgeMoves(list, new Set(["b", "d"]), "top")!.map((m) => m.id)).toEqual(["b", "d"]);
  });

  it("sends nothing when the selection is there already, or empty", () => {
    expect(edgeMoves(list, new Set(["a", "b"]), "top")).toEqual([]);
    expect(edgeMoves(list, new Set(["e", "f"]), "bottom")).toEqual([]);
    expect(edgeMoves(list, new Set(), "top")).toEqual([]);
    expect(apply(edgeMoves(list, new Set(["b", "a"]), "bottom")!)).toBe("cdefab");
  });
});

describe("describeMoves", () => {
  it("names who moved which item to which position", () => {
    expect(describeMoves([{ by: "Bob", title: "Login page", position: 3 }], 10)).toBe("Bob moved “Login page” to position 3.");
    expect(describeMoves([{ by: "someone else", title: " ", position: 1 }], 10)).toBe("Someone moved an untitled item to position 1.");
    expect(describeMoves([], 10)).toBe("");
  });

  it("sums up several moves at once", () => {
    const at = (by: string, position: number) => ({ by, title: "x", position });
    expect(describeMoves([at("Bob", 2), at("Bob", 1), at("Bob", 3)], 10)).toBe("Bob moved 3 items to the top.");
    expect(describeMoves([at("Bob", 9), at("Bob", 10)], 10)).toBe("Bob moved 2 items to the bottom.");
    expect(describeMoves([at("Bob", 2), at("Carol", 5)], 10)).toBe("Bob and Carol moved 2 items.");
    expect(describeMoves([at("Ann", 2), at("Bob", 5), at("Cy", 7)], 10)).toBe("Ann, Bob and Cy moved 3 items.");
  });
});

describe("remoteMoves", () => {
  // Keys by each item's place in "abcde" unless given: an item keeps its key when others move.
  const list = (s: string, keys: Record<string, string> = {}) => [...s].map((id) => ({ id, key: keys[id] ?? "a" + "abcde".indexOf(id) }));
  const before = places(list("abcde"));

  it("finds the items others moved, not those only pushed along", () => {
    expect(remoteMoves(before, list("adbce", { d: "a0V" }), new Set())).toEqual([1]);
    expect(remoteMoves(before, list("adbce", { d: "a0V" }), new Set(["d"]))).toEqual([]); // this page's own move
  });

  it("ignores a rebalance (new keys, same neighbours) and new items", () => {
    expect(remoteMoves(before, [..."abcde"].map((id, i) => ({ id, key: "b" + i })), new Set())).toEqual([]);
    expect(remoteMoves(before, list("abxcde", { x: "a1V" }), new Set())).toEqual([]);
  });

  it("counts an item moved to the top among others even if its position stays", () => {
    expect(remoteMoves(before, list("aebcd", { a: "Zz", e: "Zz1" }), new Set())).toEqual([0, 1]);
  });
});
