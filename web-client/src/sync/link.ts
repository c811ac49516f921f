// Link: the connection to the board server as the sync client uses it. Wraps the
// reconnecting socket (transport.ts), checks it is alive (app-level pings, silence and
// wake limits), and encodes what the client sends: the join, presence, pings and
// changes, resent in frames of at most MAX_FRAME_BYTES (FRAME-3).
import type { MessageInitShape } from "@bufbuild/protobuf";
import { create, toBinary } from "@bufbuild/protobuf";
import type { Change } from "../gen/board_pb";
import { ChangeSchema } from "../gen/board_pb";
import { ClientMessageSchema, ProtocolVersion } from "../gen/sync_pb";
import type { PendingChange } from "./outbox";
import type { SyncOptions } from "./syncTypes";
import { ReconnectingSocket } from "./transport";

export const PING_INTERVAL_MS = 5000; // browsers hide WebSocket pings: an app-level one
export const SILENCE_LIMIT_MS = 15000; // no frame for this long: the connection is dead
export const WAKE_LIMIT_MS = 3000; // back to a visible page: no answer to a ping within this, the connection is dead
export const MAX_FRAME_BYTES = 256 * 1024; // resends go in frames of at most this (the server closes past 1 MiB, FRAME-3)

/** What the link tells the client: the socket opened, a frame came, the socket closed. */
export interface LinkHandlers {
  onOpen: () => void;
  onFrame: (bytes: Uint8Array) => void;
  onClose: (code?: number) => void;
}

type ClientKind = MessageInitShape<typeof ClientMessageSchema>["kind"];

export class Link {
  /** Joined: the welcome came on this connection, and it is still open. */
  joined = false;
  private socket: ReconnectingSocket;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private lastFrameAt = Date.now();
  private wakeTimer: ReturnType<typeof setTimeout> | null = null;
  /** When the join of this connection was sent (local ms): the Welcome's round trip (FAC-3). */
  joinSentAt: number | null = null;
  /** Pings not yet answered on this connection: nonce -> local send time (FAC-3 round trips). */
  private pings = new Map<bigint, number>();

  constructor(
    private readonly opts: SyncOptions,
    on: LinkHandlers,
  ) {
    this.socket = new ReconnectingSocket(
      opts.url,
      {
        onOpen: on.onOpen,
        onMessage: (b) => {
          this.lastFrameAt = Date.now();
          on.onFrame(b);
        },
        onClose: on.onClose,
        onWake: () => this.onWake(),
      },
      opts.socketFactory,
      Math.random,
      opts.pageEnv,
    );
  }

  /** The local clock the round trips are timed on (SyncOptions.now, Date.now by default). */
  private now(): number {
    return this.opts.now ? this.opts.now() : Date.now();
  }

  /** Connects (again), pinging while joined. */
  start(): void {
    this.socket.start();
    if (!this.pingTimer) this.pingTimer = setInterval(() => this.tick(), PING_INTERVAL_MS);
  }

  /** Closes and stays closed. */
  stop(): void {
    this.socket.stop();
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  /** The connection works (a welcome came): the next drop retries from the first backoff. */
  healthy(): void {
    this.socket.healthy();
  }

  /** Drops this connection (it went quiet, or the server cannot take us now) and reconnects after a backoff. */
  restart(): void {
    this.socket.restart();
  }

  get isOffline(): boolean {
    return this.socket.isOffline;
  }

  /** How long until the next connection try, in ms, when waiting for one. */
  get nextTryIn(): number | null {
    return this.socket.nextTryIn;
  }

  send(kind: ClientKind): boolean {
    return this.socket.send(toBinary(ClientMessageSchema, create(ClientMessageSchema, { kind })));
  }

  join(clientId: string, lastSeenSeq: bigint): void {
    this.joinSentAt = this.now();
    this.pings.clear();
    this.send({
      case: "join",
      value: {
        protocolVersion: ProtocolVersion.CURRENT,
        boardId: this.opts.boardId,
        clientId,
        token: this.opts.token,
        color: this.opts.color,
        lastSeenSeq,
      },
    });
  }

  /** Sends changes in client_seq order, in frames of at most MAX_FRAME_BYTES (FRAME-3). */
  sendChanges(list: PendingChange[]): void {
    let batch: Change[] = [];
    let bytes = 0;
    const flush = () => {
      if (batch.length) this.send({ case: "submit", value: { changes: batch } });
      batch = [];
      bytes = 0;
    };
    for (const p of list) {
      const c = create(ChangeSchema, p);
      const size = toBinary(ChangeSchema, c).length + 8;
      if (bytes + size > MAX_FRAME_BYTES) flush();
      batch.push(c);
      bytes += size;
    }
    flush();
  }

  /** The page is visible (or online) again with the socket open: check it still works, quickly. */
  private onWake(): void {
    if (!this.joined) return;
    const at = Date.now();
    this.ping();
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      if (this.joined && this.lastFrameAt < at) this.socket.restart();
    }, WAKE_LIMIT_MS);
  }

  private tick(): void {
    if (!this.joined) return;
    if (Date.now() - this.lastFrameAt > SILENCE_LIMIT_MS) return this.socket.restart();
    this.ping();
  }

  /** Sends a ping (its nonce is its local send time), remembering when it left. */
  ping(): void {
    const at = this.now();
    let nonce = BigInt(at);
    while (this.pings.has(nonce)) nonce++; // two in one ms
    if (this.pings.size >= 64) this.pings.delete(this.pings.keys().next().value!); // unanswered: forget the oldest
    this.pings.set(nonce, at);
    this.send({ case: "ping", value: { nonce } });
  }

  /** A pong for `nonce` came: when its ping left (local ms), or null when it was not ours or answered before. */
  pongSentAt(nonce: bigint): number | null {
    const at = this.pings.get(nonce);
    if (at === undefined) return null;
    this.pings.delete(nonce);
    return at;
  }
}
