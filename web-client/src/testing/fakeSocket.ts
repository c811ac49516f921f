// A scripted WebSocket for tests of the sync layer: records what the client sends
// (decoded), and delivers server frames, opens and drops on the test's command.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ClientMessage, ServerMessage } from "../gen/sync_pb";
import { ClientMessageSchema, ServerFrameSchema, ServerMessageSchema } from "../gen/sync_pb";
import type { SocketLike } from "../sync/transport";

export class FakeSocket implements SocketLike {
  binaryType = "";
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code?: number }) => void) | null = null;
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
  /** One server frame holding `msgs`, in order. */
  deliver(...msgs: ServerMessage["kind"][]) {
    const frame = create(ServerFrameSchema, { messages: msgs.map((kind) => create(ServerMessageSchema, { kind })) });
    this.onmessage?.({ data: toBinary(ServerFrameSchema, frame).buffer });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  /** The client_seqs of every change submitted so far, in order. */
  submitted(): bigint[] {
    return this.sent.flatMap((m) => (m.kind.case === "submit" ? m.kind.value.changes.map((c) => c.clientSeq) : []));
  }
  joins() {
    return this.sent.flatMap((m) => (m.kind.case === "join" ? [m.kind.value] : []));
  }
}

/** A socketFactory that keeps every FakeSocket it makes in `sockets`, in order. */
export function recordingFactory(sockets: FakeSocket[]): () => FakeSocket {
  return () => {
    const s = new FakeSocket();
    sockets.push(s);
    return s;
  };
}
