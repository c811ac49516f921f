// TabClaims: one client id per open tab (JOIN-6, SPEC CLOSE-3 on 4004).
//
// The client id lives in sessionStorage, and a browser copies sessionStorage into
// a duplicated tab: both tabs would join with one id and close each other (4004)
// forever. So a tab claims its id before it joins. With Web Locks (every current
// browser) the claim is an exclusive lock named after the id, held for the tab's
// life: the browser releases it when the document goes. A lock held by someone
// else is either a tab being reloaded (released in a moment) or another open tab
// (never released): we wait CLAIM_WAIT_MS for it, and a tab that does not get it
// is a duplicate and takes a new id. Without Web Locks, a BroadcastChannel asks
// the other tabs of the origin whether one holds the id. Reloading a tab keeps its
// id: the old document is gone (its lock released, its channel closed).

export const CLAIM_WAIT_MS = 400;
const LOCK_PREFIX = "tandem:client:";
const CHANNEL = "tandem:clients";

/** The part of the Web Locks API used here (navigator.locks). */
export interface LocksLike {
  request(name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }, cb: (lock: unknown) => unknown): Promise<unknown>;
}

/** The part of BroadcastChannel used here. */
export interface ChannelLike {
  postMessage(data: unknown): void;
  onmessage: ((ev: { data: unknown }) => void) | null;
  close(): void;
}

export interface ClaimEnv {
  locks?: LocksLike;
  channel?: () => ChannelLike;
}

export class TabClaims {
  private readonly releases = new Map<string, () => void>();
  private readonly held = new Set<string>();
  private channel: ChannelLike | null = null;
  private readonly hearers = new Set<(data: { have?: string; ask?: string }) => void>();

  constructor(private readonly env: ClaimEnv, private readonly waitMs = CLAIM_WAIT_MS) {}

  /** True when this tab now holds `id`; false when another open tab does. */
  claim = (id: string): Promise<boolean> => {
    if (this.held.has(id)) return Promise.resolve(true);
    if (this.env.locks) return this.claimWithLock(this.env.locks, id);
    if (this.env.channel) return this.claimWithChannel(id);
    this.held.add(id);
    return Promise.resolve(true); // nothing to ask: assume the tab is alone
  };

  /** Lets go of every id (the tab closes its board). */
  releaseAll(): void {
    for (const r of this.releases.values()) r();
    this.releases.clear();
    this.held.clear();
    this.channel?.close();
    this.channel = null;
  }

  private hold(id: string): Promise<void> {
    this.held.add(id);
    return new Promise<void>((release) => this.releases.set(id, release));
  }

  private async claimWithLock(locks: LocksLike, id: string): Promise<boolean> {
    const name = LOCK_PREFIX + id;
    const free = await new Promise<boolean>((resolve) => {
      locks
        .request(name, { ifAvailable: true }, (lock) => {
          resolve(lock !== null);
          return lock === null ? undefined : this.hold(id);
        })
        .catch(() => resolve(false));
    });
    if (free) return true;
    // Held: by this tab's previous document (a reload, released in a moment) or by another tab.
    const abort = new AbortController();
    return new Promise<boolean>((resolve) => {
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        abort.abort();
        resolve(false);
      }, this.waitMs);
      locks
        .request(name, { signal: abort.signal }, () => {
          if (done) return undefined; // too late: let it go
          done = true;
          clearTimeout(timer);
          resolve(true);
          return this.hold(id);
        })
        .catch(() => {});
    });
  }

  private claimWithChannel(id: string): Promise<boolean> {
    if (!this.channel) {
      const ch = this.env.channel!();
      ch.onmessage = (ev) => {
        const d = (ev.data ?? {}) as { have?: string; ask?: string };
        if (d.ask && this.held.has(d.ask)) ch.postMessage({ have: d.ask });
        for (const h of this.hearers) h(d);
      };
      this.channel = ch;
    }
    const ch = this.channel;
    return new Promise<boolean>((resolve) => {
      const hear = (d: { have?: string }) => {
        if (d.have !== id) return;
        this.hearers.delete(hear);
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.hearers.delete(hear);
        this.held.add(id);
        resolve(true);
      }, this.waitMs);
      this.hearers.add(hear);
      ch.postMessage({ ask: id });
    });
  }
}

/** The page's claims: Web Locks, else a BroadcastChannel, else none. */
export function browserTabClaims(): TabClaims {
  const nav = typeof navigator !== "undefined" ? (navigator as { locks?: LocksLike }) : undefined;
  return new TabClaims({
    locks: nav?.locks,
    channel: typeof BroadcastChannel !== "undefined" ? () => new BroadcastChannel(CHANNEL) as unknown as ChannelLike : undefined,
  });
}
