// The replica's facilitation (FAC-*): every op and derived op as server/model/
// facilitation.cpp applies it, the timer's arithmetic (FAC-3), the stamps of creates
// and votes (FAC-4, FAC-5, FAC-6), and what a replica that does not see everything
// (VIS-*) shows: it never throws on missing ops, empty changes or a missing author.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import type { Op } from "../gen/board_pb";
import { BoardKind, BoardSnapshotSchema, ObjectStateSchema, ObjectType, OpSchema, PrivateAudience, TimerAction } from "../gen/board_pb";
import type { ChangeMeta } from "./board";
import { BoardModel } from "./board";
import { applyTimer, emptyFacilitation, isFacilitationOp, timerLeft } from "./facilitation";
import { field, isFacilitatorOp, op } from "./ops";

const H = 3600_000;
let seq = 0n;
const meta = (who: "fac" | "ann" | "bob" | "" = "ann", timeMs = 1_000_000n, clientId = `c-${who}`): ChangeMeta => ({
  seq: ++seq,
  author: who === "" ? "" : who === "fac" ? "Fay" : who === "ann" ? "Ann" : "Bob",
  authorId: who === "" ? "" : `m-${who}`,
  timeMs,
  system: false,
  clientId: who === "" ? "" : clientId,
});
const board = () => {
  seq = 0n;
  return BoardModel.empty({ kind: BoardKind.DISCOVERY, title: "W" });
};
const derived = {
  privateCount: (memberId: string, name: string, count: number): Op =>
    create(OpSchema, { kind: { case: "privateCount", value: { memberId, name, count } } }),
  turnout: (memberId: string, name: string, used: number): Op => create(OpSchema, { kind: { case: "turnout", value: { memberId, name, used } } }),
  authors: (list: [string, string][]): Op =>
    create(OpSchema, { kind: { case: "authors", value: { authors: list.map(([id, author]) => ({ id, author })) } } }),
  revealed: (objects: { id: string; type: ObjectType; fields: Record<string, string | boolean>; created: bigint; updated: bigint; deleted?: boolean }[]): Op =>
    create(OpSchema, {
      kind: {
        case: "revealed",
        value: {
          objects: objects.map((o) =>
            create(ObjectStateSchema, {
              id: o.id, type: o.type, createdSeq: o.created, updatedSeq: o.updated, deleted: o.deleted ?? false,
              fields: Object.entries(o.fields).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => field(k, v)),
            })),
        },
      },
    }),
  result: (id: string, tallies: [string, number, string[]][], closedMs = 9n): Op =>
    create(OpSchema, {
      kind: {
        case: "votingResult",
        value: { id, title: "Pick", votesPerPerson: 3, maxPerObject: 2, closedMs, voters: 2, tallies: tallies.map(([target, count, voters]) => ({ target, count, voters })) },
      },
    }),
};

