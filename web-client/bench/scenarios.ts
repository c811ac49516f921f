// Scenarios of bench/replica.bench.mjs: the sync layer's cost (a SyncClient fed binary
// server frames through a fake socket: decoding, applying, recomputing the view), no UI.
// Imports resolve against the source tree under test (--src), so the same scenarios
// measure the code before and after a change.
import { create, toBinary } from "@bufbuild/protobuf";
import { BoardKind, ObjectType, SequencedChangeSchema } from "./gen/board_pb";
import { Role, ServerFrameSchema, ServerMessageSchema } from "./gen/sync_pb";
import { field, op } from "./sync/ops";
import { SyncClient } from "./sync/syncClient";

class FakeSocket {
  binaryType = "";
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code?: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  send() {}
  close() {
    this.readyState = 3;
  }
}

type Kind = Parameters<typeof create<typeof ServerMessageSchema>>[1] extends infer I ? I extends { kind?: infer K } ? K : never : never;

const frame = (...kinds: Kind[]): ArrayBuffer => {
  const bytes = toBinary(ServerFrameSchema, create(ServerFrameSchema, { messages: kinds.map((kind) => create(ServerMessageSchema, { kind })) }));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
};

const noteId = (i: number) => `note-${String(i).padStart(6, "0")}`;

/** A board of `n` notes, with a vote on every 5th and a comment on every 10th. */
function snapshot(n: number) {
  const objects = [];
  for (let i = 0; i < n; i++) {
    objects.push({
      id: noteId(i), type: ObjectType.NOTE, createdSeq: 1n, updatedSeq: 1n, deleted: false,
      fields: [field("text", `note ${i}`), field("order", `a${i}`), field("x", i % 100), field("y", Math.floor(i / 100)), field("author", "bob")],
    });
    if (i % 5 === 0)
      objects.push({ id: `vote-${i}`, type: ObjectType.VOTE, createdSeq: 1n, updatedSeq: 1n, deleted: false, fields: [field("target", noteId(i)), field("voter", "m-bob")] });
    if (i % 10 === 0)
      objects.push({ id: `comment-${i}`, type: ObjectType.COMMENT, createdSeq: 1n, updatedSeq: 1n, deleted: false, fields: [field("target", noteId(i)), field("text", "hm"), field("author", "bob")] });
  }
  return { seq: 1n, objects, settings: { title: "Bench", columns: [] }, outbox: [] };
}

export interface Session {
  client: SyncClient;
  deliver(f: ArrayBuffer): void;
  seq: bigint;
}

/** A client joined to a board of `n` notes with `pending` changes of its own not yet acked. */
export function session(n: number, pending: number): Session {
  let sock: FakeSocket | null = null;
  const client = new SyncClient({
    url: "ws://bench", boardId: "b", token: "t", memberId: "m-alice", userName: "alice", role: Role.EDITOR, color: "#f00",
    pageEnv: null,
    socketFactory: () => (sock = new FakeSocket()),
  });
  client.start();
  const s = sock as unknown as FakeSocket;
  s.readyState = 1;
  s.onopen?.({});
  const deliver = (f: ArrayBuffer) => s.onmessage?.({ data: f });
  deliver(frame({
    case: "welcome",
    value: {
      headSeq: 1n, role: Role.EDITOR, you: { clientId: "", userName: "alice", memberId: "m-alice", role: Role.EDITOR },
      board: { id: "b", title: "Bench", kind: BoardKind.DISCOVERY }, snapshot: snapshot(n),
    } as never,
  }));
  for (let i = 0; i < pending; i++) client.submit([op.update(noteId(i), { text: `typing ${i}` })]);
  return { client, deliver, seq: 1n };
}

/** Frames of `count` remote changes, one change a frame (as the server broadcasts each change), on notes other than ours. */
export function remoteFrames(s: Session, n: number, count: number): ArrayBuffer[] {
  const out = [];
  for (let i = 0; i < count; i++) {
    const seq = ++s.seq;
    const target = noteId(n - 1 - (i % Math.max(1, n - 10)));
    out.push(frame({ case: "change", value: create(SequencedChangeSchema, { seq, ops: [op.update(target, { text: `remote ${i}` })], clientId: "other", author: "bob", authorId: "m-bob" }) }));
  }
  return out;
}

export function presenceFrames(count: number): ArrayBuffer[] {
  const out = [];
  for (let i = 0; i < count; i++)
    out.push(frame({
      case: "presence",
      value: { member: { clientId: "peer-1", userName: "bob", color: "#0f0", role: Role.EDITOR, memberId: "m-bob" }, presence: { cursor: { x: i, y: i }, selection: [], editing: "" } } as never,
    }));
  return out;
}

/** `count` own changes made (submit) and then acked one a frame. */
export function ownBurst(s: Session, count: number): void {
  const first = BigInt(s.client.pending.length) + 1n;
  for (let i = 0; i < count; i++) s.client.submit([op.update(noteId(i % 1000), { text: `mine ${i}` })]);
  const base = s.seq;
  for (let i = 0; i < count; i++)
    s.deliver(frame({ case: "ack", value: { clientSeq: first + BigInt(i), seq: base + BigInt(i + 1), duplicate: false, serverTimeMs: 5n } as never }));
  s.seq = base + BigInt(count);
}
