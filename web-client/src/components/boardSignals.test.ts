import { effect } from "@preact/signals";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { FrameChanges } from "../sync/frameChanges";
import type { SyncClient } from "../sync/syncClient";
import { SENT_SHOW_MS, boardSignals, stopOf } from "./boardSignals";

// Only what boardSignals reads from the client.
function fakeClient() {
  return {
    status: "connecting", pendingCount: 0, wasOnline: false, initialized: false,
    view: { title: "" }, canUpdateBoard: true, canWrite: true, stopped: false, ended: false,
    canUndo: false, canRedo: false, me: { name: "Ann" }, role: 3,
    peers: new Map<string, { member: { userName: string; color: string } }>(),
  };
}

const objectsOnly = (): FrameChanges => ({ all: false, objects: new Set(["n1"]), settings: false, presence: new Set(), status: false });

function setup() {
  const c = fakeClient();
  const s = boardSignals(c as unknown as SyncClient, { boardId: "b1", fallbackTitle: "…", fallbackRole: "owner", canShare: () => true });
  const runs = { header: 0, peers: 0 };
  effect(() => void (s.header.value, runs.header++));
  effect(() => void (s.peers.value, runs.peers++));
  return { c, s, runs };
}

describe("boardSignals", () => {
  it("does not wake the header or who is here for a frame that changed only objects", () => {
    const { s, runs } = setup();
    s.update(objectsOnly());
    s.update(objectsOnly());
    expect(runs).toEqual({ header: 1, peers: 1 });
  });

  it("updates the header when what it shows changes, and who is here on presence frames", () => {
    const { c, s, runs } = setup();
    c.status = "online";
    c.initialized = true;
    c.view.title = "Pricing";
    s.update({ ...objectsOnly(), status: true });
    expect(s.header.value).toMatchObject({ status: "online", statusText: "Live", title: "Pricing" });
    expect(runs.header).toBe(2);
    c.peers.set("c2", { member: { userName: "Bob", color: "" } });
    s.update(objectsOnly()); // presence not named: not re-read
    expect(s.peers.value).toEqual([]);
    s.update({ ...objectsOnly(), presence: new Set(["c2"]) });
    expect(s.peers.value.map((p) => p.name)).toEqual(["Bob"]);
    expect(runs.peers).toBe(2);
    s.update(); // no changes given: everything is re-read, nothing differs
    expect(runs).toEqual({ header: 2, peers: 2 });
  });

  it("shows a viewer as view only until the session stops, and the stop reason for the banner", () => {
    const { c, s } = setup();
    c.canWrite = false;
    s.update();
    expect(s.header.value.viewOnly).toBe(true);
    c.status = "revoked";
    c.stopped = true;
    s.update();
    expect(s.header.value.viewOnly).toBe(false);
    expect(s.stop.value).toBe("revoked");
    expect(stopOf("offline")).toBeNull();
  });

  afterEach(() => vi.useRealTimers());

  it("says the changes kept while away were sent once back and confirmed, for a while", () => {
    vi.useFakeTimers();
    const c = fakeClient();
    const sent: number[] = [];
    const s = boardSignals(c as unknown as SyncClient, { boardId: "b1", fallbackTitle: "…", fallbackRole: "owner", canShare: () => true, onSent: (n) => sent.push(n) });
    Object.assign(c, { status: "online", wasOnline: true });
    s.update();
    Object.assign(c, { status: "connecting", pendingCount: 1 });
    s.update();
    expect(s.header.value.statusText).toBe("Reconnecting… · 1 change kept on this device, sent when back online");
    c.pendingCount = 2;
    s.update();
    Object.assign(c, { status: "online" });
    s.update();
    expect(s.header.value.statusText).toBe("Live · sending 2 changes");
    c.pendingCount = 0;
    s.update();
    expect(s.header.value.statusText).toBe("Live · 2 changes sent");
    expect(sent).toEqual([2]);
    vi.advanceTimersByTime(SENT_SHOW_MS);
    expect(s.header.value.statusText).toBe("Live");
    s.update();
    expect(sent).toEqual([2]); // once
  });
});
