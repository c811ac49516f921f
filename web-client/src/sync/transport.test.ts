// ReconnectingSocket on its own: what it does after each close code (SPEC CLOSE-3),
// the backoff schedule (100 ms doubling with jitter, capped at 1.5 s while visible,
// 30 s while hidden), and the shortcuts: at once after 1001, within a short jitter
// after 4008 (the board moved, CLUSTER-2), on `online`, and when the page becomes visible.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CLOSE_POLICY, closeAction } from "./closeCodes";
import type { PageEnv } from "./transport";
import { FakeSocket as Sock } from "../testing/fakeSocket";
import { BACKOFF_BASE_MS, BACKOFF_HIDDEN_MAX_MS, BACKOFF_MAX_MS, CONNECT_TIMEOUT_MS, MOVED_JITTER_MS, ReconnectingSocket } from "./transport";


class Env implements PageEnv {
  private fns = new Map<string, Set<() => void>>();
  isOffline = false;
  isHidden = false;
  addEventListener(t: string, fn: () => void) {
    if (!this.fns.has(t)) this.fns.set(t, new Set());
    this.fns.get(t)!.add(fn);
  }
  removeEventListener(t: string, fn: () => void) {
    this.fns.get(t)?.delete(fn);
  }
  offline() {
    return this.isOffline;
  }
  hidden() {
    return this.isHidden;
  }
  fire(t: string) {
    for (const fn of this.fns.get(t) ?? []) fn();
  }
}

