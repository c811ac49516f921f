// The incremental view (overlay.ts) against the view from scratch (replayFromScratch)
// on random sessions, the FrameChanges each update reports, and the vote and comment
// indexes of BoardModel under deletes, tombstones and undo.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeSocket, recordingFactory } from "../testing/fakeSocket";
import type { Op } from "../gen/board_pb";
import { BoardKind, ObjectType, SequencedChangeSchema } from "../gen/board_pb";
import type { ClientMessage, ServerMessage } from "../gen/sync_pb";
import { ClientMessageSchema, RejectCode, Role, ServerFrameSchema, ServerMessageSchema } from "../gen/sync_pb";
import { BoardModel as Model } from "./board";
import type { FrameChanges } from "./frameChanges";
import { op } from "./ops";
import { replayFromScratch } from "./overlay";
import { SyncClient } from "./syncClient";


const YOU = { clientId: "", userName: "Alice A.", memberId: "m-alice", role: Role.EDITOR };
const welcome = (): ServerMessage["kind"] => ({
  case: "welcome",
  value: { headSeq: 0n, lastClientSeq: 0n, role: Role.EDITOR, you: YOU, board: { id: "b", title: "B", kind: BoardKind.BACKLOG } } as never,
});
const change = (seq: bigint, ops: Op[]): ServerMessage["kind"] =>
  ({ case: "change", value: create(SequencedChangeSchema, { seq, ops, clientId: "other", author: "bob", authorId: "m-bob" }) });
const ack = (clientSeq: bigint, seq: bigint): ServerMessage["kind"] => ({ case: "ack", value: { clientSeq, seq, serverTimeMs: 5n } as never });
const reject = (clientSeq: bigint): ServerMessage["kind"] => ({ case: "reject", value: { clientSeq, code: RejectCode.BAD_OP, message: "no" } as never });