describe("timer (FAC-3)", () => {
  const t0 = 1_000_000n;
  it("starts, pauses, resumes and resets on the change's server time", () => {
    let t = applyTimer(undefined, TimerAction.START, 60_000n, t0)!;
    expect([t.running, t.durationMs, t.endsAtMs, t.remainingMs]).toEqual([true, 60_000n, t0 + 60_000n, 0n]);
    expect(timerLeft(t, Number(t0) + 15_000)).toBe(45_000);
    t = applyTimer(t, TimerAction.PAUSE, 0n, t0 + 20_000n)!;
    expect([t.running, t.endsAtMs, t.remainingMs]).toEqual([false, 0n, 40_000n]);
    expect(timerLeft(t, Number(t0) + 999_999)).toBe(40_000); // paused: the clock does not matter
    expect(applyTimer(t, TimerAction.PAUSE, 0n, t0 + 30_000n)).toBe(t); // PAUSE of a stopped timer: no-op
    t = applyTimer(t, TimerAction.RESUME, 0n, t0 + 100_000n)!;
    expect([t.running, t.endsAtMs, t.remainingMs]).toEqual([true, t0 + 140_000n, 0n]);
    expect(applyTimer(t, TimerAction.RESUME, 0n, t0 + 110_000n)).toBe(t); // RESUME of a running one: no-op
    t = applyTimer(t, TimerAction.RESET, 0n, t0 + 120_000n)!;
    expect([t.running, t.endsAtMs, t.remainingMs, t.durationMs]).toEqual([false, 0n, 60_000n, 60_000n]);
  });

  it("adds to the duration and to what is left, never below 0", () => {
    let t = applyTimer(undefined, TimerAction.START, 60_000n, t0)!;
    t = applyTimer(t, TimerAction.ADD, 30_000n, t0 + 10_000n)!;
    expect([t.durationMs, t.endsAtMs]).toEqual([90_000n, t0 + 90_000n]);
    t = applyTimer(t, TimerAction.ADD, -200_000n, t0 + 10_000n)!;
    expect([t.durationMs, t.endsAtMs, t.running]).toEqual([0n, t0 + 10_000n, true]); // nothing left: ends now
    expect(timerLeft(t, Number(t0) + 20_000)).toBe(0); // never below 0
    // Expired and running: what is left counts from 0, not from below it.
    let u = applyTimer(undefined, TimerAction.START, 5_000n, t0)!;
    u = applyTimer(u, TimerAction.ADD, 10_000n, t0 + 60_000n)!;
    expect(u.endsAtMs).toBe(t0 + 70_000n);
    // Paused: only what is left moves.
    let p = applyTimer(applyTimer(undefined, TimerAction.START, 60_000n, t0), TimerAction.PAUSE, 0n, t0 + 50_000n)!;
    p = applyTimer(p, TimerAction.ADD, -20_000n, t0 + 70_000n)!;
    expect([p.remainingMs, p.durationMs]).toEqual([0n, 40_000n]);
  });

  it("has no timer for a RESUME that never started, nor after an all-zero result", () => {
    expect(applyTimer(undefined, TimerAction.RESUME, 0n, t0)).toBeUndefined();
    expect(applyTimer(undefined, TimerAction.RESET, 0n, t0)).toBeUndefined(); // all zero: one encoding of "no timer"
    expect(timerLeft(undefined, 5)).toBe(0);
  });

  it("caps the duration at 48 h", () => {
    let t = applyTimer(undefined, TimerAction.START, BigInt(24 * H), t0)!;
    t = applyTimer(t, TimerAction.ADD, BigInt(24 * H), t0)!;
    t = applyTimer(t, TimerAction.ADD, BigInt(24 * H), t0)!;
    expect(t.durationMs).toBe(BigInt(48 * H));
  });
});

