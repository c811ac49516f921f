// Retry of changes refused for now (REJ-2: STORAGE_UNAVAILABLE, RATE_LIMITED): such a
// change stays pending and is held, with every change made behind it, and all go again
// with the same client_seq after a backoff (RETRY_BASE_MS doubling, capped, jittered).
import { RejectCode } from "../gen/sync_pb";

export const RETRY_BASE_MS = 500; // first resend of a change refused for now (REJ-2)
export const RETRY_MAX_MS = 30000;

/** Rejects that say "not now" rather than "never": the change stays pending and goes again (REJ-2). */
export const RETRYABLE_REJECTS: ReadonlySet<RejectCode> = new Set([RejectCode.STORAGE_UNAVAILABLE, RejectCode.RATE_LIMITED]);

export class Retry {
  /** Changes refused for now (REJ-2), waiting for their resend. */
  private held = new Set<bigint>();
  private retryAttempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  /** When the backoff is over and `ready()`, `resend` gets the held client_seqs, no longer held. */
  constructor(
    private readonly ready: () => boolean,
    private readonly resend: (held: ReadonlySet<bigint>) => void,
  ) {}

  /** Some change is held: a new one waits behind it (it may build on it). */
  get holding(): boolean {
    return this.held.size > 0;
  }

  /** Holds a new change behind those refused for now. */
  hold(clientSeq: bigint): void {
    this.held.add(clientSeq);
  }

  /**
   * REJ-2: `clientSeq` was refused for now (not applied, not recorded): held, and resent
   * after a backoff. Returns the message to show, or null when one shows already.
   */
  refused(clientSeq: bigint, code: RejectCode): string | null {
    const message = this.held.size
      ? null
      : code === RejectCode.RATE_LIMITED
        ? "Too many changes at once: yours are kept and will be sent again"
        : "The server could not save your change just now: it is kept and will be sent again";
    this.held.add(clientSeq);
    this.scheduleRetry();
    return message;
  }

  /** `clientSeq` was acked: the server takes changes again. */
  acked(clientSeq: bigint): void {
    this.held.delete(clientSeq);
    this.retryAttempt = 0;
  }

  /** Stops waiting (the welcome resends everything pending). */
  clear(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.held.clear();
  }

  /** Resends the held changes (REJ-2) after a backoff: RETRY_BASE_MS doubling, capped, jittered. */
  private scheduleRetry(): void {
    if (this.retryTimer) return;
    const base = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(this.retryAttempt++, 20));
    const wait = Math.round(base * (0.5 + Math.random() / 2));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.ready() || !this.held.size) return;
      const again = this.held;
      this.held = new Set();
      this.resend(again);
    }, wait);
  }
}
