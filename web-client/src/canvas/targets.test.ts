// BadgeTargets (targets.ts): which objects' vote and comment counts a change concerns,
// checked against a real BoardModel and its index (votesOf / commentsOf), DOM-free.
import { describe, expect, it } from "vitest";
import { ObjectType } from "../gen/board_pb";
import { BoardModel } from "../sync/board";
import { op } from "../sync/ops";
import { BadgeTargets } from "./targets";

const meta = (seq: bigint) => ({ seq, author: "bob", authorId: "m-bob", timeMs: 1n, system: false });

describe("badge targets", () => {
  it("a vote or comment names its target when added, removed, retargeted or dropped", () => {
    const m = new BoardModel();
    const t = new BadgeTargets();
    m.apply([op.create("n1", ObjectType.NOTE, {}), op.create("n2", ObjectType.NOTE, {})], meta(1n));
    t.reset(m.objects.values());
    expect(t.changed("n1", m.objects.get("n1"))).toEqual([]); // not a vote or comment

    m.apply([op.addVote("v1", "n1")], meta(2n));
    expect(t.changed("v1", m.objects.get("v1"))).toEqual(["n1"]);
    m.apply([op.create("c1", ObjectType.COMMENT, { target: "n1", text: "x" })], meta(3n));
    expect(t.changed("c1", m.objects.get("c1"))).toEqual(["n1"]);
    expect([m.votesOf("n1").length, m.commentsOf("n1").length]).toEqual([1, 1]);

    m.apply([op.update("c1", { target: "n2" })], meta(4n));
    expect(t.changed("c1", m.objects.get("c1"))).toEqual(["n1", "n2"]); // both counts change
    expect([m.commentsOf("n1").length, m.commentsOf("n2").length]).toEqual([0, 1]);

    m.apply([op.removeVote("v1")], meta(5n));
    expect(t.changed("v1", m.objects.get("v1"))).toEqual(["n1"]); // a tombstone still names its target
    expect(m.votesOf("n1").length).toBe(0);

    // Gone from the model altogether (a pending create rolled back): the remembered target.
    expect(t.has("c1")).toBe(true);
    expect(t.changed("c1", undefined)).toEqual(["n2"]);
    expect(t.has("c1")).toBe(false);
    expect(t.changed("c1", undefined)).toEqual([]);
  });

  it("reset remembers the targets of the votes and comments already on the board", () => {
    const m = new BoardModel();
    m.apply([op.create("n1", ObjectType.NOTE, {}), op.addVote("v1", "n1"), op.create("c1", ObjectType.COMMENT, { target: "n1", text: "x" })], meta(1n));
    const t = new BadgeTargets();
    t.reset(m.objects.values());
    expect([t.has("v1"), t.has("c1"), t.has("n1")]).toEqual([true, true, false]);
    expect(t.changed("v1", undefined)).toEqual(["n1"]);
  });
});
