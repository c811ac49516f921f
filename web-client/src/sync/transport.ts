// ReconnectingSocket: one WebSocket to the server that comes back by itself.
//
// Acts on close codes (SPEC CLOSE-3, closeCodes.ts): at once after 1001 (the server
// restarts: it is back in a moment), after a random jitter of up to 250 ms after 4008
// (the board moved: the balancer routes the next connection to its new node, and a
// board's members do not all arrive in the same instant), after a short backoff with jitter otherwise
// (100 ms doubling, capped at 1.5 s while the page is visible, 30 s while hidden), and
// not at all after a code that stops the session (4002, 4004, 4005, 4006) until the
// page calls start() again. Reconnects at once when the browser comes back online
// and when the page becomes visible; with a socket still open then, asks the sync
// layer to check it (onWake). Knows nothing of the protocol (the sync layer sends
// pings, since browsers hide WebSocket pings, and calls restart() when the server
// went quiet).
import { closeAction, isStop } from "./closeCodes";

export const BACKOFF_BASE_MS = 100; // first retry after a drop
// Never wait longer than this between tries while the page is visible: a restarted
// server is answered within this (about 0.6 s on average, from 0.75-1.5 s intervals).
export const BACKOFF_MAX_MS = 1500;
export const BACKOFF_HIDDEN_MAX_MS = 30000; // nor this while it is hidden (a background tab)
export const MOVED_JITTER_MS = 250; // 4008: the first try after this much at most (CLUSTER-2)
export const CONNECT_TIMEOUT_MS = 10000; // a socket still not open after this is given up and retried

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
  /** `code`: the WebSocket close code, when the server sent one (SPEC CLOSE-2, CLOSE-3). */
  onClose(code?: number): void;
  /** The page came back (visible, online) with a socket still open: it may be dead (a laptop slept). */
  onWake?(): void;
}

export type SocketFactory = (url: string) => SocketLike;

/** The page's environment, injectable for tests: online/offline and visibility. */
export interface PageEnv {
  addEventListener(type: string, fn: () => void): void;
  removeEventListener(type: string, fn: () => void): void;
  /** navigator.onLine === false */
  offline(): boolean;
  hidden(): boolean;
}

const browserEnv = (): PageEnv | null => {
  if (typeof window === "undefined") return null;
  return {
    addEventListener: (t, fn) => (t === "visibilitychange" ? document : window).addEventListener(t, fn),
    removeEventListener: (t, fn) => (t === "visibilitychange" ? document : window).removeEventListener(t, fn),
    offline: () => typeof navigator !== "undefined" && navigator.onLine === false,
    hidden: () => typeof document !== "undefined" && document.visibilityState === "hidden",
  };
};

export class ReconnectingSocket {
  private socket: SocketLike | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private connectTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private offline = false;
  private readonly env: PageEnv | null;

  constructor(
    private readonly url: string,
    private readonly handlers: SocketHandlers,
    private readonly factory: SocketFactory = (u) => new WebSocket(u) as unknown as SocketLike,
    private readonly random: () => number = Math.random,
    env?: PageEnv | null,
  ) {
    this.env = env === undefined ? browserEnv() : env;
    this.offline = this.env?.offline() ?? false;
  }

  /** Connects (again, after a stop: e.g. taking over from another tab). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.env?.addEventListener("offline", this.goOffline);
    this.env?.addEventListener("online", this.goOnline);
    this.env?.addEventListener("visibilitychange", this.onVisibility);
    if (!this.offline) this.open();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
    this.drop();
    this.env?.removeEventListener("offline", this.goOffline);
    this.env?.removeEventListener("online", this.goOnline);
    this.env?.removeEventListener("visibilitychange", this.onVisibility);
  }

  /** The connection works: the next drop starts the backoff from the beginning. */
  healthy(): void {
    this.attempt = 0;
  }

  /** Drops the connection (it went quiet, or the server cannot take us now) and reconnects after a backoff. */
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

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Milliseconds until the next try, or null when none is scheduled (for tests and the UI). */
  nextTryIn: number | null = null;

  /**
   * Delay before try number `attempt` (0-based): 100 ms doubling, capped at `cap`,
   * jittered down to half (so a crowd of clients spreads out, and none waits past the cap).
   */
  static delay(attempt: number, random: () => number = Math.random, cap = BACKOFF_MAX_MS): number {
    const base = Math.min(cap, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 30));
    return Math.round(base * (0.5 + random() / 2));
  }

  private open(): void {
    this.clearTimer();
    const s = this.factory(this.url);
    this.socket = s;
    s.binaryType = "arraybuffer";
    this.connectTimer = setTimeout(() => {
      this.connectTimer = null;
      if (this.socket === s && s.readyState !== 1) this.restart();
    }, CONNECT_TIMEOUT_MS);
    s.onopen = () => {
      if (this.socket !== s) return;
      this.clearConnectTimer();
      this.handlers.onOpen();
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
      this.clearConnectTimer();
      const code = ev?.code;
      const action = closeAction(code);
      if (isStop(action)) this.stop(); // CLOSE-3: only the page starts it again
      this.handlers.onClose(code);
      if (this.stopped || this.offline) return;
      if (action === "now" && this.attempt === 0) {
        // The server is going away and back (CLOSE-1): try at once, then back off if it is not up yet.
        this.attempt = 1;
        this.open();
      } else if (action === "soon" && this.attempt === 0) {
        // The board moved (CLUSTER-2): its new node takes it now. Again: the normal backoff.
        this.attempt = 1;
        this.wait(Math.round(this.random() * MOVED_JITTER_MS));
      } else this.schedule();
    };
    s.onerror = () => {};
  }

  private drop(): void {
    const s = this.socket;
    this.socket = null;
    this.clearConnectTimer();
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
    const cap = this.env?.hidden() ? BACKOFF_HIDDEN_MAX_MS : BACKOFF_MAX_MS;
    this.wait(ReconnectingSocket.delay(this.attempt++, this.random, cap));
  }

  private wait(ms: number): void {
    if (this.stopped || this.offline || this.timer) return;
    const wait = ms;
    this.nextTryIn = wait;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.nextTryIn = null;
      if (!this.stopped && !this.offline) this.open();
    }, wait);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextTryIn = null;
  }

  private clearConnectTimer(): void {
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = null;
  }

  /** Waiting to retry and something says now is a good time: try at once, backoff from the start. */
  private retryNow(): void {
    if (this.stopped || this.offline || this.socket) return;
    this.attempt = 0;
    this.open();
  }

  private goOffline = () => {
    this.offline = true;
    this.clearTimer();
    const had = this.socket !== null;
    this.drop();
    if (had) this.handlers.onClose();
  };

  private goOnline = () => {
    this.offline = false;
    this.wake();
  };

  private onVisibility = () => {
    if (this.env?.hidden()) return;
    this.wake();
  };

  private wake(): void {
    if (this.socket?.readyState === 1) this.handlers.onWake?.();
    else this.retryNow();
  }
}
