// Facilitation through the SyncClient: optimistic facilitation ops on the overlay,
// FrameChanges.facilitation, the derived ops an Ack carries (FAC-9, ACK-4),
// roles (ROLE-8) and the plain-language rejects.
import { create } from "@bufbuild/protobuf";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeSocket, recordingFactory } from "../testing/fakeSocket";
import type { BoardSnapshot, Op } from "../gen/board_pb";
import { BoardKind, FacilitationSchema, ObjectType, OpSchema, SequencedChangeSchema } from "../gen/board_pb";
import type { ServerMessage } from "../gen/sync_pb";
import { RejectCode, Role } from "../gen/sync_pb";
import type { FrameChanges } from "./frameChanges";
import { op } from "./ops";
import { replayFromScratch } from "./overlay";
import { rejectText } from "./rejectText";
import { SyncClient } from "./syncClient";

const welcome = (role: Role, snapshot?: BoardSnapshot, headSeq = 0n): ServerMessage["kind"] => ({
  case: "welcome",
  value: {
    headSeq, lastClientSeq: 0n, role, snapshot,
    you: { clientId: "", userName: "Alice", memberId: "m-alice", role }, board: { id: "b", title: "B", kind: BoardKind.DISCOVERY },
  } as never,
});
const change = (seq: bigint, ops: Op[], who: { author?: string; authorId?: string; clientId?: string } = { author: "Bob", authorId: "m-bob", clientId: "cb" }): ServerMessage["kind"] =>
  ({ case: "change", value: create(SequencedChangeSchema, { seq, ops, serverTimeMs: 1000n, ...who }) });
const ack = (clientSeq: bigint, seq: bigint, derived: Op[] = []): ServerMessage["kind"] => ({ case: "ack", value: { clientSeq, seq, serverTimeMs: 2000n, derived } as never });
const reject = (clientSeq: bigint, code: RejectCode, message: string): ServerMessage["kind"] => ({ case: "reject", value: { clientSeq, code, message } as never });

