// The sync layer against a scripted server: optimistic apply, pending values kept,
// rollback on reject, the offline queue and its resend (IDEM-3), persistence,
// undo/redo, the member identity (AUTH-3, VOTE-1), close codes (CLOSE-2, CLOSE-3),
// client id conflicts (JOIN-6), duplicated tabs, retryable rejects (REJ-2) and the
// status line.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeSocket, recordingFactory } from "../testing/fakeSocket";
import type { Op } from "../gen/board_pb";
import { BoardKind, ObjectType, SequencedChangeSchema } from "../gen/board_pb";
import type { ClientMessage, ServerMessage } from "../gen/sync_pb";
import { ClientMessageSchema, ErrorCode, RejectCode, Role, ServerFrameSchema, ServerMessageSchema } from "../gen/sync_pb";
import { op } from "./ops";
import { CLOSE_BOARD_DELETED, CLOSE_UNAUTHORIZED, MAX_CHANGE_BYTES, MAX_FRAME_BYTES, RETRY_BASE_MS, RETRYABLE_REJECTS, rejectText, SyncClient, WAKE_LIMIT_MS } from "./syncClient";
import { statusText } from "./statusText";
import type { PageEnv } from "./transport";
import { BACKOFF_MAX_MS, MOVED_JITTER_MS } from "./transport";
import { MemoryStorage } from "../testing/memoryStorage";



// The member the server knows from the token: its name may differ from the one
// the page started with (AUTH-3: the token's name is the author).
const YOU = { clientId: "", userName: "Alice A.", memberId: "m-alice", role: Role.EDITOR };

function welcome(headSeq = 0n, lastClientSeq = 0n, role = Role.EDITOR, changes: Op[][] = []): ServerMessage["kind"] {
  return {
    case: "welcome",
    value: create(ServerMessageSchema, {
      kind: {
        case: "welcome",
        value: {
          headSeq, lastClientSeq, role, you: { ...YOU, role },
          board: { id: "b", title: "B", kind: BoardKind.DISCOVERY },
          changes: changes.map((ops, i) => ({ seq: BigInt(i + 1), ops, author: "bob", authorId: "m-bob", clientId: "other" })),
        },
      },
    }).kind.value as never,
  };
}

function change(seq: bigint, ops: Op[], clientId = "other"): ServerMessage["kind"] {
  return { case: "change", value: create(SequencedChangeSchema, { seq, ops, clientId, author: "bob", authorId: "m-bob" }) };
}

const ack = (clientSeq: bigint, seq: bigint, duplicate = false): ServerMessage["kind"] =>
  ({ case: "ack", value: { clientSeq, seq, duplicate, serverTimeMs: 5n } as never });
const reject = (clientSeq: bigint, code: RejectCode, message: string): ServerMessage["kind"] =>
  ({ case: "reject", value: { clientSeq, code, message } as never });

