// Outbox: the pending changes (made here, not yet acked or refused) and what is kept
// with them in storage per board and member (sessionStorage in the page): the client id
// and the next client_seq. They survive a reload and are all resent after a reconnect
// (IDEM-3).
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { Op } from "../gen/board_pb";
import { ChangeSchema } from "../gen/board_pb";
import type { ChangeMeta } from "./board";
import { newId } from "./ops";
import type { Me } from "./syncTypes";
import { stamp } from "./syncTypes";

export interface PendingChange {
  clientSeq: bigint;
  ops: Op[];
}

interface Saved {
  clientId: string;
  nextClientSeq: string;
  pending: string[]; // base64 Change
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

export class Outbox {
  clientId: string;
  nextClientSeq = 1n;
  pending: PendingChange[] = [];
  /** When each pending change was made here (the created_ms of a pending comment). */
  private pendingTime = new Map<bigint, bigint>();
  /** Each pending change as saved (base64 Change): encoded once, not on every save. */
  private encoded = new Map<bigint, string>();

  constructor(
    private readonly storage: Pick<Storage, "getItem" | "setItem"> | undefined,
    private readonly storageKey: string,
  ) {
    const saved = this.load();
    this.clientId = saved?.clientId ?? newId();
    if (saved) {
      this.nextClientSeq = BigInt(saved.nextClientSeq);
      this.pending = saved.pending.map((p) => {
        const c = fromBinary(ChangeSchema, unb64(p));
        return { clientSeq: c.clientSeq, ops: c.ops };
      });
    }
  }

  /** Queues `ops` as the next change, made now, and saves. */
  add(ops: Op[]): PendingChange {
    const change = { clientSeq: this.nextClientSeq++, ops };
    this.pending.push(change);
    this.pendingTime.set(change.clientSeq, BigInt(Date.now()));
    this.save();
    return change;
  }

  has(clientSeq: bigint): boolean {
    return this.pending.findIndex((p) => p.clientSeq === clientSeq) >= 0;
  }

  /** Removes the pending change `clientSeq` (acked or refused for good); not saved yet. */
  take(clientSeq: bigint): PendingChange | undefined {
    const i = this.pending.findIndex((p) => p.clientSeq === clientSeq);
    if (i < 0) return undefined;
    const [p] = this.pending.splice(i, 1);
    this.forget(p.clientSeq);
    return p;
  }

  /** Drops every pending change; not saved yet. */
  clear(): void {
    this.pending = [];
    this.pendingTime.clear();
    this.encoded.clear();
  }

  /** Goes on under a new client id, the pending changes kept (the server never saw them under it). Saved. */
  newClientId(): void {
    this.clientId = newId();
    this.save();
  }

  /** Starts afresh under a new client id: nothing pending, client_seq from 1. Saved. */
  restart(): void {
    this.clientId = newId();
    this.nextClientSeq = 1n;
    this.clear();
    this.save();
  }

  /**
   * How a pending change is applied to the view: not sequenced yet (seq 0), stamped
   * as the server will stamp it (AUTH-3), at the time it was made here.
   */
  metaOf(p: PendingChange, me: Me): ChangeMeta {
    let t = this.pendingTime.get(p.clientSeq);
    if (t === undefined) this.pendingTime.set(p.clientSeq, (t = BigInt(Date.now())));
    return { seq: 0n, ...stamp(me), timeMs: t, system: false, clientId: this.clientId };
  }

  save(): void {
    const saved: Saved = {
      clientId: this.clientId,
      nextClientSeq: this.nextClientSeq.toString(),
      pending: this.pending.map((p) => {
        let e = this.encoded.get(p.clientSeq);
        if (e === undefined) this.encoded.set(p.clientSeq, (e = b64(toBinary(ChangeSchema, create(ChangeSchema, p)))));
        return e;
      }),
    };
    try {
      this.storage?.setItem(this.storageKey, JSON.stringify(saved));
    } catch {
      /* storage full or unavailable: the queue still lives in memory */
    }
  }

  private load(): Saved | null {
    try {
      const raw = this.storage?.getItem(this.storageKey);
      return raw ? (JSON.parse(raw) as Saved) : null;
    } catch {
      return null;
    }
  }

  /** Drops what is kept beside a pending change that is no longer pending. */
  private forget(clientSeq: bigint): void {
    this.pendingTime.delete(clientSeq);
    this.encoded.delete(clientSeq);
  }
}
