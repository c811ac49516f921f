import { describe, expect, it } from "vitest";
import { MemoryStorage } from "../testing/memoryStorage";
import { Drafts, whoIsOn } from "./drafts";

describe("Drafts", () => {
  it("keeps a draft per board, object and field until dropped", () => {
    const store = new MemoryStorage();
    const a = new Drafts("board-a", store);
    a.save({ objectId: "n1", field: "text", value: "hello", original: "" });
    a.save({ objectId: "n1", field: "title", value: "t", original: "x" });
    expect(a.get("n1", "text")?.value).toBe("hello");
    expect(a.get("n1", "title")?.original).toBe("x");
    expect(new Drafts("board-b", store).get("n1", "text")).toBeUndefined();
    // A reload: a new Drafts on the same storage finds it.
    expect(new Drafts("board-a", store).list().map((d) => d.field).sort()).toEqual(["text", "title"]);
    a.drop("n1", "text");
    expect(a.get("n1", "text")).toBeUndefined();
    expect(a.list()).toHaveLength(1);
  });

  it("carries what to create a new note with", () => {
    const a = new Drafts("b", new MemoryStorage());
    a.save({ objectId: "new", field: "text", value: "half", original: "", create: { type: 1, values: { x: 1, y: 2 } } });
    expect(a.get("new", "text")?.create).toEqual({ type: 1, values: { x: 1, y: 2 } });
  });

  it("survives a broken or missing storage", () => {
    const store = new MemoryStorage();
    store.setItem("tandem:drafts:b", "{not json");
    const a = new Drafts("b", store);
    expect(a.list()).toEqual([]);
    a.save({ objectId: "n", field: "text", value: "v", original: "" });
    expect(a.get("n", "text")?.value).toBe("v");
    const none = new Drafts("b", undefined);
    none.save({ objectId: "n", field: "text", value: "v", original: "" });
    expect(none.get("n", "text")).toBeUndefined();
  });
});

describe("whoIsOn", () => {
  it("names the peers whose selection holds the object", () => {
    const peers = new Map([
      ["c1", { member: { userName: "Alice" }, presence: { selection: ["n1"] } }],
      ["c2", { member: { userName: "Carol" }, presence: { selection: ["n2"] } }],
      ["c3", { member: { userName: "Dan" } }],
    ]);
    expect(whoIsOn(peers, "n1")).toBe("Alice");
    expect(whoIsOn(peers, "n3")).toBe("someone else");
  });
});