describe("SyncClient", () => {
  let sockets: FakeSocket[];
  let storage: MemoryStorage;
  const make = (role = Role.EDITOR) =>
    new SyncClient({
      url: "ws://test/ws",
      boardId: "b",
      token: "t1.member.sig",
      memberId: "m-alice",
      userName: "alice",
      role,
      color: "#f00",
      storage,
      socketFactory: recordingFactory(sockets),
    });

  // A client past its first welcome, on sockets[0].
  const joined = () => {
    const c = make();
    c.start();
    sockets[0].open();
    sockets[0].deliver(welcome());
    return c;
  };

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
    const [join] = sockets[0].joins();
    expect(join.token).toBe("t1.member.sig"); // the member token is the identity (AUTH-3)
    expect(join.userName).toBe("");
    sockets[0].deliver(welcome());
    c.submit([op.create("n1", ObjectType.NOTE, { text: "hello" })]);
    expect(c.view.text("n1", "text")).toBe("hello");
    expect(c.confirmed.live("n1")).toBeUndefined();
    expect(c.pending).toHaveLength(1);
    sockets[0].deliver({ case: "ack", value: { clientSeq: 1n, seq: 1n, serverTimeMs: 5n } as never });
    expect(c.pending).toHaveLength(0);
    expect(c.confirmed.text("n1", "text")).toBe("hello");
    expect(c.confirmed.text("n1", "author")).toBe("Alice A."); // the welcome's name, as the server stamps it
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

  it("loads a welcome's snapshot older than its head, then the changes after it (JOIN-3)", () => {
    // A board at seq 1, as a server would have encoded (and cached) its snapshot.
    const a = make();
    a.start();
    sockets[0].open();
    sockets[0].deliver(welcome(1n, 0n, Role.EDITOR, [[op.create("n1", ObjectType.NOTE, { text: "cached" })]]));
    const snapshot = a.confirmed.snapshot();
    expect(snapshot.seq).toBe(1n);
    const b = make();
    b.start();
    sockets[1].open();
    const w = welcome(2n) as { value: { snapshot?: unknown; changes: unknown[] } };
    w.value.snapshot = snapshot;
    w.value.changes = [create(SequencedChangeSchema, {
      seq: 2n, ops: [op.create("n2", ObjectType.NOTE, { text: "after" })], clientId: "other", author: "bob", authorId: "m-bob",
    })];
    sockets[1].deliver(w as ServerMessage["kind"]);
    expect(b.confirmed.text("n1", "text")).toBe("cached");
    expect(b.confirmed.text("n2", "text")).toBe("after");
    expect(b.confirmed.seq).toBe(2n);
  });

  it("loads a snapshot whose objects come in parts after the welcome (JOIN-8)", () => {
    const a = make();
    a.start();
    sockets[0].open();
    sockets[0].deliver(welcome(3n, 0n, Role.EDITOR, ["n1", "n2", "n3"].map((id) => [op.create(id, ObjectType.NOTE, { text: id })])));
    const snapshot = a.confirmed.snapshot();
    const objects = snapshot.objects;
    expect(objects.length).toBe(3);
    const b = make();
    b.start();
    sockets[1].open();
    const w = welcome(3n) as { value: { snapshot?: unknown; snapshotParts: number } };
    w.value.snapshot = { ...snapshot, objects: [] };
    w.value.snapshotParts = 2;
    const part = (list: typeof objects): ServerMessage["kind"] => ({ case: "snapshotPart", value: { objects: list } as never });
    sockets[1].deliver(w as ServerMessage["kind"]);
    expect(b.confirmed.seq).toBe(0n); // nothing loaded before the last part
    sockets[1].deliver(part(objects.slice(0, 2)));
    expect(b.confirmed.live("n1")).toBeUndefined();
    sockets[1].deliver(part(objects.slice(2)), change(4n, [op.update("n3", { text: "after" })]));
    expect(b.confirmed.text("n1", "text")).toBe("n1");
    expect(b.confirmed.text("n3", "text")).toBe("after");
    expect(b.confirmed.seq).toBe(4n);
  });

  it("rolls back a rejected change and says why", () => {
    const c = joined();
    c.submit([op.update("ghost", { text: "x" })]);
    c.submit([op.create("n2", ObjectType.NOTE, { text: "ok" })]);
    sockets[0].deliver({ case: "reject", value: { clientSeq: 1n, message: "no object ghost" } as never });
    expect(c.pending.map((p) => p.clientSeq)).toEqual([2n]);
    expect(c.lastError).toBe("The board could not take that change: it was undone"); // plain words, not the server's (rejectText.ts)
    expect(c.view.text("n2", "text")).toBe("ok");
  });

  it("queues while offline and resends every pending change after the welcome (IDEM-3)", () => {
    const c = joined();
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
    // The server has an outcome for change 1: the welcome says so, but not which one.
    sockets[1].deliver(welcome(1n, 1n, Role.EDITOR, [[op.create("n1", ObjectType.NOTE, { text: "a" })]]));
    expect(sockets[1].submitted()).toEqual([1n, 2n, 3n]); // all of them, in client_seq order
    expect(c.pending.map((p) => p.clientSeq)).toEqual([1n, 2n, 3n]);
    sockets[1].deliver(ack(1n, 1n, true), ack(2n, 2n), ack(3n, 3n));
    expect(c.pending).toHaveLength(0);
    expect(["n1", "n2", "n3"].map((id) => c.confirmed.text(id, "text"))).toEqual(["a", "b", "c"]);
    c.submit([op.create("n4", ObjectType.NOTE, {})]);
    expect(sockets[1].submitted().at(-1)).toBe(4n);
  });

  it("drops a duplicate ack without applying the change again: the welcome's board has it", () => {
    const c = joined();
    c.submit([op.create("n1", ObjectType.NOTE, { text: "first" })]); // applied, ack lost
    sockets[0].drop();
    vi.advanceTimersByTime(BACKOFF_MAX_MS * 2);
    sockets[1].open();
    // Someone else edited the note after ours was applied: the welcome holds both.
    sockets[1].deliver(welcome(2n, 1n, Role.EDITOR, [
      [op.create("n1", ObjectType.NOTE, { text: "first" })],
      [op.update("n1", { text: "theirs" })],
    ]));
    expect(sockets[1].submitted()).toEqual([1n]);
    sockets[1].deliver(ack(1n, 1n, true));
    expect(c.pending).toHaveLength(0);
    expect(c.confirmed.seq).toBe(2n);
    expect(c.view.text("n1", "text")).toBe("theirs"); // not rolled back to our create
    expect(c.lastError).toBeNull();
  });

  it("drops a STALE_CLIENT_SEQ reject silently, and rolls back any other reject of a resend", () => {
    const c = joined();
    c.submit([op.create("n1", ObjectType.NOTE, { text: "old" })]);
    c.submit([op.update("ghost", { text: "x" })]);
    sockets[0].drop();
    vi.advanceTimersByTime(BACKOFF_MAX_MS * 2);
    sockets[1].open();
    sockets[1].deliver(welcome(1n, 70n, Role.EDITOR, [[op.create("n1", ObjectType.NOTE, { text: "old" })]]));
    expect(sockets[1].submitted()).toEqual([1n, 2n]);
    sockets[1].deliver(reject(1n, RejectCode.STALE_CLIENT_SEQ, "client_seq 1 is below the window"));
    expect(c.lastError).toBeNull(); // its effect, if any, is in the board
    expect(c.view.text("n1", "text")).toBe("old");
    sockets[1].deliver(reject(2n, RejectCode.UNKNOWN_OBJECT, "no object ghost"));
    expect(c.lastError).toBe("Someone else deleted that item meanwhile: your change was undone");
    expect(c.pending).toHaveLength(0);
    c.submit([op.create("n2", ObjectType.NOTE, {})]);
    expect(sockets[1].submitted().at(-1)).toBe(71n); // above last_client_seq
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
    expect(sockets[1].joins()[0].clientId).toBe(c.clientId);
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

  it("is the welcome's member: own votes by member id, own changes stamped with name and id", () => {
    const c = make();
    c.start();
    sockets[0].open();
    sockets[0].deliver(welcome(1n, 0n, Role.EDITOR, [[op.create("n1", ObjectType.NOTE, { text: "x" })]]));
    expect(c.me).toEqual({ memberId: "m-alice", name: "Alice A." });
    c.submit([op.addVote("v1", "n1")]);
    expect(c.view.live("v1")!.fields.get("voter")).toBe("m-alice"); // optimistic, as the server will stamp it
    sockets[0].deliver(ack(1n, 2n), change(3n, [op.addVote("v2", "n1")]));
    expect(c.confirmed.live("v1")!.fields.get("voter")).toBe("m-alice"); // VOTE-1: the member id
    expect(c.confirmed.live("v2")!.fields.get("voter")).toBe("m-bob");
    c.submit([op.create("n2", ObjectType.NOTE, { text: "mine" })]);
    sockets[0].deliver(ack(2n, 4n));
    expect(c.confirmed.text("n2", "author")).toBe("Alice A.");
    expect(c.confirmed.text("n1", "author")).toBe("bob");
  });

  it("sends nothing for a viewer: the board is read-only (ROLE-2)", () => {
    const c = make(Role.VIEWER);
    c.start();
    sockets[0].open();
    sockets[0].deliver(welcome(0n, 0n, Role.VIEWER));
    expect(c.canWrite).toBe(false);
    c.submit([op.create("n1", ObjectType.NOTE, { text: "no" })]);
    expect(sockets[0].submitted()).toEqual([]);
    expect(c.pending).toHaveLength(0);
    expect(c.view.live("n1")).toBeUndefined();
    expect(c.lastError).toMatch(/View only/);
  });

  it("takes the role from the welcome: a facilitator may rename, an editor may not", () => {
    const c = make(Role.VIEWER); // what the membership said
    c.start();
    sockets[0].open();
    sockets[0].deliver(welcome(0n, 0n, Role.FACILITATOR));
    expect(c.canWrite).toBe(true);
    expect(c.canUpdateBoard).toBe(true);
    const d = make();
    d.start();
    sockets[1].open();
    sockets[1].deliver(welcome(0n, 0n, Role.EDITOR));
    expect(d.canUpdateBoard).toBe(false);
  });

  it("stops reconnecting when its access is revoked (close 4006)", () => {
    const c = make();
    const seen: string[] = [];
    c.subscribe(() => seen.push(c.status));
    c.start();
    sockets[0].open();
    sockets[0].deliver(welcome());
    c.submit([op.create("n1", ObjectType.NOTE, { text: "lost" })]);
    sockets[0].drop(CLOSE_UNAUTHORIZED);
    expect(c.status).toBe("revoked");
    expect(seen).toContain("revoked");
    vi.advanceTimersByTime(BACKOFF_MAX_MS * 10);
    expect(sockets).toHaveLength(1); // never tried again
    expect(c.canWrite).toBe(false);
    expect(c.view.live("n1")).toBeUndefined(); // an unsent change will never apply
    c.submit([op.create("n2", ObjectType.NOTE, {})]);
    expect(c.pending).toHaveLength(0);
  });

  it("stops at a refused join (Error UNAUTHORIZED) even if the close code is lost", () => {
    const c = make();
    c.start();
    sockets[0].open();
    sockets[0].deliver({ case: "error", value: { code: ErrorCode.UNAUTHORIZED, message: "token refused" } as never });
    expect(c.status).toBe("revoked");
    sockets[0].drop(1006);
    vi.advanceTimersByTime(BACKOFF_MAX_MS * 10);
    expect(sockets).toHaveLength(1);
  });

  it("stops reconnecting when the board is deleted (close 4005)", () => {
    const c = joined();
    sockets[0].drop(CLOSE_BOARD_DELETED);
    expect(c.status).toBe("deleted");
    vi.advanceTimersByTime(BACKOFF_MAX_MS * 10);
    expect(sockets).toHaveLength(1);
  });

  it("reconnects after any other close", () => {
    const c = joined();
    sockets[0].drop(1001);
    expect(c.status).toBe("connecting");
    vi.advanceTimersByTime(BACKOFF_MAX_MS * 2);
    expect(sockets).toHaveLength(2);
  });

  it("picks a new client id and joins again on CLIENT_ID_TAKEN (JOIN-6)", () => {
    const c = make();
    c.start();
    c.submit([op.create("n1", ObjectType.NOTE, { text: "queued" })]);
    sockets[0].open();
    const first = c.clientId;
    sockets[0].deliver({ case: "error", value: { code: ErrorCode.CLIENT_ID_TAKEN, message: "taken" } as never });
    const joins = sockets[0].joins();
    expect(joins).toHaveLength(2); // on the same connection
    expect(joins[1].clientId).not.toBe(first);
    expect(joins[1].clientId).toBe(c.clientId);
    expect(joins[1].token).toBe("t1.member.sig");
    expect(c.lastError).toBeNull();
    sockets[0].deliver(welcome());
    expect(sockets[0].submitted()).toEqual([1n]); // the queue goes with the new id
    // Kept across a reload.
    c.stop();
    expect(make().clientId).toBe(c.clientId);
  });

  it("gives up on new client ids after a few tries on one connection", () => {
    const c = make();
    c.start();
    sockets[0].open();
    for (let i = 0; i < 5; i++)
      sockets[0].deliver({ case: "error", value: { code: ErrorCode.CLIENT_ID_TAKEN, message: "taken" } as never });
    expect(sockets[0].joins()).toHaveLength(4); // the first and MAX_ID_RETRIES more
    expect(c.lastError).toBe("This page could not get a connection of its own: reload it"); // errorText, not "taken"
  });

  it("keeps one queue per member of a board", () => {
    const c = make();
    c.start();
    c.submit([op.create("n1", ObjectType.NOTE, {})]);
    c.stop();
    const other = new SyncClient({
      url: "ws://test/ws", boardId: "b", token: "t1.other", memberId: "m-other", userName: "o", role: Role.EDITOR, color: "#0f0",
      storage, socketFactory: () => new FakeSocket(),
    });
    expect(other.pending).toHaveLength(0);
    expect(other.clientId).not.toBe(c.clientId);
  });

  it("retries at once after 1001 (server restart) and after a backoff after a dropped connection", () => {
    const c = joined();
    sockets[0].drop(1001);
    expect(c.status).toBe("connecting");
    expect(sockets).toHaveLength(2); // CLOSE-3: no wait
    sockets[1].drop(1006); // the server is not up yet
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(BACKOFF_MAX_MS);
    expect(sockets).toHaveLength(3);
    sockets[2].open();
    sockets[2].deliver(welcome());
    expect(c.status).toBe("online");
  });

  for (const code of [1000, 1006, 1009, 1011, 4001, 4003]) {
    it(`reconnects after a backoff after close ${code} and resends what is pending`, () => {
      const c = make();
      c.start();
      sockets[0].open();
      sockets[0].deliver(welcome());
      c.submit([op.create("n1", ObjectType.NOTE, { text: "kept" })]);
      sockets[0].drop(code);
      expect(c.status).toBe("connecting");
      expect(sockets).toHaveLength(1);
      vi.advanceTimersByTime(BACKOFF_MAX_MS);
      expect(sockets).toHaveLength(2);
      sockets[1].open();
      sockets[1].deliver(welcome(0n, 0n));
      expect(sockets[1].submitted()).toEqual([1n]);
      expect(c.view.text("n1", "text")).toBe("kept");
    });
  }

  it("after 4008 (the board moved) joins again within a short jitter, keeping what is pending, and shows no error", () => {
    const c = make();
    c.start();
    sockets[0].open();
    sockets[0].deliver(welcome());
    c.submit([op.create("n1", ObjectType.NOTE, { text: "kept" })]);
    sockets[0].deliver({ case: "error", value: { code: ErrorCode.BOARD_MOVED, message: "board moved; reconnect" } as never });
    sockets[0].drop(4008);
    expect(c.status).toBe("connecting");
    expect(c.lastError).toBeNull(); // the close says it all: no toast
    expect(c.awayReason).toBeNull(); // back in a moment: "Reconnecting…"
    vi.advanceTimersByTime(MOVED_JITTER_MS);
    expect(sockets).toHaveLength(2);
    sockets[1].open();
    sockets[1].deliver(welcome(0n, 0n));
    expect(sockets[1].submitted()).toEqual([1n]);
    expect(c.view.text("n1", "text")).toBe("kept");
  });

  it("after 4009 (the board's node is down) backs off and says so calmly until the welcome", () => {
    const c = make();
    c.start();
    sockets[0].open();
    sockets[0].deliver(welcome());
    c.submit([op.create("n1", ObjectType.NOTE, { text: "kept" })]);
    sockets[0].deliver({ case: "error", value: { code: ErrorCode.BOARD_UNAVAILABLE, message: "board unavailable; retry" } as never });
    sockets[0].drop(4009);
    expect(c.lastError).toBeNull();
    expect(c.awayReason).toBe("This board's server is restarting; reconnecting…");
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(BACKOFF_MAX_MS);
    expect(sockets).toHaveLength(2);
    sockets[1].open();
    sockets[1].drop(4009); // still down: the same calm line, the backoff growing
    expect(c.awayReason).toBe("This board's server is restarting; reconnecting…");
    vi.advanceTimersByTime(BACKOFF_MAX_MS);
    sockets[2].open();
    sockets[2].deliver(welcome(0n, 0n));
    expect(c.status).toBe("online");
    expect(c.awayReason).toBeNull();
    expect(sockets[2].submitted()).toEqual([1n]);
    expect(c.pending).toHaveLength(1); // still pending until its ack
  });

  it("stops at close 4002 with \"out of date\", keeping pending changes for the reload", () => {
    const c = joined();
    c.submit([op.create("n1", ObjectType.NOTE, { text: "kept" })]);
    sockets[0].drop(4002);
    expect(c.status).toBe("outdated");
    expect(c.stopped).toBe(true);
    expect(c.canWrite).toBe(false);
    vi.advanceTimersByTime(BACKOFF_MAX_MS * 20);
    expect(sockets).toHaveLength(1);
    expect(c.view.text("n1", "text")).toBe("kept");
    expect(make().pending.map((p) => p.clientSeq)).toEqual([1n]); // a reload sends it
    c.submit([op.create("n2", ObjectType.NOTE, {})]);
    expect(c.pending).toHaveLength(1);
    expect(c.lastError).toMatch(/out of date/);
  });

  it("knows who last edited or deleted an object (the hint for someone typing in it)", () => {
    const c = joined();
    sockets[0].deliver(change(1n, [op.create("n1", ObjectType.NOTE, { text: "a" })]));
    expect(c.whoChanged("n1")).toBeUndefined(); // created, not changed under anyone
    sockets[0].deliver(change(2n, [op.update("n1", { text: "b" })]));
    expect(c.whoChanged("n1")).toBe("bob");
    sockets[0].deliver(change(3n, [op.delete("n1")]));
    expect(c.whoChanged("n1")).toBe("bob");
  });

  it("shows nobody as here once stopped by 4002 (the listeners hear who left)", () => {
    const c = joined();
    const peer = { clientId: "c-bob", userName: "Bob", color: "#123456", role: Role.EDITOR, memberId: "m-bob" };
    sockets[0].deliver({ case: "presence", value: { member: peer, presence: {} } as never });
    expect([...c.peers.keys()]).toEqual(["c-bob"]);
    const heard: string[] = [];
    c.subscribe((fc) => heard.push(...fc.presence));
    sockets[0].drop(4002);
    expect(c.peers.size).toBe(0);
    expect(heard).toEqual(["c-bob"]);
  });

  it("stops at close 4004 (\"opened in another tab\") until the user takes over: no ping-pong", () => {
    const c = joined();
    c.submit([op.create("n1", ObjectType.NOTE, { text: "kept" })]);
    sockets[0].drop(4004);
    expect(c.status).toBe("replaced");
    expect(c.canWrite).toBe(false); // the other tab uses this client id's seqs now
    vi.advanceTimersByTime(BACKOFF_MAX_MS * 20);
    expect(sockets).toHaveLength(1);
    expect(c.pending).toHaveLength(1);
    c.takeOver();
    expect(c.status).toBe("connecting");
    expect(sockets).toHaveLength(2);
    sockets[1].open();
    expect(sockets[1].joins()[0].clientId).toBe(c.clientId);
    sockets[1].deliver(welcome(0n, 0n));
    expect(sockets[1].submitted()).toEqual([1n]);
    expect(c.status).toBe("online");
    expect(c.canWrite).toBe(true);
  });

  it("keeps a change refused for a full disk and resends it, same client_seq, after a backoff (REJ-2)", async () => {
    const c = joined();
    c.submit([op.create("n1", ObjectType.NOTE, { text: "my note" })]);
    sockets[0].deliver(reject(1n, RejectCode.STORAGE_UNAVAILABLE, "the board's log could not be written: No space left on device"));
    expect(c.view.text("n1", "text")).toBe("my note"); // not rolled back
    expect(c.pending.map((p) => p.clientSeq)).toEqual([1n]);
    expect(c.lastError).toMatch(/kept and will be sent again/);
    expect(make().pending).toHaveLength(1); // and kept across a reload
    expect(sockets[0].submitted()).toEqual([1n]);
    vi.advanceTimersByTime(RETRY_BASE_MS);
    expect(sockets[0].submitted()).toEqual([1n, 1n]); // the same client_seq
    sockets[0].deliver(reject(1n, RejectCode.STORAGE_UNAVAILABLE, "still full"));
    vi.advanceTimersByTime(RETRY_BASE_MS - 1);
    expect(sockets[0].submitted()).toEqual([1n, 1n]); // backing off: 250-500 ms, then 500-1000 ms
    vi.advanceTimersByTime(RETRY_BASE_MS + 1);
    expect(sockets[0].submitted()).toEqual([1n, 1n, 1n]);
    sockets[0].deliver(ack(1n, 1n));
    expect(c.pending).toHaveLength(0);
    expect(c.confirmed.text("n1", "text")).toBe("my note");
  });

  it("holds a new change behind one refused for now, and sends both in order", () => {
    const c = joined();
    c.submit([op.create("n1", ObjectType.NOTE, { text: "a" })]);
    sockets[0].deliver(reject(1n, RejectCode.RATE_LIMITED, "slow down"));
    c.submit([op.update("n1", { text: "b" })]); // builds on n1: must not overtake it
    expect(sockets[0].submitted()).toEqual([1n]);
    expect(c.view.text("n1", "text")).toBe("b");
    vi.advanceTimersByTime(RETRY_BASE_MS);
    expect(sockets[0].submitted()).toEqual([1n, 1n, 2n]);
    sockets[0].deliver(ack(1n, 1n), ack(2n, 2n));
    c.submit([op.update("n1", { text: "c" })]);
    expect(sockets[0].submitted()).toEqual([1n, 1n, 2n, 3n]); // straight away again
  });

  it("keeps changes refused by a storage failure across the 4003 close that follows, and resends them on the welcome", () => {
    const c = joined();
    c.submit([op.create("n1", ObjectType.NOTE, { text: "a" })]);
    c.submit([op.update("n1", { text: "b" })]);
    sockets[0].deliver(
      reject(1n, RejectCode.STORAGE_UNAVAILABLE, "disk full"),
      reject(2n, RejectCode.STORAGE_UNAVAILABLE, "disk full"),
    );
    sockets[0].drop(4003);
    expect(c.status).toBe("connecting");
    expect(c.view.text("n1", "text")).toBe("b");
    vi.advanceTimersByTime(BACKOFF_MAX_MS);
    sockets[1].open();
    sockets[1].deliver(welcome(0n, 0n));
    expect(sockets[1].submitted()).toEqual([1n, 2n]);
    vi.advanceTimersByTime(RETRY_BASE_MS * 4); // no second resend: the welcome's was the retry
    expect(sockets[1].submitted()).toEqual([1n, 2n]);
    sockets[1].deliver(ack(1n, 1n), ack(2n, 2n));
    expect(c.confirmed.text("n1", "text")).toBe("b");
  });

  it("keeps a rate-limited change too, and rolls back every final reject", () => {
    const c = joined();
    c.submit([op.create("n1", ObjectType.NOTE, { text: "a" })]);
    sockets[0].deliver(reject(1n, RejectCode.RATE_LIMITED, "slow down"));
    expect(c.pending).toHaveLength(1);
    vi.advanceTimersByTime(RETRY_BASE_MS);
    expect(sockets[0].submitted()).toEqual([1n, 1n]);
    const finals = Object.values(RejectCode).filter(
      (v): v is RejectCode => typeof v === "number" && !RETRYABLE_REJECTS.has(v) && v !== RejectCode.STALE_CLIENT_SEQ);
    expect(finals).toContain(RejectCode.BAD_FIELD);
    let seq = 2n;
    for (const code of finals) {
      c.submit([op.create(`x${seq}`, ObjectType.NOTE, {})]);
      sockets[0].deliver(reject(seq, code, `refused ${code}`));
      expect(c.view.live(`x${seq}`), `code ${code}`).toBeUndefined();
      expect(c.lastError).toBe(rejectText(code, `refused ${code}`)); // plain language for some (rejectText.ts)
      seq++;
    }
    expect(c.pending.map((p) => p.clientSeq)).toEqual([1n]);
  });

  it("retries the join later when the board cannot load (Error STORAGE_UNAVAILABLE)", () => {
    const c = make();
    c.start();
    sockets[0].open();
    sockets[0].deliver({ case: "error", value: { code: ErrorCode.STORAGE_UNAVAILABLE, message: "cannot load" } as never });
    expect(c.status).toBe("connecting");
    vi.advanceTimersByTime(BACKOFF_MAX_MS);
    expect(sockets).toHaveLength(2);
  });

  it("resends a long queue in frames under the size limit", () => {
    const c = make();
    c.start();
    const big = "x".repeat(40000);
    for (let i = 0; i < 20; i++) c.submit([op.create(`n${i}`, ObjectType.NOTE, { text: big })]);
    sockets[0].open();
    sockets[0].deliver(welcome());
    const frames = sockets[0].sent.filter((m) => m.kind.case === "submit");
    expect(frames.length).toBeGreaterThan(1);
    for (const f of frames) expect(toBinary(ClientMessageSchema, f).length).toBeLessThanOrEqual(MAX_FRAME_BYTES + 1024);
    expect(sockets[0].submitted()).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i + 1)));
  });

  it("refuses here a change too large for any frame the server takes (1009 on every resend otherwise)", () => {
    const c = joined();
    c.submit([op.create("n1", ObjectType.NOTE, { text: "x".repeat(MAX_CHANGE_BYTES) })]);
    expect(c.pending).toHaveLength(0);
    expect(c.lastError).toMatch(/too large/);
    expect(sockets[0].submitted()).toEqual([]);
  });

  it("takes a client id of its own in a duplicated tab, leaving the original's pending changes to it", async () => {
    const original = make();
    original.start();
    original.submit([op.create("n1", ObjectType.NOTE, { text: "the original's" })]);
    // The duplicate inherits a copy of sessionStorage: same client id, same queue.
    const copy = new MemoryStorage();
    for (const [k, v] of storage.data) copy.setItem(k, v);
    const claims: string[] = [];
    const dup = new SyncClient({
      url: "ws://test/ws", boardId: "b", token: "t1.member.sig", memberId: "m-alice", userName: "alice", role: Role.EDITOR, color: "#f00",
      storage: copy,
      socketFactory: recordingFactory(sockets),
      claimClientId: async (id) => {
        claims.push(id);
        return id !== original.clientId; // the original tab holds its id
      },
    });
    expect(dup.clientId).toBe(original.clientId);
    dup.start();
    expect(sockets).toHaveLength(1); // waits for the claim before joining
    await vi.advanceTimersByTimeAsync(0);
    expect(dup.clientId).not.toBe(original.clientId);
    expect(claims).toEqual([original.clientId, dup.clientId]);
    expect(dup.pending).toHaveLength(0); // the original sends n1; sending it here too would apply it twice
    expect(dup.view.live("n1")).toBeUndefined();
    sockets[1].open();
    expect(sockets[1].joins()[0].clientId).toBe(dup.clientId);
    sockets[1].deliver(welcome());
    dup.submit([op.create("n2", ObjectType.NOTE, {})]);
    expect(sockets[1].submitted()).toEqual([1n]);
    expect(JSON.parse(copy.getItem("tandem:sync:b:m-alice")!).clientId).toBe(dup.clientId);
    expect(JSON.parse(storage.getItem("tandem:sync:b:m-alice")!).clientId).toBe(original.clientId); // the original's own copy
  });

  it("keeps its client id and queue after a reload (the claim succeeds)", async () => {
    const c = make();
    c.start();
    c.submit([op.create("n1", ObjectType.NOTE, { text: "kept" })]);
    c.stop();
    const again = new SyncClient({
      url: "ws://test/ws", boardId: "b", token: "t1.member.sig", memberId: "m-alice", userName: "alice", role: Role.EDITOR, color: "#f00",
      storage, socketFactory: recordingFactory(sockets),
      claimClientId: async () => true,
    });
    again.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(again.clientId).toBe(c.clientId);
    sockets[1].open();
    sockets[1].deliver(welcome());
    expect(sockets[1].submitted()).toEqual([1n]);
  });

  it("checks an open connection at once when the page becomes visible again, and replaces a dead one", () => {
    const listeners = new Map<string, () => void>();
    let hidden = false;
    const env: PageEnv = {
      addEventListener: (t, fn) => listeners.set(t, fn),
      removeEventListener: (t) => listeners.delete(t),
      offline: () => false,
      hidden: () => hidden,
    };
    const c = new SyncClient({
      url: "ws://test/ws", boardId: "b", token: "t1.member.sig", memberId: "m-alice", userName: "alice", role: Role.EDITOR, color: "#f00",
      storage, pageEnv: env, socketFactory: recordingFactory(sockets),
    });
    c.start();
    sockets[0].open();
    sockets[0].deliver(welcome());
    const pings = () => sockets[0].sent.filter((m) => m.kind.case === "ping").length;
    hidden = true;
    listeners.get("visibilitychange")!();
    expect(pings()).toBe(0);
    hidden = false;
    listeners.get("visibilitychange")!(); // e.g. after a laptop slept
    expect(pings()).toBe(1);
    sockets[0].deliver({ case: "pong", value: { nonce: 1n } as never });
    vi.advanceTimersByTime(WAKE_LIMIT_MS);
    expect(sockets).toHaveLength(1); // it answered: alive
    listeners.get("visibilitychange")!();
    vi.advanceTimersByTime(WAKE_LIMIT_MS); // no answer: dead
    expect(c.status).toBe("connecting");
    vi.advanceTimersByTime(BACKOFF_MAX_MS);
    expect(sockets).toHaveLength(2);
  });

  it("says where it stands in plain language", () => {
    const c = make();
    c.start();
    expect(statusText(c)).toBe("Connecting…");
    sockets[0].open();
    sockets[0].deliver(welcome());
    expect(statusText(c)).toBe("Live");
    c.submit([op.create("n1", ObjectType.NOTE, {})]);
    expect(statusText(c)).toBe("Live · sending 1 change");
    sockets[0].drop(1006);
    expect(statusText(c)).toBe("Reconnecting… · 1 change kept on this device, sent when back online");
    c.submit([op.create("n2", ObjectType.NOTE, {})]);
    expect(statusText({ status: "offline", pendingCount: 2, wasOnline: true })).toBe("Offline · 2 changes kept on this device, sent when back online");
    expect(statusText({ status: "offline", pendingCount: 0, wasOnline: true })).toBe("Offline · changes are kept on this device");
    vi.advanceTimersByTime(BACKOFF_MAX_MS);
    sockets[1].open();
    sockets[1].drop(4004);
    expect(statusText(c)).toBe("Opened in another tab");
    expect(statusText({ status: "outdated", pendingCount: 0, wasOnline: true })).toBe("Out of date: reload");
    expect(statusText({ status: "revoked", pendingCount: 0, wasOnline: true })).toBe("No access");
    expect(statusText({ status: "deleted", pendingCount: 0, wasOnline: true })).toBe("Deleted");
  });
});
