// A peer's drag of canvas objects as others see it (dragPreview.ts), against a real BoardModel.
import { describe, expect, it } from "vitest";
import { ObjectType } from "../gen/board_pb";
import { BoardModel } from "../sync/board";
import { op } from "../sync/ops";
import { dragMembers, previewBoxes } from "./dragPreview";

const meta = (seq: bigint) => ({ seq, author: "bob", authorId: "m-bob", timeMs: 1n, system: false });

function board(): BoardModel {
  const m = new BoardModel();
  m.apply([
    op.create("g1", ObjectType.GROUP, { x: 0, y: 0, width: 400, height: 300 }),
    op.create("n1", ObjectType.NOTE, { x: 10, y: 10, parent: "g1" }),
    op.create("n2", ObjectType.NOTE, { x: 500, y: 0 }),
    op.create("n3", ObjectType.NOTE, { x: 900, y: 0 }),
    op.create("i1", ObjectType.BACKLOG_ITEM, { title: "not on a canvas" }),
  ], meta(1n));
  return m;
}

describe("drag previews on the canvas", () => {
  it("a drag of an object outside the selection moves it alone", () => {
    expect(dragMembers(board(), "n2", ["n3"])).toEqual(["n2"]);
  });
  it("a drag of a selected object moves the selection and the members of its selected groups, primary first", () => {
    expect(dragMembers(board(), "n2", ["g1", "n2", "n3"]).sort()).toEqual(["g1", "n1", "n2", "n3"]);
    expect(dragMembers(board(), "n2", ["g1", "n2"])[0]).toBe("n2");
  });
  it("what is not a live canvas object is left out", () => {
    const m = board();
    m.apply([op.delete("n3")], meta(2n));
    expect(dragMembers(m, "n2", ["n2", "n3", "i1", "nope"])).toEqual(["n2"]);
    expect(dragMembers(m, "i1", ["i1"])).toEqual([]);
  });
  it("each member is shown moved by the primary's offset, culled to the rendered area", () => {
    const members = [
      { id: "a", box: { x: 100, y: 100, w: 160, h: 120 } },
      { id: "b", box: { x: 2000, y: 100, w: 160, h: 120 } },
    ];
    const at = { x: 150, y: 90 };
    expect(previewBoxes(members, "a", members[0].box, at, null)).toEqual([
      { id: "a", box: { x: 150, y: 90, w: 160, h: 120 } },
      { id: "b", box: { x: 2050, y: 90, w: 160, h: 120 } },
    ]);
    expect(previewBoxes(members, "a", members[0].box, at, { x: 0, y: 0, w: 1000, h: 800 }).map((p) => p.id)).toEqual(["a"]);
    const odd = [{ id: "p", box: { x: 0.1, y: 0.7, w: 10, h: 10 } }];
    expect(previewBoxes(odd, "p", odd[0].box, { x: 60.1, y: 20.3 }, null)[0].box).toEqual({ x: 60.1, y: 20.3, w: 10, h: 10 }); // exactly where it would drop
  });
});
