// SPEC CLOSE-3 and RATE-1: the rate-limit close backs off and says why in plain language.
import { describe, expect, it } from "vitest";
import { CLOSE_GOING_AWAY, CLOSE_MOVED, CLOSE_RATE_LIMITED, CLOSE_UNAVAILABLE, closeAction, closeText, isStop } from "./closeCodes";

describe("close codes (CLOSE-3)", () => {
  it("4007 (RATE-1) backs off with a plain-language reason", () => {
    expect(CLOSE_RATE_LIMITED).toBe(4007);
    expect(closeAction(CLOSE_RATE_LIMITED)).toBe("backoff");
    expect(closeText(CLOSE_RATE_LIMITED)).toBe("Too many changes too fast: slowing down, nothing is lost");
  });
  it("4008 (CLUSTER-2) reconnects soon and 4009 (CLUSTER-5) backs off with a calm reason; neither stops", () => {
    expect([CLOSE_MOVED, CLOSE_UNAVAILABLE]).toEqual([4008, 4009]);
    expect(closeAction(CLOSE_MOVED)).toBe("soon");
    expect(closeAction(CLOSE_UNAVAILABLE)).toBe("backoff");
    expect(isStop("soon")).toBe(false);
    expect(closeText(CLOSE_MOVED)).toBeUndefined(); // back in a moment: nothing to say
    expect(closeText(CLOSE_UNAVAILABLE)).toBe("This board's server is restarting; reconnecting…");
  });
  it("has no text for codes that need none", () => {
    expect(closeText(CLOSE_GOING_AWAY)).toBeUndefined();
    expect(closeText(undefined)).toBeUndefined();
  });
});
