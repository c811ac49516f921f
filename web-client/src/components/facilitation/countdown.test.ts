import { describe, expect, it } from "vitest";
import { privateSpot } from "../../canvas/editing";
import { clock, spoken } from "./Countdown";

describe("the countdown's text", () => {
  it("shows minutes and seconds, rounding up (0 only when time is up)", () => {
    expect(clock(300_000)).toBe("5:00");
    expect(clock(299_001)).toBe("5:00");
    expect(clock(299_000)).toBe("4:59");
    expect(clock(1)).toBe("0:01");
    expect(clock(0)).toBe("0:00");
    expect(clock(3_600_000 + 65_000)).toBe("1:01:05");
  });

  it("says the time in words for the timer's label", () => {
    expect(spoken(272_000)).toBe("4 minutes 32 seconds");
    expect(spoken(60_000)).toBe("1 minute");
    expect(spoken(1_000)).toBe("1 second");
    expect(spoken(0)).toBe("0 seconds");
  });
});

describe("private writing spots", () => {
  it("gives a member the same spot every time, and members different spots", () => {
    expect(privateSpot("member-a")).toEqual(privateSpot("member-a"));
    const spots = new Set(["a", "b", "c", "d", "e", "f", "g", "h"].map((m) => JSON.stringify(privateSpot(`member-${m}`))));
    expect(spots.size).toBeGreaterThan(3);
  });
});
