// The status pill says what happens to the person's work while away and after (issue 11).
import { describe, expect, it } from "vitest";
import { sentText, statusText } from "./statusText";

describe("statusText", () => {
  it("says changes are kept on this device while away, with their count, and that they were sent", () => {
    expect(statusText({ status: "connecting", pendingCount: 0, wasOnline: false })).toBe("Connecting…");
    expect(statusText({ status: "connecting", pendingCount: 0, wasOnline: true })).toBe("Reconnecting… · changes are kept on this device");
    expect(statusText({ status: "connecting", pendingCount: 3, wasOnline: true })).toBe("Reconnecting… · 3 changes kept on this device, sent when back online");
    expect(statusText({ status: "connecting", pendingCount: 2, wasOnline: true, reason: "This board's server is restarting; reconnecting…" }))
      .toBe("This board's server is restarting; reconnecting… · 2 changes kept on this device, sent when back online");
    expect(statusText({ status: "offline", pendingCount: 1, wasOnline: true })).toBe("Offline · 1 change kept on this device, sent when back online");
    expect(statusText({ status: "online", pendingCount: 2, wasOnline: true })).toBe("Live · sending 2 changes");
    expect(statusText({ status: "online", pendingCount: 0, wasOnline: true, justSent: 3 })).toBe("Live · 3 changes sent");
    expect(statusText({ status: "online", pendingCount: 0, wasOnline: true })).toBe("Live");
    expect(sentText(1)).toBe("Back online: the change you made while away was sent");
    expect(sentText(4)).toBe("Back online: the 4 changes you made while away were sent");
  });
});