describe("SyncClient facilitation", () => {
  let sockets: FakeSocket[];
  let heard: FrameChanges[];
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
    sockets = [];
    heard = [];
  });
  afterEach(() => vi.useRealTimers());

  const make = (role: Role) => {
    const c = new SyncClient({
      url: "ws://t", boardId: "b", token: "t", memberId: "m-alice", userName: "Alice", role, color: "#f00", pageEnv: null,
      socketFactory: recordingFactory(sockets),
    });
    c.subscribe((fc) => heard.push(fc));
    c.start();
    sockets[0].open();
    sockets[0].deliver(welcome(role));
    heard = [];
    return c;
  };
  const sameAsScratch = (c: SyncClient, what: string) => {
    const meta = { seq: 0n, author: c.me.name, authorId: c.me.memberId, timeMs: BigInt(Date.now()), system: false, clientId: c.clientId };
    expect(c.view.snapshot(), what).toEqual(replayFromScratch(c.confirmed, c.pending, () => meta).snapshot());
  };

  it("shows a pending facilitation op at once, keeps the confirmed state apart, and rolls it back on a reject", () => {
    const c = make(Role.FACILITATOR);
    c.submit([op.setAgenda([{ id: "w", name: "Write", anonymous: true }]), op.setPhase("w")], false);
    expect(heard.at(-1)!.facilitation).toBe(true);
    expect(c.view.phase?.name).toBe("Write");
    expect(c.confirmed.phase).toBeUndefined();
    expect(c.view.facilitation).not.toBe(c.confirmed.facilitation); // a copy: the confirmed one is not written
    // Created on top of the pending phase: anonymous in the view already.
    c.submit([op.create("n1", ObjectType.NOTE, { text: "x" })]);
    expect(c.view.isAnonymous("n1")).toBe(true);
    sameAsScratch(c, "pending agenda and note");
    // Another's change to the facilitation state: the pending op stays on top.
    sockets[0].deliver(change(1n, [op.setReady(true)]));
    expect(heard.at(-1)!.facilitation).toBe(true);
    expect(c.confirmed.ready.map((r) => r.memberId)).toEqual(["m-bob"]);
    expect(c.view.ready).toEqual([]); // the pending SetPhase, replayed on top, resets readiness
    expect(c.view.phase?.id).toBe("w");
    sameAsScratch(c, "after a confirmed change");
    sockets[0].deliver(reject(1n, RejectCode.BAD_FIELD, "bad agenda"));
    expect(c.view.phase).toBeUndefined();
    expect(c.view.isAnonymous("n1")).toBe(false); // its stamps follow the confirmed state again
    expect(c.view.ready).toHaveLength(1);
    sameAsScratch(c, "after the reject");
    sockets[0].deliver(ack(2n, 2n));
    expect(c.confirmed.live("n1")).toBeDefined();
    expect(c.view.facilitation).toBe(c.confirmed.facilitation); // shared again: nothing pending writes it
  });

  it("tells listeners of facilitation changes only when the state changed", () => {
    const c = make(Role.EDITOR);
    sockets[0].deliver(change(1n, [op.create("n1", ObjectType.NOTE, {})]));
    expect(heard.at(-1)!.facilitation).toBe(false);
    sockets[0].deliver(change(2n, [op.setLock("n1", true)]));
    expect(heard.at(-1)!.facilitation).toBe(false); // an object's lock: objects
    expect([...heard.at(-1)!.objects]).toEqual(["n1"]);
    expect(c.view.lockedFor("n1")).toBe(true);
    sockets[0].deliver(change(3n, [op.lockBoard(true)]));
    expect(heard.at(-1)!.facilitation).toBe(true);
    expect(c.view.boardLocked).toBe(true);
    sockets[0].deliver(change(4n, [])); // all filtered out (VIS-5): just a seq
    expect(c.confirmed.seq).toBe(4n);
  });

  it("lets only facilitators run the workshop; anyone who edits says they are ready", () => {
    const c = make(Role.EDITOR);
    c.submit([op.setPhase("w")]);
    expect(c.lastError).toBe("Only facilitators can run the workshop");
    expect(c.pending).toHaveLength(0);
    c.submit([op.setReady(true)], false);
    expect(sockets[0].submitted()).toEqual([1n]);
    expect(c.view.isReady("m-alice")).toBe(true);
    expect(c.view.ready[0].name).toBe("Alice");
    expect(c.canFacilitate).toBe(false);
  });

  it("stamps its own private note and applies the PrivateCount the ack carries (FAC-4, FAC-9, ACK-4)", () => {
    const c = make(Role.EDITOR);
    sockets[0].deliver(change(1n, [op.setPrivateWriting(true)], { author: "Fay", authorId: "m-fay", clientId: "cf" }));
    c.submit([op.create("n1", ObjectType.NOTE, { text: "mine" })]);
    expect(c.view.privateTo("n1")).toBe("m-alice");
    sockets[0].deliver(ack(1n, 2n, [privateCount("m-alice", "Alice", 1)]));
    expect(c.confirmed.privateTo("n1")).toBe("m-alice");
    expect(c.confirmed.privateCounts.map((p) => [p.memberId, p.name, p.count])).toEqual([["m-alice", "Alice", 1]]);
    expect(heard.at(-1)!.facilitation).toBe(true);
    c.submit([op.delete("n1")]);
    sockets[0].deliver(ack(2n, 3n, [privateCount("m-alice", "Alice", 0)]));
    expect(c.confirmed.privateCounts).toEqual([]);
    // Bob's private note never reaches Alice: only his count (VIS-1), with no author.
    sockets[0].deliver(change(4n, [privateCount("m-bob", "Bob", 1)], {}));
    expect(c.view.privateCounts.map((p) => p.name)).toEqual(["Bob"]);
    expect(c.view.objects.size).toBe(1); // n1's tombstone only
  });

  it("counts its own session votes and applies the Turnout its ack carries (facilitators only, VIS-4)", () => {
    const c = make(Role.FACILITATOR);
    sockets[0].deliver(change(1n, [op.create("n1", ObjectType.NOTE, {}), op.openVoting({ id: "s1", votesPerPerson: 2 })]));
    c.submit([op.addVote("v1", "n1")]);
    expect(c.view.votesUsed("m-alice")).toBe(1);
    sockets[0].deliver(ack(1n, 2n, [create(OpSchema, { kind: { case: "turnout", value: { memberId: "m-alice", name: "Alice", used: 1 } } })]));
    expect(c.confirmed.turnout.map((t) => [t.memberId, t.used])).toEqual([["m-alice", 1]]);
    expect(c.confirmed.votesUsed("m-alice")).toBe(1);
    expect([c.myVotesUsed(), c.myVotesLeft()]).toEqual([1, 1]);
    sockets[0].deliver(change(3n, [op.closeVoting()]));
    expect(c.myVotesLeft()).toBeNull();
  });

  it("rolls back a vote over the budget with a plain message, never resent", () => {
    const c = make(Role.EDITOR);
    sockets[0].deliver(change(1n, [op.create("n1", ObjectType.NOTE, {}), op.openVoting({ id: "s1", votesPerPerson: 1 })]));
    c.submit([op.addVote("v1", "n1")]);
    sockets[0].deliver(reject(1n, RejectCode.OVER_BUDGET, "all 1 votes used"));
    expect(c.view.live("v1")).toBeUndefined();
    expect(c.pending).toHaveLength(0);
    expect(c.lastError).toBe("You have used all 1 of your votes in this vote");
    c.submit([op.addVote("v2", "n1")]);
    sockets[0].deliver(reject(2n, RejectCode.NOT_VOTABLE, "object n1 is not in the vote"));
    expect(c.lastError).toBe("This item is not part of the current vote");
    vi.advanceTimersByTime(60_000);
    expect(sockets[0].submitted()).toEqual([1n, 2n]);
  });

  it("applies the VotingResult its CloseVoting ack carries, on the same connection (ACK-4)", () => {
    const c = make(Role.FACILITATOR);
    sockets[0].deliver(change(1n, [op.create("n1", ObjectType.NOTE, {}), op.openVoting({ id: "s1", votesPerPerson: 2 })]));
    c.submit([op.closeVoting()], false);
    const result = create(OpSchema, { kind: { case: "votingResult", value: { id: "s1", votesPerPerson: 2, maxPerObject: 2, closedMs: 2000n, voters: 3, tallies: [{ target: "n1", count: 4 }] } } });
    sockets[0].deliver(ack(1n, 2n, [result]));
    expect(c.confirmed.votingSession).toBeUndefined();
    expect(c.view.results.map((r) => [r.id, r.voters, r.tallies[0].count])).toEqual([["s1", 3, 4]]);
    expect(heard.at(-1)!.facilitation).toBe(true);
    expect(sockets).toHaveLength(1); // no reconnect
    expect(sockets[0].readyState).not.toBe(3);
  });

  for (const seed of [11, 12, 13, 14, 15, 16]) {
    it(`keeps the incremental view equal to the view from scratch with facilitation ops (seed ${seed})`, () => {
      let a = seed;
      const r = () => {
        a = (a + 0x6d2b79f5) | 0;
        let t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
      const c = make(Role.FACILITATOR);
      const notes = ["n0", "n1", "n2", "n3"];
      const phases = [{ id: "w", name: "Write", anonymous: true }, { id: "d", name: "Discuss" }];
      // Ops a client sends (no CloseVoting / ShowNames / reveal: their acks fetch the board again).
      const mine = (): Op => {
        const x = r();
        if (x < 0.2) return op.create(pick(notes), ObjectType.NOTE, { text: "t" });
        if (x < 0.3) return op.create(`c${Math.floor(r() * 3)}`, ObjectType.COMMENT, { target: pick(notes), text: "c" });
        if (x < 0.4) return op.update(pick(notes), { text: `u${Math.floor(r() * 9)}` });
        if (x < 0.47) return op.delete(pick(notes));
        if (x < 0.57) return op.addVote(`v${Math.floor(r() * 4)}`, pick(notes));
        if (x < 0.62) return op.removeVote(`v${Math.floor(r() * 4)}`);
        if (x < 0.7) return op.setPhase(pick(["", "w", "d"]));
        if (x < 0.75) return op.setAgenda(r() < 0.5 ? phases : phases.slice(1));
        if (x < 0.8) return op.setReady(r() < 0.6);
        if (x < 0.85) return op.setLock(pick(notes), r() < 0.5);
        if (x < 0.9) return op.timerAdd(5000);
        if (x < 0.95) return op.setPrivateWriting(true);
        return op.lockBoard(r() < 0.5);
      };
      const theirs = (): Op => {
        const x = r();
        if (x < 0.1) return op.showNames(r() < 0.5);
        if (x < 0.15) return op.openVoting({ id: `s${Math.floor(r() * 1000)}`, votesPerPerson: 3 });
        if (x < 0.2) return op.closeVoting();
        if (x < 0.25) return op.setPrivateWriting(r() < 0.5);
        if (x < 0.3) return op.timerStart(60_000);
        return mine();
      };
      let seq = 0n;
      for (let step = 0; step < 300; step++) {
        const x = r();
        const n = 1 + Math.floor(r() * 3);
        if (x < 0.35) c.submit(Array.from({ length: n }, mine), false);
        else if (x < 0.65) sockets[0].deliver(change(++seq, Array.from({ length: n }, theirs)));
        else if (x < 0.85 && c.pending.length > 0) sockets[0].deliver(ack(c.pending[0].clientSeq, ++seq));
        else if (c.pending.length > 0) sockets[0].deliver(reject(pick(c.pending).clientSeq, RejectCode.NOT_ALLOWED, "no"));
        sameAsScratch(c, `seed ${seed}, step ${step}`);
      }
      expect(sockets).toHaveLength(1); // no resync was needed
    });
  }

  it("exposes the readers the workshop UI needs", () => {
    const c = make(Role.FACILITATOR);
    sockets[0].deliver(change(1n, [op.setFollow(true)], { author: "Fay", authorId: "m-fay", clientId: "tab-fay" }));
    expect(c.view.follow).toEqual({ clientId: "tab-fay", name: "Fay" });
    expect(c.followTarget).toEqual({ clientId: "tab-fay", name: "Fay" });
    c.submit([op.setFollow(true)], false);
    expect(c.view.follow?.clientId).toBe(c.clientId);
    expect(c.followTarget).toBeNull(); // the leader does not follow itself
    expect(rejectText(RejectCode.BOARD_LOCKED, "x")).toMatch(/locked/);
    expect(rejectText(RejectCode.OVER_BUDGET, "at most 2 votes on one object")).toBe("You can give one item at most 2 votes in this vote");
    expect(rejectText(RejectCode.NOT_VOTABLE, "object n1 is private")).toMatch(/Private/);
    expect(rejectText(RejectCode.NOT_VOTABLE, "no voting session is open")).toMatch(/Voting is closed/);
    expect(rejectText(RejectCode.BAD_FIELD, "")).toBe("The board could not take that change: it was undone");
  });
});

function privateCount(memberId: string, name: string, count: number): Op {
  return create(OpSchema, { kind: { case: "privateCount", value: { memberId, name, count } } });
}
