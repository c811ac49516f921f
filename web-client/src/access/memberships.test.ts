// Memberships in storage: one per board, listed newest visit first, malformed
// entries ignored, names checked as the server checks them (API-2).
import { describe, expect, it } from "vitest";
import type { Membership } from "./memberships";
import { MembershipStore, nameProblem } from "./memberships";
import { MemoryStorage } from "../testing/memoryStorage";


const m = (over: Partial<Membership> = {}): Membership => ({
  token: "t1.x.y", memberId: "m1", name: "Ada", role: "editor", title: "Board", kind: "discovery", visited: 1, ...over,
});

describe("MembershipStore", () => {
  it("keeps one membership per board and lists the newest visit first", () => {
    const storage = new MemoryStorage();
    const s = new MembershipStore(storage);
    s.put("b1", m({ visited: 10 }));
    s.put("b2", m({ visited: 20, kind: "backlog", role: "owner" }));
    s.put("b1", m({ visited: 5, token: "t1.new.sig" })); // replaces
    expect(s.all().map((x) => x.boardId)).toEqual(["b2", "b1"]);
    expect(s.get("b1")!.token).toBe("t1.new.sig");
    s.update("b1", { visited: 30, title: "Renamed" });
    expect(s.all()[0]).toMatchObject({ boardId: "b1", title: "Renamed", token: "t1.new.sig" });
    s.update("nope", { title: "x" });
    expect(s.get("nope")).toBeUndefined();
    // Another page (tab) of the same browser sees the same memberships.
    expect(new MembershipStore(storage).all()).toHaveLength(2);
    s.forget("b1");
    expect(s.get("b1")).toBeUndefined();
    expect(s.all()).toHaveLength(1);
  });

  it("remembers the name used last, for the next invite", () => {
    const s = new MembershipStore(new MemoryStorage());
    expect(s.knownName()).toBeNull();
    s.put("b1", m({ name: "Grace" }));
    expect(s.knownName()).toBe("Grace");
  });

  it("ignores malformed storage", () => {
    const storage = new MemoryStorage();
    storage.setItem("tandem:memberships", JSON.stringify({ b1: { token: "" }, b2: m(), b3: { ...m(), role: "admin" } }));
    expect(new MembershipStore(storage).all().map((x) => x.boardId)).toEqual(["b2"]);
    storage.setItem("tandem:memberships", "{not json");
    expect(new MembershipStore(storage).all()).toEqual([]);
  });

  it("works in memory without storage", () => {
    const s = new MembershipStore(null);
    s.put("b1", m());
    expect(s.get("b1")?.name).toBe("Ada");
  });
});

describe("nameProblem", () => {
  it("takes 1-64 bytes without control characters", () => {
    expect(nameProblem("Ada")).toBeNull();
    expect(nameProblem("   ")).toBe("Enter a name");
    expect(nameProblem("x".repeat(64))).toBeNull();
    expect(nameProblem("x".repeat(65))).toMatch(/64 bytes/);
    expect(nameProblem("é".repeat(33))).toMatch(/64 bytes/); // 66 bytes in UTF-8
    expect(nameProblem("a\tb")).toMatch(/control/);
  });
});
