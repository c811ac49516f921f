// The sync layer against a scripted server: optimistic apply, pending values kept,
// rollback on reject, the offline queue and its resend, persistence, undo/redo.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Op } from "../gen/board_pb";
import { BoardKind, ObjectType, SequencedChangeSchema } from "../gen/board_pb";
import type { ClientMessage, ServerMessage } from "../gen/sync_pb";
import { ClientMessageSchema, ServerFrameSchema, ServerMessageSchema } from "../gen/sync_pb";
import { op } from "./ops";
import { SyncClient } from "./syncClient";
import type { SocketLike } from "./transport";
import { BACKOFF_MAX_MS, ReconnectingSocket } from "./transport";

class FakeSocket implements SocketLike {
  binaryType = "";
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  sent: ClientMessage[] = [];
  send(data: Uint8Array) {
    this.sent.push(fromBinary(ClientMessageSchema, data));
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  deliver(...msgs: ServerMessage["kind"][]) {
    const frame = create(ServerFrameSchema, { messages: msgs.map((kind) => create(ServerMessageSchema, { kind })) });
    this.onmessage?.({ data: toBinary(ServerFrameSchema, frame).buffer });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({});
  }
  submitted(): bigint[] {
    return this.sent.flatMap((m) => (m.kind.case === "submit" ? m.kind.value.changes.map((c) => c.clientSeq) : []));
  }
}

class MemoryStorage {
  data = new Map<string, string>();
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
}

function welcome(headSeq = 0n, lastClientSeq = 0n): ServerMessage["kind"] {
  return {
    case: "welcome",
    value: create(ServerMessageSchema, {
      kind: { case: "welcome", value: { headSeq, lastClientSeq, board: { id: "b", title: "B", kind: BoardKind.DISCOVERY } } },
    }).kind.value as never,
  };
}

function change(seq: bigint, ops: Op[], clientId = "other"): ServerMessage["kind"] {
  return { case: "change", value: create(SequencedChangeSchema, { seq, ops, clientId, author: "bob" }) };
}

describe("SyncClient", () => {
  let sockets: FakeSocket[];
  let storage: MemoryStorage;
  const make = () =>
    new SyncClient({
      url: "ws://test/ws",
      boardId: "b",
      userName: "alice",
      color: "#f00",
      storage,
      socketFactory: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
    });

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    storage = new MemoryStorage();
  });
  afterEach(() => vi.useRealTimers());

  it("applies its own change at once and confirms it on the ack", () => {
    const c = make();
    c.start();
    sockets[0].open();
    expect(sockets[0].sent[0].kind.case).toBe("join");
    sockets[0].deliver(welcome());
    c.submit([op.create("n1", ObjectType.NOTE, { text: "hello" })]);
    expect(c.view.text("n1", "text")).toBe("hello");
    expect(c.confirmed.live("n1")).toBeUndefined();
    expect(c.pending).toHaveLength(1);
    sockets[0].deliver({ case: "ack", value: { clientSeq: 1n, seq: 1n, serverTimeMs: 5n } as never });
    expect(c.pending).toHaveLength(0);
    expect(c.confirmed.text("n1", "text")).toBe("hello");
    expect(c.confirmed.text("n1", "author")).toBe("alice");
    expect(c.status).toBe("online");
  });

  it("keeps showing its pending value when another edit of the field arrives", () => {
    const c = make();
    c.start();
    sockets[0].open();
    sockets[0].deliver(welcome(), change(1n, [op.create("n1", ObjectType.NOTE, { text: "v0", x: 1 })]));
    c.submit([op.update("n1", { text: "mine" })]);
    sockets[0].deliver(change(2n, [op.update("n1", { text: "theirs", x: 7 })]));
    expect(c.view.text("n1", "text")).toBe("mine"); // pending value wins locally
    expect(c.view.live("n1")!.fields.get("x")).toBe(7); // other fields follow the server
    sockets[0].deliver({ case: "ack", value: { clientSeq: 1n, seq: 3n } as never });
    expect(c.confirmed.text("n1", "text")).toBe("mine"); // last writer by seq
  });

