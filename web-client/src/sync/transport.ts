// ReconnectingSocket: one WebSocket to the server that comes back by itself.
//
// Reconnects with exponential backoff and jitter, so a server restart does not
// turn into a storm of reconnects; follows the browser's online/offline events;
// knows nothing of the protocol (the sync layer sends pings, since browsers hide
// WebSocket pings, and calls restart() when the server went quiet).

export const BACKOFF_BASE_MS = 250; // first retry after a drop
export const BACKOFF_MAX_MS = 8000; // never wait longer than this between tries

export interface SocketLike {
  binaryType: string;
  readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code?: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: Uint8Array): void;
  close(): void;
}

export interface SocketHandlers {
  onOpen(): void;
  onMessage(bytes: Uint8Array): void;
  /** `code`: the WebSocket close code, when the server sent one (SPEC CLOSE-2). */
  onClose(code?: number): void;
}

export type SocketFactory = (url: string) => SocketLike;

export class ReconnectingSocket {
  private socket: SocketLike | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private offline = false;

  constructor(
    private readonly url: string,
    private readonly handlers: SocketHandlers,
    private readonly factory: SocketFactory = (u) => new WebSocket(u) as unknown as SocketLike,
    private readonly random: () => number = Math.random,
  ) {
    if (typeof window !== "undefined") {
      window.addEventListener("offline", this.goOffline);
      window.addEventListener("online", this.goOnline);
      this.offline = typeof navigator !== "undefined" && navigator.onLine === false;
    }
  }

  start(): void {
    this.stopped = false;
    if (!this.offline) this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.drop();
    if (typeof window !== "undefined") {
      window.removeEventListener("offline", this.goOffline);
      window.removeEventListener("online", this.goOnline);
    }
  }

  /** The connection works: the next drop starts the backoff from the beginning. */
  healthy(): void {
    this.attempt = 0;
  }

  /** Drops the connection (it went quiet) and reconnects. */
  restart(): void {
    this.drop();
    this.handlers.onClose();
    this.schedule();
  }

  send(bytes: Uint8Array): boolean {
    if (!this.socket || this.socket.readyState !== 1) return false;
    this.socket.send(bytes);
    return true;
  }

  get isOffline(): boolean {
    return this.offline;
  }

  /** Delay before try number `attempt` (0-based): exponential, capped, jittered by +-50%. */
  static delay(attempt: number, random: () => number = Math.random): number {
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
    return Math.round(base * (0.5 + random()));
  }

  private open(): void {
    const s = this.factory(this.url);
    this.socket = s;
    s.binaryType = "arraybuffer";
    s.onopen = () => {
      if (this.socket === s) this.handlers.onOpen();
    };
    s.onmessage = (ev) => {
      if (this.socket !== s) return;
      const d = ev.data;
      if (d instanceof ArrayBuffer) this.handlers.onMessage(new Uint8Array(d));
      else if (d instanceof Uint8Array) this.handlers.onMessage(d);
    };
    s.onclose = (ev) => {
      if (this.socket !== s) return;
      this.socket = null;
      this.handlers.onClose(ev?.code);
      this.schedule(); // unless onClose stopped it
    };
    s.onerror = () => {};
  }

  private drop(): void {
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onopen = s.onmessage = s.onclose = s.onerror = null;
      try {
        s.close();
      } catch {
        /* already closed */
      }
    }
  }

  private schedule(): void {
    if (this.stopped || this.offline || this.timer) return;
    const wait = ReconnectingSocket.delay(this.attempt++, this.random);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopped && !this.offline) this.open();
    }, wait);
  }

  private goOffline = () => {
    this.offline = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const had = this.socket !== null;
    this.drop();
    if (had) this.handlers.onClose();
  };

  private goOnline = () => {
    this.offline = false;
    this.attempt = 0;
    if (!this.stopped && !this.socket) this.open();
  };
}