describe("BoardModel facilitation", () => {
  it("keeps an agenda, a phase, readiness by member id, follow, options and the board lock", () => {
    const b = board();
    b.apply([op.setAgenda([{ id: "write", name: "Write", anonymous: true }, { id: "vote", name: "Vote" }])], meta("fac"));
    b.apply([op.setPhase("write")], meta("fac"));
    expect(b.phase?.name).toBe("Write");
    b.apply([op.setReady(true)], meta("bob"));
    b.apply([op.setReady(true)], meta("ann"));
    b.apply([op.setReady(true)], meta("ann")); // twice: once
    expect(b.ready.map((r) => [r.memberId, r.name])).toEqual([["m-ann", "Ann"], ["m-bob", "Bob"]]);
    expect(b.isReady("m-bob")).toBe(true);
    b.apply([op.setReady(false)], meta("bob"));
    expect(b.ready.map((r) => r.memberId)).toEqual(["m-ann"]);
    b.apply([op.showNames(true)], meta("fac"));
    b.apply([op.setPhase("vote")], meta("fac")); // FAC-2, FAC-5: readiness and names reset
    expect([b.ready.length, b.namesShown, b.phase?.id]).toEqual([0, false, "vote"]);
    b.apply([op.setAgenda([{ id: "vote", name: "Vote!" }])], meta("fac"));
    expect(b.phase?.name).toBe("Vote!"); // still in the agenda: stays
    b.apply([op.setAgenda([{ id: "talk", name: "Talk" }])], meta("fac"));
    expect(b.phase).toBeUndefined();
    expect(b.facilitation.phaseId).toBe("");

    b.apply([op.setFollow(true)], meta("fac", 1n, "tab-7"));
    expect(b.follow).toEqual({ clientId: "tab-7", name: "Fay" });
    b.apply([op.setFollow(false)], meta("fac"));
    expect(b.follow).toBeNull();
    expect(b.dotVotes).toBe(true);
    b.apply([op.setOptions({ dotVotes: false })], meta("fac"));
    b.apply([op.setOptions({})], meta("fac")); // absent: keeps
    expect(b.dotVotes).toBe(false);
    b.apply([op.lockBoard(true)], meta("fac"));
    expect(b.boardLocked).toBe(true);
  });

  it("locks one object with the server-only field `locked` (FAC-7)", () => {
    const b = board();
    b.apply([op.create("n1", ObjectType.NOTE, { text: "a" })], meta("ann"));
    const m = meta("fac");
    b.apply([op.setLock("n1", true)], m);
    expect([b.isLocked("n1"), b.lockedFor("n1"), b.live("n1")!.updatedSeq]).toEqual([true, true, m.seq]);
    b.apply([op.setLock("n1", false)], meta("fac"));
    expect(b.live("n1")!.fields.has("locked")).toBe(false);
    expect(b.lockedFor("n1")).toBe(false);
    b.apply([op.lockBoard(true)], meta("fac"));
    expect(b.lockedFor("n1")).toBe(true);
    b.apply([op.setLock("gone", true)], meta("fac")); // not seen here: skipped
  });

  it("makes creates private to their author while private writing is on (FAC-4)", () => {
    const b = board();
    b.apply([op.create("g1", ObjectType.GROUP, { title: "open" })], meta("fac"));
    b.apply([op.setPrivateWriting(true, PrivateAudience.AUTHOR)], meta("fac"));
    expect(b.privateWriting).toBe(true);
    b.apply([op.create("n1", ObjectType.NOTE, { text: "secret" }), derived.privateCount("m-ann", "Ann", 1)], meta("ann"));
    expect(b.privateTo("n1")).toBe("m-ann");
    expect(b.live("n1")!.fields.get("private_author_only")).toBe(true);
    expect(b.isPrivate("g1")).toBe(false);
    expect(b.privateCounts.map((c) => [c.memberId, c.count])).toEqual([["m-ann", 1]]);
    // A vote is never private; a tombstone keeps who may see it.
    b.apply([op.delete("n1"), derived.privateCount("m-ann", "Ann", 0)], meta("ann"));
    expect(b.objects.get("n1")!.fields.get("private_to")).toBe("m-ann");
    expect(b.privateCounts).toEqual([]);
  });

  it("makes an object referring to a private one private to the same member, after private writing too", () => {
    const b = board();
    b.apply([op.setPrivateWriting(true)], meta("fac"));
    b.apply([op.create("n1", ObjectType.NOTE, { text: "mine" })], meta("ann"));
    expect(b.live("n1")!.fields.has("private_author_only")).toBe(false); // author and facilitators
    b.apply([op.setPrivateWriting(false)], meta("fac")); // a replica that got no Revealed (filtered out for none)
    b.apply([op.create("c1", ObjectType.COMMENT, { target: "n1", text: "note to self" })], meta("ann"));
    expect(b.privateTo("c1")).toBe("m-ann");
  });

  it("reveals: Revealed sets whole states, counts drop to none (FAC-4, VIS-1)", () => {
    // Bob's replica: he never saw Ann's private note, only her count.
    const b = board();
    b.apply([op.setPrivateWriting(true)], meta("fac"));
    b.apply([derived.privateCount("m-ann", "Ann", 2)], meta("")); // Ann's change, filtered: only the count reached Bob
    expect(b.objects.size).toBe(0);
    expect(b.privateCounts.map((c) => [c.name, c.count])).toEqual([["Ann", 2]]);
    b.apply([
      op.setPrivateWriting(false),
      derived.revealed([
        { id: "n1", type: ObjectType.NOTE, fields: { text: "idea", author: "Ann" }, created: 2n, updated: 2n },
        { id: "n2", type: ObjectType.NOTE, fields: {}, created: 3n, updated: 4n, deleted: true },
      ]),
    ], meta("fac"));
    expect(b.privateCounts).toEqual([]);
    expect(b.privateWriting).toBe(false);
    expect(b.text("n1", "text")).toBe("idea");
    expect(b.isPrivate("n1")).toBe(false);
    expect(b.live("n1")!.createdSeq).toBe(2n);
    expect(b.objects.get("n2")).toBeDefined(); // a tombstone too
    expect(b.live("n2")).toBeUndefined();
  });

  it("stamps anonymity, hides the unknown author, and takes names from Authors (FAC-5, VIS-3)", () => {
    const b = board();
    b.apply([op.setAgenda([{ id: "w", name: "Write", anonymous: true }]), op.setPhase("w")], meta("fac"));
    b.apply([op.create("n1", ObjectType.NOTE, { text: "who?" })], meta("")); // reached us without author
    b.apply([op.create("n2", ObjectType.NOTE, { text: "mine" })], meta("ann")); // our own: with it
    b.apply([op.addVote("v1", "n2")], meta(""));
    expect(b.isAnonymous("n1")).toBe(true);
    expect(b.live("n1")!.fields.has("author")).toBe(false);
    expect(b.text("n2", "author")).toBe("Ann");
    expect(b.live("v1")!.fields.has("voter")).toBe(false);
    expect(b.isAnonymous("v1")).toBe(true);
    b.apply([op.showNames(true), derived.authors([["n1", "Bob"], ["v1", "m-bob"], ["unseen", "X"]])], meta("fac"));
    expect(b.namesShown).toBe(true);
    expect(b.text("n1", "author")).toBe("Bob");
    expect(b.live("v1")!.fields.get("voter")).toBe("m-bob");
  });

  it("runs a voting session: session stamps, votes used, turnout, result (FAC-6, VIS-2, VIS-4)", () => {
    const b = board();
    b.apply([op.create("n1", ObjectType.NOTE, {}), op.create("n2", ObjectType.NOTE, {})], meta("fac"));
    b.apply([op.addVote("d1", "n1")], meta("ann")); // a plain dot vote
    b.apply([op.openVoting({ id: "s1", title: "Pick", votesPerPerson: 3, maxPerObject: 2 })], meta("fac", 777n));
    expect(b.votingSession?.votesPerPerson).toBe(3);
    expect(b.facilitation.voting?.openedMs).toBe(777n);
    b.apply([op.addVote("v1", "n1"), derived.turnout("m-ann", "Ann", 1)], meta("ann"));
    b.apply([op.addVote("v2", "n2"), derived.turnout("m-ann", "Ann", 2)], meta("ann"));
    expect(b.live("v1")!.fields.get("session")).toBe("s1");
    expect(b.live("d1")!.fields.has("session")).toBe(false);
    expect(b.votesUsed("m-ann")).toBe(2);
    expect(b.votesUsed("m-bob")).toBe(0);
    expect(b.turnout.map((t) => [t.memberId, t.used])).toEqual([["m-ann", 2]]);
    b.apply([op.removeVote("v2"), derived.turnout("m-ann", "Ann", 1)], meta("ann"));
    expect(b.votesUsed("m-ann")).toBe(1);
    b.apply([op.closeVoting(), derived.result("s1", [["n1", 3, ["Ann", "Bob"]], ["n2", 1, ["Bob"]]])], meta("fac"));
    expect(b.votingSession).toBeUndefined();
    expect(b.turnout).toEqual([]);
    expect(b.votesUsed("m-ann")).toBe(0);
    expect(b.results.map((r) => [r.id, r.tallies.map((t) => [t.target, t.count])])).toEqual([["s1", [["n1", 3], ["n2", 1]]]]);
    // The session's votes stay the voters' own (VIS-2): still there for Ann.
    expect(b.live("v1")!.fields.get("session")).toBe("s1");
    b.apply([op.addVote("d2", "n1")], meta("ann"));
    expect(b.live("d2")!.fields.has("session")).toBe(false);
  });

  it("gives back its facilitation in snapshots, leaves an unused one out, and loads it", () => {
    const b = board();
    expect(b.snapshot().facilitation).toBeUndefined(); // boards that never used it keep their bytes
    b.apply([op.setAgenda([{ id: "w", name: "Write" }]), op.setPhase("w"), op.timerStart(60_000)], meta("fac", 5000n));
    b.apply([op.setReady(true)], meta("ann"));
    const snap = b.snapshot();
    expect(snap.facilitation?.timer?.endsAtMs).toBe(65_000n);
    const c = BoardModel.empty({ kind: BoardKind.DISCOVERY, title: "W" });
    c.load(fromBinary(BoardSnapshotSchema, toBinary(BoardSnapshotSchema, snap)), BoardKind.DISCOVERY);
    expect(toBinary(BoardSnapshotSchema, c.snapshot())).toEqual(toBinary(BoardSnapshotSchema, snap));
    expect(c.timerRemaining(20_000)).toBe(45_000);
    const d = c.clone();
    d.apply([op.setReady(false)], meta("ann"));
    expect(c.ready).toHaveLength(1); // a clone does not share it
    c.load(create(BoardSnapshotSchema, { seq: 3n }), BoardKind.DISCOVERY);
    expect(c.phase).toBeUndefined();
    expect(c.snapshot().facilitation).toBeUndefined();
  });

  it("never throws on what a filtered replica gets: empty changes, lone derived ops, no author, unknown ids", () => {
    const b = board();
    const odd: Op[][] = [
      [],
      [create(OpSchema, {})],
      [derived.turnout("m-x", "X", 0)],
      [derived.authors([["nope", "X"]])],
      [derived.result("s9", [])],
      [op.closeVoting()],
      [op.timerPause(), op.timerResume(), op.timerAdd(-5000), op.timerReset()],
      [op.setReady(true)],
      [op.setPhase("missing")],
      [op.addVote("v1", "ghost")],
      [op.removeVote("ghost")],
      [op.setLock("ghost", false)],
      [op.setFollow(true)],
    ];
    for (const ops of odd) expect(() => b.apply(ops, meta(""))).not.toThrow();
    expect(b.ready).toEqual([]); // nobody to mark
    expect(b.follow).toEqual(null); // no client to follow
    expect(b.results.map((r) => r.id)).toEqual(["s9"]);
  });
});