/** A seeded PRNG (mulberry32): the same sequence on every run. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function expectSameView(c: SyncClient, what: string) {
  const meta = { seq: 0n, author: c.me.name, authorId: c.me.memberId, timeMs: BigInt(Date.now()), system: false };
  const ref = replayFromScratch(c.confirmed, c.pending, () => meta);
  expect(c.view.snapshot(), what).toEqual(ref.snapshot());
  expect(c.view.kind, what).toBe(ref.kind);
  expect(c.view.ordered().map((o) => o.id), `${what}: order`).toEqual(ref.ordered().map((o) => o.id));
  expect(c.view.ordered(ObjectType.NOTE).map((o) => o.id), `${what}: order`).toEqual(ref.ordered(ObjectType.NOTE).map((o) => o.id));
  for (const id of new Set([...ref.objects.keys(), ...c.view.objects.keys()])) {
    expect(c.view.votesOf(id).map((o) => o.id).sort(), `${what}: votes of ${id}`).toEqual(ref.votesOf(id).map((o) => o.id).sort());
    expect(c.view.commentsOf(id).map((o) => o.id).sort(), `${what}: comments of ${id}`).toEqual(ref.commentsOf(id).map((o) => o.id).sort());
  }
}

describe("ViewOverlay", () => {
  let sockets: FakeSocket[];
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
    sockets = [];
  });
  afterEach(() => vi.useRealTimers());

  const make = () => {
    const c = new SyncClient({
      url: "ws://t", boardId: "b", token: "t", memberId: "m-alice", userName: "alice", role: Role.EDITOR, color: "#f00", pageEnv: null,
      socketFactory: recordingFactory(sockets),
    });
    c.start();
    sockets[0].open();
    sockets[0].deliver(welcome());
    return c;
  };

  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`equals the view replayed from scratch on a random session (seed ${seed})`, () => {
      const r = rng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
      const c = make();
      const notes = ["n0", "n1", "n2", "n3", "n4", "n5"];
      const votes = ["v0", "v1", "v2", "v3"];
      const comments = ["c0", "c1", "c2"];
      const any = [...notes, ...votes, ...comments];
      const randomOp = (): Op => {
        const x = r();
        if (x < 0.15) return op.create(pick(notes), ObjectType.NOTE, { text: `t${Math.floor(r() * 9)}`, order: `a${Math.floor(r() * 9)}` });
        if (x < 0.35) return op.update(pick(any), r() < 0.7 ? { text: `u${Math.floor(r() * 9)}` } : { x: Math.floor(r() * 9) });
        if (x < 0.45) return op.delete(pick(any));
        if (x < 0.55) return op.move(pick(notes), `a${Math.floor(r() * 9)}`, r() < 0.3 ? pick(["", "n0"]) : undefined);
        if (x < 0.68) return op.addVote(pick(votes), pick(notes));
        if (x < 0.75) return op.removeVote(pick(votes));
        if (x < 0.85) return op.create(pick(comments), ObjectType.COMMENT, { target: pick(notes), text: "c" });
        if (x < 0.9) return op.update(pick(comments), { target: pick(notes) }); // retarget
        return op.updateBoard(r() < 0.5 ? `title ${Math.floor(r() * 9)}` : undefined, r() < 0.5 ? ["a", `col${Math.floor(r() * 3)}`] : undefined);
      };
      const randomOps = () => Array.from({ length: 1 + Math.floor(r() * 3) }, randomOp);
      let seq = 0n;
      for (let step = 0; step < 400; step++) {
        const x = r();
        if (x < 0.3) c.submit(randomOps());
        else if (x < 0.55) sockets[0].deliver(change(++seq, randomOps()));
        else if (x < 0.7 && c.pending.length > 0) sockets[0].deliver(ack(c.pending[0].clientSeq, ++seq));
        else if (x < 0.78 && c.pending.length > 0) sockets[0].deliver(reject(pick(c.pending).clientSeq));
        else if (x < 0.86 && c.pending.length > 0) {
          // One frame of several: a remote change, the ack of ours, another change.
          const p = c.pending[0].clientSeq;
          sockets[0].deliver(change(++seq, randomOps()), ack(p, ++seq), change(++seq, randomOps()));
        } else if (x < 0.93) c.undo();
        else c.redo();
        expectSameView(c, `seed ${seed}, step ${step}`);
      }
      c.stop();
    });
  }

  it("keeps the view after a reconnect's welcome and a snapshot", () => {
    const c = make();
    sockets[0].deliver(change(1n, [op.create("n1", ObjectType.NOTE, { text: "a" })]));
    c.submit([op.update("n1", { text: "mine" }), op.addVote("v1", "n1")]);
    sockets[0].deliver(welcome());
    expect(c.view.text("n1", "text")).toBe("mine");
    expect(c.view.votesOf("n1").map((v) => v.id)).toEqual(["v1"]);
    expectSameView(c, "after welcome");
  });
});

describe("FrameChanges", () => {
  let sockets: FakeSocket[];
  let seen: FrameChanges[];
  let c: SyncClient;
  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    seen = [];
    c = new SyncClient({
      url: "ws://t", boardId: "b", token: "t", memberId: "m-alice", userName: "alice", role: Role.FACILITATOR, color: "#f00", pageEnv: null,
      socketFactory: recordingFactory(sockets),
    });
    c.subscribe((fc) => seen.push(fc));
    c.start();
    sockets[0].open();
  });
  afterEach(() => {
    c.stop();
    vi.useRealTimers();
  });

  const last = () => seen[seen.length - 1];
  const ids = (fc: FrameChanges) => [...fc.objects].sort();

  it("reports everything for the welcome", () => {
    sockets[0].deliver({ ...welcome(), value: { ...(welcome().value as object), role: Role.FACILITATOR } as never });
    expect(last().all).toBe(true);
  });

  it("lists exactly the ids a remote change touched", () => {
    sockets[0].deliver(welcome());
    sockets[0].deliver(change(1n, [op.create("n1", ObjectType.NOTE, { text: "a" }), op.create("n2", ObjectType.NOTE, { text: "b" })]));
    expect(last()).toMatchObject({ all: false, settings: false, status: false });
    expect(ids(last())).toEqual(["n1", "n2"]);
    expect(last().presence.size).toBe(0);
    sockets[0].deliver(change(2n, [op.update("n2", { text: "c" }), op.addVote("v1", "n1")]));
    expect(ids(last())).toEqual(["n2", "v1"]);
    sockets[0].deliver(change(3n, [op.updateBoard("T")]));
    expect(last()).toMatchObject({ all: false, settings: true });
    expect(ids(last())).toEqual([]);
  });

  it("lists the ids of an own change, its ack and its reject, with the status (pending count)", () => {
    sockets[0].deliver(welcome());
    c.submit([op.create("n1", ObjectType.NOTE, { text: "a" })]);
    expect(ids(last())).toEqual(["n1"]);
    expect(last().status).toBe(true);
    sockets[0].deliver(ack(1n, 1n));
    expect(ids(last())).toEqual(["n1"]);
    expect(last().status).toBe(true);
    c.submit([op.update("n1", { text: "b" }), op.move("n1", "a5")]);
    c.submit([op.addVote("v1", "n1")]);
    sockets[0].deliver(reject(2n));
    expect(ids(last())).toEqual(["n1"]);
    expect(c.view.text("n1", "text")).toBe("a");
    expect(c.view.votesOf("n1").map((v) => v.id)).toEqual(["v1"]);
  });

  it("lists the client ids whose presence changed, and nothing else", () => {
    sockets[0].deliver(welcome());
    const member = { clientId: "p1", userName: "bob", color: "#0f0", role: Role.EDITOR, memberId: "m-bob" };
    sockets[0].deliver({ case: "presence", value: { member, presence: { cursor: { x: 1, y: 2 } } } as never });
    expect(last()).toMatchObject({ all: false, settings: false, status: false });
    expect([...last().presence]).toEqual(["p1"]);
    expect(last().objects.size).toBe(0);
    sockets[0].deliver({ case: "memberLeft", value: { clientId: "p1" } as never });
    expect([...last().presence]).toEqual(["p1"]);
  });

  it("keeps working for listeners that ignore the argument", () => {
    let calls = 0;
    c.subscribe(() => calls++);
    sockets[0].deliver(welcome());
    c.submit([op.create("n1", ObjectType.NOTE, { text: "a" })]);
    expect(calls).toBe(2);
  });
});

describe("BoardModel indexes", () => {
  const meta = (seq: bigint) => ({ seq, author: "bob", authorId: "m-bob", timeMs: 1n, system: false });
  const votes = (m: Model, id: string) => m.votesOf(id).map((o) => o.id).sort();
  const comments = (m: Model, id: string) => m.commentsOf(id).map((o) => o.id).sort();

  it("keeps votes and comments by target under delete, tombstone and retarget", () => {
    const m = new Model();
    m.apply([op.create("n1", ObjectType.NOTE, {}), op.create("n2", ObjectType.NOTE, {})], meta(1n));
    m.apply([op.addVote("v1", "n1"), op.addVote("v2", "n1"), op.addVote("v3", "n2")], meta(2n));
    m.apply([op.create("c1", ObjectType.COMMENT, { target: "n1", text: "x" }), op.create("c2", ObjectType.COMMENT, { target: "n1", text: "y" })], meta(3n));
    expect(votes(m, "n1")).toEqual(["v1", "v2"]);
    expect(comments(m, "n1")).toEqual(["c1", "c2"]);
    m.apply([op.removeVote("v1"), op.delete("c1")], meta(4n));
    expect(votes(m, "n1")).toEqual(["v2"]);
    expect(comments(m, "n1")).toEqual(["c2"]);
    m.apply([op.update("c2", { target: "n2" })], meta(5n));
    expect(comments(m, "n1")).toEqual([]);
    expect(comments(m, "n2")).toEqual(["c2"]);
    m.apply([op.delete("n2")], meta(6n)); // votes on a tombstone are inert (MODEL-7)
    expect(votes(m, "n2")).toEqual([]);
    expect(m.votes().get("n1")!.map((o) => o.id)).toEqual(["v2"]);
    expect(m.votes().has("n2")).toBe(false);
    // A recreated id does not bring a removed vote back.
    m.apply([op.addVote("v1", "n1")], meta(7n));
    expect(votes(m, "n1")).toEqual(["v2"]);
    const copy = m.clone();
    expect(votes(copy, "n1")).toEqual(["v2"]);
    const loaded = new Model();
    loaded.load(m.snapshot(), BoardKind.DISCOVERY);
    expect(votes(loaded, "n1")).toEqual(["v2"]);
    expect(comments(loaded, "n2")).toEqual(["c2"]);
  });

  it("follows undo and redo of a vote and of a delete in the view", () => {
    vi.useFakeTimers();
    const sockets: FakeSocket[] = [];
    const c = new SyncClient({
      url: "ws://t", boardId: "b", token: "t", memberId: "m-alice", userName: "alice", role: Role.EDITOR, color: "#f00", pageEnv: null,
      socketFactory: recordingFactory(sockets),
    });
    c.start();
    sockets[0].open();
    sockets[0].deliver(welcome(), change(1n, [op.create("n1", ObjectType.NOTE, { text: "a" }), op.create("c1", ObjectType.COMMENT, { target: "n1", text: "hi" })]));
    c.submit([op.addVote("v1", "n1")]);
    expect(votes(c.view, "n1")).toEqual(["v1"]);
    c.undo();
    expect(votes(c.view, "n1")).toEqual([]);
    c.redo();
    expect(c.view.votesOf("n1")).toHaveLength(1);
    c.submit([op.delete("c1")]);
    expect(comments(c.view, "n1")).toEqual([]);
    c.undo(); // restored: the same comment, same id (MODEL-9)
    expect(comments(c.view, "n1")).toEqual(["c1"]);
    expect(c.view.commentsOf("n1")[0].fields.get("text")).toBe("hi");
    expect(comments(c.confirmed, "n1")).toEqual(["c1"]);
    c.stop();
    vi.useRealTimers();
  });
});
