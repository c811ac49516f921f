// The server's clock (FAC-3): offset = server time - local time from the Welcome and
// the Pongs, keeping the sample with the shortest round trip; serverNow() and
// timerRemaining() of the SyncClient on fake time.
import { create } from "@bufbuild/protobuf";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeSocket, recordingFactory } from "../testing/fakeSocket";
import type { Op } from "../gen/board_pb";
import { BoardKind, SequencedChangeSchema } from "../gen/board_pb";
import type { ServerMessage } from "../gen/sync_pb";
import { Role } from "../gen/sync_pb";
import { ServerClock } from "./clock";
import { PING_INTERVAL_MS } from "./link";
import { op } from "./ops";
import { SyncClient } from "./syncClient";

describe("ServerClock", () => {
  it("keeps the offset of the sample with the shortest round trip", () => {
    let now = 10_000;
    const c = new ServerClock(() => now);
    expect([c.offset, c.synced, c.roundTrip]).toEqual([0, false, null]);
    expect(c.serverNow()).toBe(10_000);
    // Sent at 10 000, answered at 10 400: the server read 50 000 in the middle (10 200).
    now = 10_400;
    c.sample(10_000, 50_000);
    expect([c.offset, c.roundTrip]).toEqual([39_800, 400]);
    expect(c.serverNow()).toBe(50_200);
    // A slower answer is worse: ignored even though its offset differs.
    now = 20_000;
    c.sample(19_000, 70_000);
    expect(c.offset).toBe(39_800);
    // A faster one wins.
    now = 30_040;
    c.sample(30_000, 70_030);
    expect([c.offset, c.roundTrip]).toEqual([40_010, 40]);
    expect(c.serverNow()).toBe(70_050);
  });

  it("ignores samples without a server time or going back in time, and starts over on reset", () => {
    const c = new ServerClock(() => 100);
    c.sample(50, 0); // an older server: no server_time_ms
    c.sample(200, 999); // answered before it was sent
    c.sample(Number.NaN, 999);
    expect(c.synced).toBe(false);
    c.sample(90, 1_000_000);
    expect(c.offset).toBe(1_000_000 - 95);
    c.reset();
    expect([c.synced, c.offset]).toEqual([false, 0]);
    c.sample(0, 2_000_000); // after a reset any round trip is taken
    expect(c.offset).toBe(2_000_000 - 50);
  });
});

describe("SyncClient server time (FAC-3)", () => {
  let sockets: FakeSocket[];
  const LOCAL = 1_700_000_000_000;
  const SKEW = 123_456; // the server's clock runs ahead of ours by this
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(LOCAL);
    sockets = [];
  });
  afterEach(() => vi.useRealTimers());

  const make = () => {
    const c = new SyncClient({
      url: "ws://t", boardId: "b", token: "t", memberId: "m-fay", userName: "Fay", role: Role.FACILITATOR, color: "#f00", pageEnv: null,
      socketFactory: recordingFactory(sockets),
    });
    c.start();
    sockets[0].open();
    return c;
  };
  const welcome = (serverTimeMs: number): ServerMessage["kind"] => ({
    case: "welcome",
    value: {
      headSeq: 0n, lastClientSeq: 0n, role: Role.FACILITATOR, serverTimeMs: BigInt(serverTimeMs),
      you: { clientId: "", userName: "Fay", memberId: "m-fay", role: Role.FACILITATOR }, board: { id: "b", title: "B", kind: BoardKind.DISCOVERY },
    } as never,
  });
  const change = (seq: bigint, ops: Op[], serverTimeMs: number): ServerMessage["kind"] =>
    ({ case: "change", value: create(SequencedChangeSchema, { seq, ops, clientId: "other", author: "Bob", authorId: "m-bob", serverTimeMs: BigInt(serverTimeMs) }) });

  it("takes the offset from the welcome, then from a pong with a shorter round trip", () => {
    const c = make();
    vi.advanceTimersByTime(300); // the welcome takes 300 ms (a snapshot to load)
    sockets[0].deliver(welcome(LOCAL + SKEW + 150));
    expect(c.clock.offset).toBe(SKEW);
    expect(c.clock.roundTrip).toBe(300);
    // The first ping leaves at +PING_INTERVAL_MS; its pong comes 20 ms later, and the
    // server says the time was 5 ms later than we guessed: the better sample wins.
    vi.advanceTimersByTime(PING_INTERVAL_MS - 300);
    const pings = sockets[0].sent.filter((m) => m.kind.case === "ping");
    expect(pings).toHaveLength(1);
    const nonce = (pings[0].kind.value as { nonce: bigint }).nonce;
    const sentAt = LOCAL + PING_INTERVAL_MS;
    vi.advanceTimersByTime(20);
    sockets[0].deliver({ case: "pong", value: { nonce, serverTimeMs: BigInt(sentAt + 10 + SKEW + 5) } as never });
    expect(c.clock.roundTrip).toBe(20);
    expect(c.clock.offset).toBe(SKEW + 5);
    expect(c.serverNow()).toBe(Date.now() + SKEW + 5);
    // A pong not of ours (or answered before) changes nothing.
    sockets[0].deliver({ case: "pong", value: { nonce, serverTimeMs: 1n } as never });
    sockets[0].deliver({ case: "pong", value: { nonce: 42n, serverTimeMs: 1n } as never });
    expect(c.clock.offset).toBe(SKEW + 5);
  });

  it("shows what is left on the timer on the server's clock, never below 0", () => {
    const c = make();
    sockets[0].deliver(welcome(LOCAL + SKEW));
    expect(c.timerRemaining()).toBe(0); // no timer
    // Started on the server at its time LOCAL + SKEW, for 60 s.
    sockets[0].deliver(change(1n, [op.timerStart(60_000)], LOCAL + SKEW));
    expect(c.timerRemaining()).toBe(60_000);
    vi.advanceTimersByTime(15_000);
    expect(c.timerRemaining()).toBe(45_000);
    sockets[0].deliver(change(2n, [op.timerPause()], LOCAL + SKEW + 15_000));
    vi.advanceTimersByTime(10_000); // (within the silence limit: the link stays)
    expect(c.timerRemaining()).toBe(45_000); // paused
    sockets[0].deliver(change(3n, [op.timerResume()], LOCAL + SKEW + 25_000));
    vi.advanceTimersByTime(14_000);
    expect(c.timerRemaining()).toBe(31_000);
    sockets[0].deliver(change(4n, [op.timerAdd(-40_000)], LOCAL + SKEW + 39_000));
    expect(c.timerRemaining()).toBe(0);
  });

  it("starts over on a new connection", () => {
    const c = make();
    sockets[0].deliver(welcome(LOCAL + SKEW));
    expect(c.clock.offset).toBe(SKEW);
    sockets[0].drop(1006);
    vi.advanceTimersByTime(2000);
    sockets[1].open();
    vi.advanceTimersByTime(5000); // a slow welcome still replaces the old connection's sample
    sockets[1].deliver(welcome(LOCAL + 2000 + 2500 + 7));
    expect(c.clock.offset).toBe(7);
  });
});
