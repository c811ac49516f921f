// SPEC CLOSE-3 and RATE-1: the rate-limit close backs off and says why in plain language.
import { describe, expect, it } from "vitest";
import { CLOSE_GOING_AWAY, CLOSE_RATE_LIMITED, closeAction, closeText } from "./closeCodes";

describe("close codes (CLOSE-3)", () => {
  it("4007 (RATE-1) backs off with a plain-language reason", () => {
    expect(CLOSE_RATE_LIMITED).toBe(4007);
    expect(closeAction(CLOSE_RATE_LIMITED)).toBe("backoff");
    expect(closeText(CLOSE_RATE_LIMITED)).toBe("Too many changes too fast: slowing down, nothing is lost");
  });
  it("has no text for codes that need none", () => {
    expect(closeText(CLOSE_GOING_AWAY)).toBeUndefined();
    expect(closeText(undefined)).toBeUndefined();
  });
});
