// Undo of a delete restores the same object (protocol/SPEC.md MODEL-9): History's
// inverse ops, and the replica applying the restore as the server does (MODEL-4).
import { describe, expect, it } from "vitest";
import type { Op } from "../gen/board_pb";
import { ObjectType } from "../gen/board_pb";
import type { ChangeMeta } from "./board";
import { BoardModel } from "./board";
import { History, inverseOps } from "./history";
import { op } from "./ops";

let seq = 0n;
const meta = (author = "Alice", authorId = "m-alice"): ChangeMeta => ({ seq: ++seq, author, authorId, timeMs: 1000n * seq, system: false });

/** A board with note n1 (Alice's) connected to n2, Bob's comment and vote on n1. */
function board(): BoardModel {
  seq = 0n;
  const m = new BoardModel();
  m.apply([op.create("g1", ObjectType.GROUP, { title: "Lane" })], meta());
  m.apply([op.create("n1", ObjectType.NOTE, { text: "keep", color: "#fff4b8", x: 10, parent: "g1", order: "a1" }),
    op.create("n2", ObjectType.NOTE, { text: "other" })], meta());
  m.apply([op.create("c1", ObjectType.CONNECTOR, { from: "n1", to: "n2" })], meta());
  m.apply([op.create("k1", ObjectType.COMMENT, { target: "n1", text: "why?" }), op.addVote("v1", "n1")], meta("Bob", "m-bob"));
  return m;
}

const kinds = (ops: Op[]) => ops.map((o) => `${o.kind.case} ${(o.kind.value as { id: string }).id}`);

describe("undo of a delete", () => {
  it("restores the same note: its id, author, creation, votes, comment and connector", () => {
    const m = board();
    const del = [op.delete("n1")];
    const inverse = inverseOps(del, m)!;
    m.apply(del, meta("Alice"));
    expect(m.live("n1")).toBeUndefined();
    expect(m.votesOf("n1")).toHaveLength(0); // inert while its note is a tombstone (MODEL-7)
    expect(m.objects.get("n1")!.fields.get("author")).toBe("Alice"); // the tombstone keeps the server's fields
    expect(m.objects.get("n1")!.fields.has("text")).toBe(false);

    expect(kinds(inverse)).toEqual(["restore n1"]);
    const r = inverse[0].kind.value as { fields: { name: string }[] };
    expect(r.fields.map((f) => f.name).sort()).toEqual(["color", "order", "parent", "text", "x"]); // no server field
    m.apply(inverse, meta("Carol", "m-carol")); // whoever presses undo
    const n1 = m.live("n1")!;
    expect(n1.fields.get("author")).toBe("Alice");
    expect(n1.fields.get("text")).toBe("keep");
    expect(n1.createdSeq).toBe(2n);
    expect(m.votesOf("n1").map((o) => o.id)).toEqual(["v1"]);
    expect(m.commentsOf("n1").map((o) => o.id)).toEqual(["k1"]);
    expect(m.live("c1")!.fields.get("from")).toBe("n1");
  });

  it("redo of the undo deletes the same note again", () => {
    const m = board();
    const h = new History();
    const del = [op.delete("n1")];
    h.record(del, m);
    m.apply(del, meta());
    const undo = h.undo(m)!;
    expect(kinds(undo)).toEqual(["restore n1"]);
    m.apply(undo, meta());
    expect(m.live("n1")).toBeDefined();
    const redo = h.redo(m)!;
    expect(kinds(redo)).toEqual(["delete n1"]);
    m.apply(redo, meta());
    expect(m.live("n1")).toBeUndefined();
    expect(kinds(h.undo(m)!)).toEqual(["restore n1"]); // and undo again brings it back again
  });

  it("restores what refers to an object after it, whatever order the delete had", () => {
    const m = board();
    const del = [op.delete("n1"), op.delete("c1"), op.delete("k1"), op.delete("g1")];
    const inverse = inverseOps(del, m)!;
    expect(kinds(inverse)).toEqual(["restore g1", "restore n1", "restore c1", "restore k1"]);
    m.apply(del, meta());
    m.apply(inverse, meta("Carol", "m-carol"));
    for (const id of ["g1", "n1", "c1", "k1"]) expect(m.live(id), id).toBeDefined();
    expect(m.live("k1")!.fields.get("author")).toBe("Bob");
    expect(m.live("k1")!.fields.get("created_ms")).toBe(4000n);
  });

  it("does not restore what is no longer a tombstone", () => {
    const m = board();
    m.apply([op.restore("n2", { text: "x" })], meta()); // n2 is live: skipped, as the server refuses it
    expect(m.live("n2")!.fields.get("text")).toBe("other");
    expect(m.live("n2")!.updatedSeq).toBe(2n);
  });
});
