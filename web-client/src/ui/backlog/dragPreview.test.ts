// Others' drags of backlog rows as the list draws them (dragPreview.ts): pure.
import { describe, expect, it } from "vitest";
import type { Member } from "../../gen/sync_pb";
import type { Peer } from "../../sync/presence";
import type { RowPreview } from "./dragPreview";
import { previewOrder, previewSignature, rowPreviews } from "./dragPreview";

const list = [{ id: "a", key: "a1" }, { id: "b", key: "a2" }, { id: "c", key: "a3" }, { id: "d", key: "a4" }];
const pv = (key: string): RowPreview => ({ key, by: "Alice", color: "#123" });
const ids = (l: { id: string }[]) => l.map((k) => k.id).join("");

describe("backlog drag previews", () => {
  it("a previewed row is drawn at its preview key, the others keep their order", () => {
    expect(ids(previewOrder(list, new Map([["a", pv("a3V")]]), () => false))).toBe("bcad");
    expect(ids(previewOrder(list, new Map([["d", pv("a0")]]), () => false))).toBe("dabc");
    expect(previewOrder(list, new Map([["a", pv("a3V")]]), () => false)[2]).toEqual({ id: "a", key: "a3V" });
  });
  it("a held row (typed in here) is never moved", () => {
    expect(ids(previewOrder(list, new Map([["a", pv("a3V")]]), (id) => id === "a"))).toBe("abcd");
  });
  it("without previews the list is as it is", () => {
    expect(previewOrder(list, new Map(), () => false)).toEqual(list);
  });
  it("only ordered drags of items count; the signature changes with any of them", () => {
    const peer = (objectId: string, orderKey: string): Peer =>
      ({ member: { clientId: "x", userName: "Alice", color: "" } as Member, presence: { drag: { objectId, orderKey, x: 0, y: 0, status: "" } } } as unknown as Peer);
    const peers = new Map([["c1", peer("a", "a3V")], ["c2", peer("n1", "")], ["c3", peer("zz", "a1")]]);
    const got = rowPreviews(peers, (id) => id === "a" || id === "n1");
    expect([...got.keys()]).toEqual(["a"]);
    expect(got.get("a")!.key).toBe("a3V");
    expect(previewSignature(got)).not.toBe(previewSignature(new Map([["a", pv("a3Z")]])));
    expect(previewSignature(new Map())).toBe("");
  });
});
