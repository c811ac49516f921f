// The server's clock as this client estimates it (SPEC FAC-3): timers run on the
// server's time (a timer op's time is its change's server_time_ms), so a client shows
// `ends_at_ms - (now + offset)` with `offset = server time - local time`.
//
// Samples come from the Welcome (answering our Join) and each Pong (answering a Ping
// of link.ts), both carrying `server_time_ms`. The server read its clock somewhere
// within the round trip; assuming the middle, the error is at most half the round
// trip, so the sample with the shortest round trip is kept. A new connection starts
// over (the local clock may have jumped while the page slept, the route changed).

export class ServerClock {
  private best: { rtt: number; offset: number } | null = null;

  /** `now`: the local clock (Date.now; tests pass a fake one). */
  constructor(private readonly now: () => number = () => Date.now()) {}

  /**
   * A server time read between `sentAt` (our request left) and `receivedAt` (its answer
   * came), local ms. Kept when its round trip is the shortest so far. A server time of
   * 0 (an older server, or no answer) or a negative round trip is ignored.
   */
  sample(sentAt: number, serverTimeMs: number, receivedAt: number = this.now()): void {
    if (!(serverTimeMs > 0) || !Number.isFinite(sentAt) || receivedAt < sentAt) return;
    const rtt = receivedAt - sentAt;
    if (this.best && rtt >= this.best.rtt) return;
    this.best = { rtt, offset: serverTimeMs - (sentAt + rtt / 2) };
  }

  /** A new connection: forget the samples of the old one (the next one is kept whatever its round trip). */
  reset(): void {
    this.best = null;
  }

  /** Server time minus local time, in ms (0 until a sample came). */
  get offset(): number {
    return this.best?.offset ?? 0;
  }

  /** The round trip of the kept sample, ms (null: none yet): the offset is good to half of it. */
  get roundTrip(): number | null {
    return this.best?.rtt ?? null;
  }

  /** True once a sample came. */
  get synced(): boolean {
    return this.best !== null;
  }

  /** The server's time now, unix ms, as best known. */
  serverNow(): number {
    return this.now() + this.offset;
  }
}
