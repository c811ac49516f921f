import { describe, expect, it } from "vitest";
import { keyBetween } from "../../sync/orderKey";
import { dropIndex, keyForIndex } from "./placement";

describe("keyForIndex", () => {
  const keys = ["a0", "a1", "a2"];

  it("gives a key between the neighbours at the index", () => {
    expect(keyForIndex(keys, 0)! < "a0").toBe(true);
    const mid = keyForIndex(keys, 1)!;
    expect(mid > "a0" && mid < "a1").toBe(true);
    expect(keyForIndex(keys, 3)! > "a2").toBe(true);
  });

  it("clamps the index to the list", () => {
    expect(keyForIndex(keys, -4)).toBe(keyBetween(null, "a0"));
    expect(keyForIndex(keys, 99)).toBe(keyBetween("a2", null));
    expect(keyForIndex([], 0)).toBe(keyBetween(null, null));
  });

  it("goes after a tie", () => {
    expect(keyForIndex(["a0", "a1", "a1"], 2)).toBe(keyBetween("a1", null));
  });
});

describe("dropIndex", () => {
  const row = (index: number, top: number) => ({ index, top, height: 40 });

  it("drops before the first row whose middle is below the pointer", () => {
    const drawn = [row(0, 0), row(1, 40), row(2, 80)];
    expect(dropIndex(drawn, 2, 5)).toBe(0); // the last row to the top
    expect(dropIndex(drawn, 0, 70)).toBe(1); // the first row between the others
    expect(dropIndex(drawn, 0, 500)).toBe(2); // below all: the end
  });

  it("counts in list indices when only some rows are drawn (windowing)", () => {
    const drawn = [row(500, 0), row(501, 40), row(502, 80), row(503, 120)];
    expect(dropIndex(drawn, 501, 100)).toBe(502); // before 503: index 502 of the list without 501
    expect(dropIndex(drawn, 501, 5)).toBe(500);
    expect(dropIndex(drawn, 501, 999)).toBe(503);
    expect(dropIndex([row(7, -400), ...drawn], 7, 130)).toBe(502); // the edited row pinned far above
  });

  it("gives 0 with no other row", () => {
    expect(dropIndex([row(0, 0)], 0, 10)).toBe(0);
  });
});
