// The shared vectors of protocol/testdata/order_keys.txt, as the C++ side runs them (ORDER-1).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isValidKey, keyBetween, nKeysBetween } from "./orderKey";

const vectors = readFileSync(new URL("../../../protocol/testdata/order_keys.txt", import.meta.url), "utf8")
  .split("\n")
  .filter((l) => l && !l.startsWith("#"));
const key = (s: string) => (s === "-" ? null : s);

describe("order keys", () => {
  it("pass the shared vectors", () => {
    let checked = 0;
    for (const line of vectors) {
      const [kind, ...f] = line.split(" ");
      if (kind === "between") {
        expect(keyBetween(key(f[0]), key(f[1])), line).toBe(f[2]);
      } else if (kind === "n") {
        expect(nKeysBetween(key(f[0]), key(f[1]), Number(f[2])), line).toEqual(f[3].split(","));
      } else if (kind === "error") {
        expect(keyBetween(key(f[0]), key(f[1])), line).toBeNull();
      } else if (kind === "invalid") {
        expect(isValidKey(f[0].replaceAll("%20", " ")), line).toBe(false);
      } else {
        throw new Error("unknown vector " + line);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(600);
  });

  it("random insertions stay ordered", () => {
    const list: string[] = [];
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 2000; i++) {
      const at = Math.floor(rand() * (list.length + 1));
      const k = keyBetween(list[at - 1] ?? null, list[at] ?? null)!;
      expect(isValidKey(k)).toBe(true);
      list.splice(at, 0, k);
    }
    expect([...list].sort()).toEqual(list);
  });
});