  it("rolls back a rejected change and says why", () => {
    const c = make();
    c.start();
    sockets[0].open();
    sockets[0].deliver(welcome());
    c.submit([op.update("ghost", { text: "x" })]);
    c.submit([op.create("n2", ObjectType.NOTE, { text: "ok" })]);
    sockets[0].deliver({ case: "reject", value: { clientSeq: 1n, message: "no object ghost" } as never });
    expect(c.pending.map((p) => p.clientSeq)).toEqual([2n]);
    expect(c.lastError).toBe("no object ghost");
    expect(c.view.text("n2", "text")).toBe("ok");
  });

  it("queues while offline and resends only what the server has not applied", () => {
    const c = make();
    c.start();
    sockets[0].open();
    sockets[0].deliver(welcome());
    c.submit([op.create("n1", ObjectType.NOTE, { text: "a" })]); // sent, ack lost
    sockets[0].drop();
    expect(c.status).toBe("connecting");
    c.submit([op.create("n2", ObjectType.NOTE, { text: "b" })]); // offline
    c.submit([op.create("n3", ObjectType.NOTE, { text: "c" })]);
    expect(sockets[0].submitted()).toEqual([1n]);
    vi.advanceTimersByTime(BACKOFF_MAX_MS * 2);
    expect(sockets).toHaveLength(2);
    sockets[1].open();
    const join = sockets[1].sent[0];
    expect(join.kind.case === "join" && join.kind.value.lastSeenSeq).toBe(0n);
    // The server applied change 1 before the drop: the welcome says so.
    sockets[1].deliver(welcome(1n, 1n));
    expect(sockets[1].submitted()).toEqual([2n, 3n]);
    expect(c.pending.map((p) => p.clientSeq)).toEqual([2n, 3n]);
  });

  it("keeps the pending queue across a reload", () => {
    const c = make();
    c.start();
    c.submit([op.create("n1", ObjectType.NOTE, { text: "typed offline" })]);
    c.stop();
    const again = make();
    expect(again.clientId).toBe(c.clientId);
    expect(again.pending).toHaveLength(1);
    expect(again.view.text("n1", "text")).toBe("typed offline");
    again.start();
    sockets[1].open();
    sockets[1].deliver(welcome());
    expect(sockets[1].submitted()).toEqual([1n]);
    again.submit([op.create("n2", ObjectType.NOTE, { text: "next" })]);
    expect(sockets[1].submitted()).toEqual([1n, 2n]); // client seqs keep increasing
  });

  it("undoes and redoes with inverse ops", () => {
    const c = make();
    c.start();
    sockets[0].open();
    sockets[0].deliver(welcome(), change(1n, [op.create("n1", ObjectType.NOTE, { text: "before", x: 1 })]));
    c.submit([op.update("n1", { text: "after" })]);
    c.submit([op.move("n1", "a5")]);
    expect(c.view.text("n1", "order")).toBe("a5");
    c.undo();
    expect(c.view.live("n1")!.fields.get("order")).toBe("a0"); // had none: back to the default key
    c.undo();
    expect(c.view.text("n1", "text")).toBe("before");
    c.redo();
    expect(c.view.text("n1", "text")).toBe("after");
    expect(c.canRedo).toBe(true);
    c.submit([op.create("n2", ObjectType.NOTE, {})]);
    expect(c.canRedo).toBe(false); // a new change clears redo
    c.undo();
    expect(c.view.live("n2")).toBeUndefined();
  });

  it("backs off exponentially with jitter, capped", () => {
    const mid = () => 0.5;
    expect(ReconnectingSocket.delay(0, mid)).toBe(250);
    expect(ReconnectingSocket.delay(3, mid)).toBe(2000);
    expect(ReconnectingSocket.delay(20, mid)).toBe(BACKOFF_MAX_MS);
    expect(ReconnectingSocket.delay(0, () => 0)).toBe(125);
    expect(ReconnectingSocket.delay(0, () => 0.999)).toBeLessThanOrEqual(375);
  });
});