describe("ReconnectingSocket", () => {
  let socks: Sock[];
  let closes: (number | undefined)[];
  let env: Env;
  const make = (random = () => 1) => {
    const r = new ReconnectingSocket("ws://x/ws", { onOpen() {}, onMessage() {}, onClose: (c) => closes.push(c) }, () => {
      const s = new Sock();
      socks.push(s);
      return s;
    }, random, env);
    r.start();
    return r;
  };
  beforeEach(() => {
    vi.useFakeTimers();
    socks = [];
    closes = [];
    env = new Env();
  });
  afterEach(() => vi.useRealTimers());

  it("has an action for every close code the server sends (CLOSE-3)", () => {
    expect(Object.keys(CLOSE_POLICY).map(Number).sort()).toEqual([1000, 1001, 1006, 1009, 1011, 4001, 4002, 4003, 4004, 4005, 4006, 4007, 4008, 4009]);
    expect(closeAction(1001)).toBe("now");
    expect(closeAction(4008)).toBe("soon");
    expect(closeAction(4002)).toBe("outdated");
    expect(closeAction(4004)).toBe("replaced");
    expect(closeAction(4005)).toBe("deleted");
    expect(closeAction(4006)).toBe("revoked");
    for (const c of [1000, 1006, 1009, 1011, 4001, 4003, 4007, 4009, 4999, undefined]) expect(closeAction(c)).toBe("backoff");
  });

  it("backs off: 100 ms doubling, jittered down to half, capped at 1.5 s while visible and 30 s while hidden", () => {
    const top = () => 0.999999;
    expect([0, 1, 2, 3, 4, 5, 6, 40].map((a) => ReconnectingSocket.delay(a, top))).toEqual([100, 200, 400, 800, 1500, 1500, 1500, 1500]);
    expect([0, 1, 2, 3, 4, 5].map((a) => ReconnectingSocket.delay(a, () => 0))).toEqual([50, 100, 200, 400, 750, 750]);
    expect(ReconnectingSocket.delay(20, top, BACKOFF_HIDDEN_MAX_MS)).toBe(BACKOFF_HIDDEN_MAX_MS);
    expect(BACKOFF_BASE_MS).toBe(100);
    expect(BACKOFF_MAX_MS).toBeLessThanOrEqual(3000);
  });

  it("retries a refused connection on that schedule, and from the start once healthy", () => {
    const r = make();
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      socks.at(-1)!.drop(1006); // connection refused
      waits.push(r.nextTryIn!);
      vi.advanceTimersByTime(r.nextTryIn!);
    }
    expect(waits).toEqual([100, 200, 400, 800, 1500, 1500, 1500]);
    expect(socks).toHaveLength(8);
    socks.at(-1)!.open();
    r.healthy(); // the sync layer says so on the welcome
    socks.at(-1)!.drop(1006);
    expect(r.nextTryIn).toBe(100);
  });

  it("retries at once after 1001 (server going away), then backs off while it is down", () => {
    const r = make();
    socks[0].open();
    socks[0].drop(1001);
    expect(socks).toHaveLength(2); // no wait
    socks[1].drop(1006); // not up yet
    expect(socks).toHaveLength(2);
    expect(r.nextTryIn).toBe(200);
    vi.advanceTimersByTime(200);
    expect(socks).toHaveLength(3);
    socks[2].open();
    r.healthy();
    socks[2].drop(1001); // a second restart later on: at once again
    expect(socks).toHaveLength(4);
  });

  it("retries within a short jitter after 4008 (the board moved), then backs off if it repeats", () => {
    const r = make(() => 0.5);
    socks[0].open();
    r.healthy();
    socks[0].drop(4008);
    expect(socks).toHaveLength(1); // not in the same instant as the board's other members
    expect(r.nextTryIn).toBe(Math.round(MOVED_JITTER_MS * 0.5));
    expect(r.nextTryIn!).toBeLessThan(BACKOFF_BASE_MS * 3);
    vi.advanceTimersByTime(r.nextTryIn!);
    expect(socks).toHaveLength(2);
    socks[1].open();
    socks[1].drop(4008); // moved again before a welcome: the normal backoff, growing
    expect(r.nextTryIn).toBe(ReconnectingSocket.delay(1, () => 0.5));
    vi.advanceTimersByTime(r.nextTryIn!);
    socks[2].drop(4008);
    expect(r.nextTryIn).toBe(ReconnectingSocket.delay(2, () => 0.5));
    vi.advanceTimersByTime(r.nextTryIn!);
    socks[3].open();
    r.healthy(); // welcomed on the new node
    socks[3].drop(4008); // moved once more, later: within the jitter again
    expect(r.nextTryIn).toBe(Math.round(MOVED_JITTER_MS * 0.5));
    expect(closes).toEqual([4008, 4008, 4008, 4008]);
  });

  it("backs off after every other retryable code", () => {
    for (const code of [1000, 1006, 1009, 1011, 4001, 4003, 4009]) {
      socks = [];
      const r = make();
      socks[0].open();
      r.healthy();
      socks[0].drop(code);
      expect(socks, `code ${code}`).toHaveLength(1);
      expect(r.nextTryIn, `code ${code}`).toBe(100);
      vi.advanceTimersByTime(100);
      expect(socks, `code ${code}`).toHaveLength(2);
      r.stop();
    }
  });

  it("stops after 4002, 4004, 4005 and 4006, until started again", () => {
    for (const code of [4002, 4004, 4005, 4006]) {
      socks = [];
      closes = [];
      const r = make();
      socks[0].open();
      socks[0].drop(code);
      expect(closes).toEqual([code]);
      expect(r.isStopped).toBe(true);
      env.fire("online");
      env.fire("visibilitychange");
      vi.advanceTimersByTime(BACKOFF_HIDDEN_MAX_MS * 2);
      expect(socks, `code ${code}`).toHaveLength(1);
      r.start(); // a takeover
      expect(socks).toHaveLength(2);
      r.stop();
    }
  });

  it("waits up to 30 s between tries while the page is hidden, and tries at once when it becomes visible", () => {
    const r = make();
    env.isHidden = true;
    for (let i = 0; i < 12; i++) {
      socks.at(-1)!.drop(1006);
      vi.advanceTimersByTime(r.nextTryIn!);
    }
    socks.at(-1)!.drop(1006);
    expect(r.nextTryIn).toBe(BACKOFF_HIDDEN_MAX_MS);
    const n = socks.length;
    env.isHidden = false;
    env.fire("visibilitychange");
    expect(socks).toHaveLength(n + 1); // no wait
    socks.at(-1)!.drop(1006);
    expect(r.nextTryIn).toBe(100); // and the backoff starts over
  });

  it("goes offline with the browser and tries at once when it is back online", () => {
    const r = make();
    socks[0].open();
    env.isOffline = true;
    env.fire("offline");
    expect(closes).toEqual([undefined]);
    expect(r.isOffline).toBe(true);
    vi.advanceTimersByTime(60000);
    expect(socks).toHaveLength(1);
    env.isOffline = false;
    env.fire("online");
    expect(socks).toHaveLength(2);
  });

  it("asks the sync layer to check an open connection when the page becomes visible or online", () => {
    let wakes = 0;
    const r = new ReconnectingSocket("ws://x/ws", { onOpen() {}, onMessage() {}, onClose() {}, onWake: () => wakes++ }, () => {
      const s = new Sock();
      socks.push(s);
      return s;
    }, () => 1, env);
    r.start();
    env.fire("visibilitychange"); // still connecting: nothing to check, nothing to open
    expect([wakes, socks.length]).toEqual([0, 1]);
    socks[0].open();
    env.fire("visibilitychange");
    env.fire("online");
    expect([wakes, socks.length]).toEqual([2, 1]);
    r.stop();
  });

  it("gives up on a connection that does not open and tries again", () => {
    make();
    vi.advanceTimersByTime(CONNECT_TIMEOUT_MS);
    expect(closes).toEqual([undefined]);
    vi.advanceTimersByTime(100);
    expect(socks).toHaveLength(2);
  });
});
