// Copy and paste of canvas objects (clipboard.ts), against a real BoardModel: what a
// copy holds, what a paste creates, and text that is not ours.
import { describe, expect, it } from "vitest";
import { ObjectType } from "../gen/board_pb";
import { BoardModel } from "../sync/board";
import { op } from "../sync/ops";
import { CLIP_MARK, boundsOf, copyOf, parseCopy, pasteOps, textNoteOps } from "./clipboard";

const meta = (seq: bigint) => ({ seq, author: "Alice", authorId: "m-alice", timeMs: 1n, system: false });

function board(): BoardModel {
  const m = new BoardModel();
  m.apply([
    op.create("g1", ObjectType.GROUP, { title: "Lane", x: 0, y: 0, width: 400, height: 300, order: "a0" }),
    op.create("n1", ObjectType.NOTE, { text: "in lane", x: 20, y: 40, width: 160, height: 120, color: "#ffd6e0", parent: "g1", order: "a1" }),
    op.create("n2", ObjectType.NOTE, { text: "outside", x: 600, y: 40, width: 160, height: 120, order: "a2" }),
    op.create("k1", ObjectType.CONNECTOR, { from: "n1", to: "n2" }),
    op.create("c1", ObjectType.COMMENT, { target: "n1", text: "a comment" }),
  ], meta(1n));
  m.apply([op.addVote("v1", "n2")], meta(2n));
  return m;
}

const created = (ops: ReturnType<typeof pasteOps>["ops"]) =>
  ops.map((o) => (o.kind.case === "create" ? o.kind.value : null)).filter((c) => c !== null);
const field = (c: { fields: { name: string; value?: { kind: { value?: unknown } } }[] }, name: string) =>
  c.fields.find((f) => f.name === name)?.value?.kind.value;

describe("canvas clipboard", () => {
  it("a copy of a group holds its notes and the connectors between copied objects, never author, votes or comments", () => {
    const m = board();
    const p = copyOf(m, ["g1", "n2"])!;
    const text = JSON.stringify(p);
    expect(text).toContain(CLIP_MARK);
    expect(p.items.map((i) => i.id).sort()).toEqual(["g1", "k1", "n1", "n2"]);
    expect(p.items.find((i) => i.id === "n1")!.parent).toBe("g1");
    expect(text).not.toContain("Alice"); // author is the server's (AUTH-3)
    expect(text).not.toContain("a comment");
    expect(copyOf(m, ["n1"])!.items.map((i) => i.id)).toEqual(["n1"]); // one end only: no connector
    expect(copyOf(m, ["c1"])).toBeNull(); // not a canvas object
  });

  it("a paste creates new ids, moved, with parents and connector ends mapped to the new objects", () => {
    const m = board();
    const p = parseCopy(JSON.stringify(copyOf(m, ["g1", "n2"])))!;
    const { ops, ids } = pasteOps(m, p, 1000, 24, "a5");
    const made = created(ops);
    expect(made.map((c) => c.type)).toEqual([ObjectType.GROUP, ObjectType.NOTE, ObjectType.NOTE, ObjectType.CONNECTOR]);
    expect(ids).toHaveLength(3);
    for (const id of ids) expect(["g1", "n1", "n2"]).not.toContain(id);
    const g = made[0];
    const n1 = made.find((c) => field(c, "text") === "in lane")!;
    expect([field(g, "x"), field(g, "y")]).toEqual([1000, 24]);
    expect(field(n1, "parent")).toBe(g.id);
    expect(field(n1, "text")).toBe("in lane");
    expect(field(n1, "color")).toBe("#ffd6e0");
    const conn = made[3];
    const n2 = made.find((c) => field(c, "text") === "outside")!;
    expect([field(conn, "from"), field(conn, "to")]).toEqual([n1.id, n2.id]);
    // Order keys after the board's last, each after the one before.
    const keys = made.slice(0, 3).map((c) => String(field(c, "order")));
    expect(keys[0]).toBe("a5");
    expect([...keys].sort()).toEqual(keys);
  });

  it("a pasted note that lands in a group joins it; outside any group it has none", () => {
    const m = board();
    const p = copyOf(m, ["n2"])!;
    const into = created(pasteOps(m, p, -580, 0, "a5").ops)[0]; // centre at (100, 100): inside g1
    expect(field(into, "parent")).toBe("g1");
    const away = created(pasteOps(m, p, 24, 24, "a5").ops)[0];
    expect(field(away, "parent")).toBeUndefined();
  });

  it("text that is not a copy of ours is not read as one, and becomes one note", () => {
    expect(parseCopy("just some words")).toBeNull();
    expect(parseCopy(`{"marker":"${CLIP_MARK}","items":"nope"}`)).toBeNull();
    expect(parseCopy(`{"marker":"${CLIP_MARK}"`)).toBeNull(); // broken JSON
    const m = board();
    const { ops, ids } = textNoteOps(m, "  Customers want exports \n", { x: 1000, y: 1000 }, "a9");
    const [n] = created(ops);
    expect(n.type).toBe(ObjectType.NOTE);
    expect(n.id).toBe(ids[0]);
    expect(field(n, "text")).toBe("Customers want exports");
    expect([field(n, "x"), field(n, "y")]).toEqual([920, 940]);
  });

  it("the bounds of a copy cover its canvas objects", () => {
    const m = board();
    expect(boundsOf(copyOf(m, ["g1", "n2"])!)).toEqual({ x: 0, y: 0, w: 760, h: 300 });
  });
});
