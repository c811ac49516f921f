// The canvas keys' effects (keyOps.ts), against a real BoardModel: nudges, select all,
// and where a paste lands.
import { describe, expect, it } from "vitest";
import { ObjectType } from "../gen/board_pb";
import { BoardModel } from "../sync/board";
import { op } from "../sync/ops";
import { PASTE_STEP, allCanvasIds, nudgeOps, pasteOffset } from "./keyOps";

const meta = (seq: bigint) => ({ seq, author: "Alice", authorId: "m-alice", timeMs: 1n, system: false });

function board(): BoardModel {
  const m = new BoardModel();
  m.apply([
    op.create("g1", ObjectType.GROUP, { title: "Lane", x: 0, y: 0, width: 400, height: 300, order: "a0" }),
    op.create("n1", ObjectType.NOTE, { text: "in lane", x: 20, y: 40, parent: "g1", order: "a1" }),
    op.create("n2", ObjectType.NOTE, { text: "outside", x: 600, y: 40, order: "a2" }),
    op.create("n3", ObjectType.NOTE, { text: "gone", x: 0, y: 0, order: "a3" }),
    op.create("k1", ObjectType.CONNECTOR, { from: "n1", to: "n2" }),
  ], meta(1n));
  m.apply([op.delete("n3")], meta(2n));
  return m;
}

const moved = (ops: ReturnType<typeof nudgeOps>) =>
  Object.fromEntries(ops.map((o) => {
    const u = o.kind.case === "update" ? o.kind.value : null;
    const f = (n: string) => u!.fields.find((x) => x.name === n)?.value?.kind.value;
    return [u!.id, [f("x"), f("y")]];
  }));

describe("canvas keys", () => {
  it("an arrow moves the selection with its groups' members; what is locked for me stays", () => {
    const m = board();
    expect(moved(nudgeOps(m, ["g1"], () => true, 10, 0))).toEqual({ g1: [10, 0], n1: [30, 40] });
    expect(moved(nudgeOps(m, ["n2"], () => true, 0, -50))).toEqual({ n2: [600, -10] });
    expect(moved(nudgeOps(m, ["g1", "n2"], (id) => id !== "n1", 0, 10))).toEqual({ g1: [0, 10], n2: [600, 50] });
    expect(nudgeOps(m, ["n3", "k1"], () => true, 10, 10)).toEqual([]); // deleted; not a canvas object
  });

  it("select all takes every live note, group and experiment, no connector", () => {
    expect(allCanvasIds(board()).sort()).toEqual(["g1", "n1", "n2"]);
  });

  it("a paste lands at the pointer (a step further each time), else beside the originals, else mid-view", () => {
    const b = { x: 100, y: 100, w: 200, h: 100 }; // centre (200, 150)
    const view = { x: 0, y: 0, w: 1000, h: 800 };
    expect(pasteOffset(b, view, { x: 500, y: 500 }, 1)).toEqual({ dx: 300, dy: 350 });
    expect(pasteOffset(b, view, { x: 500, y: 500 }, 2)).toEqual({ dx: 300 + PASTE_STEP, dy: 350 + PASTE_STEP });
    expect(pasteOffset(b, view, null, 1)).toEqual({ dx: PASTE_STEP, dy: PASTE_STEP });
    expect(pasteOffset(b, view, null, 3)).toEqual({ dx: 3 * PASTE_STEP, dy: 3 * PASTE_STEP });
    const away = { x: 5000, y: 5000, w: 1000, h: 800 }; // the originals are not in view: the view's centre
    expect(pasteOffset(b, away, null, 1)).toEqual({ dx: 5300, dy: 5250 });
  });
});
