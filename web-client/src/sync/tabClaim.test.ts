// Duplicate-tab detection (SPEC TAB-1): a tab claims its client id before it joins. A second
// open tab with the same id (a duplicated tab: sessionStorage copied) does not get
// it; a reloaded tab does (its old document let go); with Web Locks and, where
// those are missing, with a BroadcastChannel.
import { afterEach, describe, expect, it } from "vitest";
import type { ChannelLike, LocksLike } from "./tabClaim";
import { TabClaims } from "./tabClaim";

/** Web Locks for one origin: exclusive locks, `ifAvailable`, abortable waits, released when the callback's promise settles. */
class FakeLocks implements LocksLike {
  private held = new Set<string>();
  private waiting = new Map<string, (() => void)[]>();
  async request(name: string, opts: { ifAvailable?: boolean; signal?: AbortSignal }, cb: (lock: unknown) => unknown) {
    if (this.held.has(name)) {
      if (opts.ifAvailable) return cb(null);
      await new Promise<void>((resolve, reject) => {
        const q = this.waiting.get(name) ?? [];
        this.waiting.set(name, q);
        q.push(resolve);
        opts.signal?.addEventListener("abort", () => {
          const i = q.indexOf(resolve);
          if (i >= 0) q.splice(i, 1);
          reject(new Error("AbortError"));
        });
      });
    }
    this.held.add(name);
    try {
      return await cb({ name });
    } finally {
      this.held.delete(name);
      this.waiting.get(name)?.shift()?.();
    }
  }
}

const WAIT = 40;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("TabClaims with Web Locks", () => {
  it("gives an id to the first tab only: a duplicated tab is told another holds it", async () => {
    const locks = new FakeLocks();
    const original = new TabClaims({ locks }, WAIT);
    const duplicate = new TabClaims({ locks }, WAIT);
    expect(await original.claim("c1")).toBe(true);
    expect(await original.claim("c1")).toBe(true); // already ours
    expect(await duplicate.claim("c1")).toBe(false);
    expect(await duplicate.claim("c2")).toBe(true); // its new id
    original.releaseAll();
    duplicate.releaseAll();
  });

  it("gives the id to a reloaded tab: the old document lets go within the wait", async () => {
    const locks = new FakeLocks();
    const before = new TabClaims({ locks }, WAIT);
    expect(await before.claim("c1")).toBe(true);
    const after = new TabClaims({ locks }, WAIT);
    const claimed = after.claim("c1");
    await sleep(5);
    before.releaseAll(); // the old document is gone a moment later
    expect(await claimed).toBe(true);
    after.releaseAll();
  });

  it("gives the id to another tab once the holder closed", async () => {
    const locks = new FakeLocks();
    const a = new TabClaims({ locks }, WAIT);
    expect(await a.claim("c1")).toBe(true);
    a.releaseAll();
    await sleep(0);
    const b = new TabClaims({ locks }, WAIT);
    expect(await b.claim("c1")).toBe(true);
    b.releaseAll();
  });
});

describe("TabClaims with a BroadcastChannel (no Web Locks)", () => {
  const open: TabClaims[] = [];
  const tab = () => {
    const t = new TabClaims({ channel: () => new BroadcastChannel("tandem-test") as unknown as ChannelLike }, WAIT);
    open.push(t);
    return t;
  };
  afterEach(() => {
    for (const t of open.splice(0)) t.releaseAll();
  });

  it("hears that another open tab holds the id", async () => {
    const original = tab();
    const duplicate = tab();
    expect(await original.claim("c1")).toBe(true);
    expect(await duplicate.claim("c1")).toBe(false);
    expect(await duplicate.claim("c2")).toBe(true);
    const third = tab();
    expect(await third.claim("c2")).toBe(false);
  });

  it("gives the id to a reloaded tab: the old document no longer answers", async () => {
    const before = tab();
    expect(await before.claim("c1")).toBe(true);
    before.releaseAll();
    expect(await tab().claim("c1")).toBe(true);
  });
});

describe("TabClaims with neither", () => {
  it("assumes the tab is alone", async () => {
    expect(await new TabClaims({}).claim("c1")).toBe(true);
  });
});
