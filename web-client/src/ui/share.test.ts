// How the Share dialog words a link's expiry.
import { describe, expect, it } from "vitest";
import { EXPIRY_CHOICES, expiryText, parseBoardLink } from "./share";

describe("expiryText", () => {
  it("says when a link stops working", () => {
    const now = 1_000_000_000_000;
    const h = 3_600_000;
    expect(expiryText(0, now)).toBe("Never expires");
    expect(expiryText(now - 1, now)).toBe("Expired");
    expect(expiryText(now + 7 * 24 * h, now)).toBe("Expires in 7 days");
    expect(expiryText(now + 24 * h, now)).toBe("Expires in 24 hours");
    expect(expiryText(now + 10 * 60_000, now)).toBe("Expires in 10 minutes");
    expect(EXPIRY_CHOICES.map(([, s]) => s)).toEqual([0, 86400, 604800, 2592000]);
  });
});

describe("parseBoardLink", () => {
  const origin = "https://tandem.example";
  it("reads invite links and board addresses, and nothing else", () => {
    expect(parseBoardLink("https://tandem.example/b/abc_D-1?invite=t1.x%2By", origin)).toEqual({ boardId: "abc_D-1", invite: "t1.x+y" });
    expect(parseBoardLink("  /b/abc  ", origin)).toEqual({ boardId: "abc", invite: null });
    expect(parseBoardLink("hello", origin)).toBeNull();
    expect(parseBoardLink("", origin)).toBeNull();
    expect(parseBoardLink("https://tandem.example/", origin)).toBeNull();
    expect(parseBoardLink("https://x/b/a/b", origin)).toBeNull();
  });
});