describe("op builders", () => {
  it("build every facilitation op", () => {
    expect(op.timerStart(90_000).kind).toMatchObject({ case: "timer", value: { action: TimerAction.START, durationMs: 90_000n } });
    expect(op.timerAdd(-30_000).kind.value).toMatchObject({ action: TimerAction.ADD, durationMs: -30_000n });
    expect(op.setPrivateWriting(true, PrivateAudience.AUTHOR).kind.value).toMatchObject({ on: true, audience: PrivateAudience.AUTHOR });
    expect(op.setPrivateWriting(false).kind.value).toMatchObject({ on: false, audience: PrivateAudience.UNSPECIFIED });
    expect(op.openVoting({ id: "s", votesPerPerson: 5 }).kind.value).toMatchObject({ id: "s", votesPerPerson: 5, maxPerObject: 5, scope: [], anonymous: false });
    expect(op.lockBoard(true).kind.value).toMatchObject({ id: "", locked: true });
    expect(op.setOptions({ dotVotes: false }).kind.value).toMatchObject({ dotVotes: false });
    expect((op.setOptions({}).kind.value as { dotVotes?: boolean }).dotVotes).toBeUndefined();
    const all = [
      op.setAgenda([{ id: "a", name: "A" }]), op.setPhase("a"), op.timerStart(1000), op.timerPause(), op.timerResume(), op.timerAdd(1),
      op.timerReset(), op.setPrivateWriting(true), op.showNames(true), op.openVoting({ id: "s", votesPerPerson: 1 }), op.closeVoting(),
      op.lockBoard(true), op.setLock("n", true), op.setFollow(true), op.setOptions({}),
    ];
    expect(all.every(isFacilitatorOp)).toBe(true);
    expect(isFacilitatorOp(op.setReady(true))).toBe(false); // anyone who may edit (FAC-1)
    expect(isFacilitationOp(op.setReady(true))).toBe(true);
    expect(isFacilitationOp(op.setLock("n", true))).toBe(false); // an object's field
    expect(emptyFacilitation().agenda).toEqual([]);
  });
});
