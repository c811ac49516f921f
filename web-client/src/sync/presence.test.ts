// Presence by tick (SPEC PRES-4..6) as the sync client sees it: a frame holding many
// members' presence, the newest winning, drag previews both ways.
import { create } from "@bufbuild/protobuf";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeSocket, recordingFactory } from "../testing/fakeSocket";
import { MemoryStorage } from "../testing/memoryStorage";
import { BoardKind } from "../gen/board_pb";
import type { Member, ServerMessage } from "../gen/sync_pb";
import { PresenceSchema, Role, ServerMessageSchema } from "../gen/sync_pb";
import { dragPreviews, Peers, PRESENCE_INTERVAL_MS } from "./presence";
import { noChanges } from "./changeSet";
import { SyncClient } from "./syncClient";

const member = (clientId: string, name = clientId): Member =>
  ({ clientId, userName: name, color: "#123", role: Role.EDITOR, memberId: `m-${clientId}` }) as Member;

function presenceOf(clientId: string, init: Parameters<typeof create<typeof PresenceSchema>>[1]): ServerMessage["kind"] {
  return { case: "presence", value: { member: member(clientId), presence: create(PresenceSchema, init) } as never };
}

function welcome(): ServerMessage["kind"] {
  return {
    case: "welcome",
    value: create(ServerMessageSchema, {
      kind: {
        case: "welcome",
        value: {
          headSeq: 0n,
          role: Role.EDITOR,
          you: { clientId: "", userName: "Alice", memberId: "m-alice", role: Role.EDITOR },
          board: { id: "b", title: "B", kind: BoardKind.DISCOVERY },
          present: [{ member: member("c-bob"), presence: { cursor: { x: 1, y: 1 } } }],
        },
      },
    }).kind.value as never,
  };
}

describe("presence by tick", () => {
  let sockets: FakeSocket[];
  const make = () =>
    new SyncClient({
      url: "ws://test/ws",
      boardId: "b",
      token: "t1.member.sig",
      memberId: "m-alice",
      userName: "alice",
      role: Role.EDITOR,
      color: "#f00",
      storage: new MemoryStorage(),
      socketFactory: recordingFactory(sockets),
    });
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
  });
  afterEach(() => vi.useRealTimers());

  it("takes one frame holding many members' presence (one tick) in one notification", () => {
    const c = joined();
    const heard: string[][] = [];
    c.subscribe((fc) => heard.push([...fc.presence].sort()));
    const me = sockets[0].joins()[0].clientId;
    sockets[0].deliver(
      presenceOf("c-bob", { cursor: { x: 10, y: 20 } }),
      presenceOf("c-carol", { cursor: { x: 30, y: 40 } }),
      presenceOf("c-dan", { viewport: { x: 0, y: 0, zoom: 1 } }),
      presenceOf(me, { cursor: { x: 99, y: 99 } }), // our own, should the server ever echo it: not a peer
    );
    expect(c.peers.get("c-bob")?.presence?.cursor?.x).toBe(10);
    expect(c.peers.get("c-carol")?.presence?.cursor?.y).toBe(40);
    expect(c.peers.get("c-dan")?.presence?.viewport?.zoom).toBe(1);
    expect(c.peers.has(me)).toBe(false);
    expect(heard).toEqual([["c-bob", "c-carol", "c-dan"]]);
  });

  it("keeps the newest presence of each member: a whole tick after a missed one replaces all (PRES-5)", () => {
    const c = joined();
    sockets[0].deliver(presenceOf("c-bob", { cursor: { x: 1, y: 2 }, selection: ["n1"] }));
    // A whole tick: bob's newest presence has no selection any more; carol is unchanged.
    sockets[0].deliver(presenceOf("c-bob", { cursor: { x: 5, y: 6 } }), presenceOf("c-carol", { cursor: { x: 7, y: 8 } }));
    expect(c.peers.get("c-bob")?.presence?.selection).toEqual([]);
    expect(c.peers.get("c-bob")?.presence?.cursor?.x).toBe(5);
    sockets[0].deliver({ case: "memberLeft", value: { clientId: "c-bob" } as never });
    expect(c.peers.has("c-bob")).toBe(false);
    expect(c.peers.has("c-carol")).toBe(true);
  });

  it("shows others' drags in progress through peers (PRES-6)", () => {
    const c = joined();
    sockets[0].deliver(
      presenceOf("c-bob", { cursor: { x: 1, y: 1 }, drag: { objectId: "n1", x: 120, y: -30 } }),
      presenceOf("c-carol", { drag: { objectId: "item-4", orderKey: "a1V", status: "doing" } }),
    );
    expect(c.peers.get("c-bob")?.presence?.drag?.x).toBe(120);
    const drags = dragPreviews(c.peers);
    expect([...drags.keys()].sort()).toEqual(["item-4", "n1"]);
    expect(drags.get("n1")).toMatchObject({ clientId: "c-bob", drag: { x: 120, y: -30 } });
    expect(drags.get("item-4")?.drag.orderKey).toBe("a1V");
    expect(drags.get("item-4")?.drag.status).toBe("doing");
    // The drop: bob's next presence has no drag; the preview is gone.
    sockets[0].deliver(presenceOf("c-bob", { cursor: { x: 2, y: 2 } }));
    expect(dragPreviews(c.peers).has("n1")).toBe(false);
  });

  it("sends its own drag with setPresence, the newest within the interval winning", () => {
    const c = joined();
    const presences = () =>
      sockets[0].sent.flatMap((m) => (m.kind.case === "presence" ? [m.kind.value] : []));
    c.setPresence({ cursor: { x: 1, y: 1 }, drag: { objectId: "n1", x: 10, y: 10 } });
    c.setPresence({ cursor: { x: 2, y: 2 }, drag: { objectId: "n1", x: 20, y: 20 } });
    c.setPresence({ cursor: { x: 3, y: 3 }, drag: { objectId: "n1", x: 30, y: 30 } });
    expect(presences().map((p) => p.drag?.x)).toEqual([10]);
    vi.advanceTimersByTime(PRESENCE_INTERVAL_MS);
    expect(presences().map((p) => p.drag?.x)).toEqual([10, 30]);
    c.setPresence({ cursor: { x: 3, y: 3 } }); // dropped: the drag ends
    vi.advanceTimersByTime(PRESENCE_INTERVAL_MS);
    const last = presences().at(-1)!;
    expect(last.drag).toBeUndefined();
  });

  it("an arrival without presence keeps nothing stale and marks the peer", () => {
    const peers = new Peers(() => true, () => {});
    const fc = noChanges();
    peers.onPresence({ member: member("c-eve") } as never, "me", fc);
    expect(peers.peers.get("c-eve")?.presence).toBeUndefined();
    expect([...fc.presence]).toEqual(["c-eve"]);
  });
});
