// Builders of ops (protocol/board.proto) for the UI and tests.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { create } from "@bufbuild/protobuf";
import type { Field, Op } from "../gen/board_pb";
import { FieldSchema, ObjectType, OpSchema, PrivateAudience, TextListSchema, TimerAction, ValueSchema } from "../gen/board_pb";
import type { Plain } from "./board";

export function field(name: string, v: Plain): Field {
  let kind: MessageInitShape<typeof ValueSchema>["kind"];
  if (typeof v === "string") kind = { case: "text", value: v };
  else if (typeof v === "number") kind = { case: "number", value: v };
  else if (typeof v === "boolean") kind = { case: "flag", value: v };
  else if (typeof v === "bigint") kind = { case: "integer", value: v };
  else kind = { case: "list", value: create(TextListSchema, { items: v }) };
  return create(FieldSchema, { name, value: create(ValueSchema, { kind }) });
}

export function fieldsOf(values: Record<string, Plain>): Field[] {
  return Object.entries(values).map(([k, v]) => field(k, v));
}

export const op = {
  create: (id: string, type: ObjectType, values: Record<string, Plain>): Op =>
    create(OpSchema, { kind: { case: "create", value: { id, type, fields: fieldsOf(values) } } }),
  update: (id: string, values: Record<string, Plain>): Op =>
    create(OpSchema, { kind: { case: "update", value: { id, fields: fieldsOf(values) } } }),
  delete: (id: string): Op => create(OpSchema, { kind: { case: "delete", value: { id } } }),
  /** Brings the deleted object `id` back, the same object, with its client fields `values` (MODEL-9). */
  restore: (id: string, values: Record<string, Plain>): Op =>
    create(OpSchema, { kind: { case: "restore", value: { id, fields: fieldsOf(values) } } }),
  move: (id: string, order: string, parent?: string): Op =>
    create(OpSchema, { kind: { case: "move", value: { id, order, parent } } }),
  addVote: (id: string, target: string): Op => create(OpSchema, { kind: { case: "addVote", value: { id, target } } }),
  removeVote: (id: string): Op => create(OpSchema, { kind: { case: "removeVote", value: { id } } }),
  /** `backlogToken`: the sender's member token of the backlog board (ROLE-4). */
  promote: (noteId: string, backlogBoard: string, itemId: string, backlogToken: string): Op =>
    create(OpSchema, { kind: { case: "promote", value: { noteId, backlogBoard, itemId, backlogToken } } }),
  updateBoard: (title?: string, columns?: string[]): Op =>
    create(OpSchema, {
      kind: { case: "updateBoard", value: { title, columns: columns ?? [], setColumns: columns !== undefined } },
    }),

  // ---- facilitation (FAC-*): facilitators and owners (ROLE-8), setReady anyone who may edit ----
  /** Replaces the agenda (at most 50 phases; ids 1-64 of [A-Za-z0-9_-], unique; names at most 200 bytes). */
  setAgenda: (phases: PhaseInit[]): Op =>
    create(OpSchema, { kind: { case: "setAgenda", value: { phases: phases.map((p) => ({ id: p.id, name: p.name, anonymous: p.anonymous ?? false })) } } }),
  /** Makes a phase of the agenda current ("" = none); readiness and shown names reset. */
  setPhase: (phaseId: string): Op => create(OpSchema, { kind: { case: "setPhase", value: { phaseId } } }),
  /** Starts the timer for `durationMs` (1 s .. 24 h) from the change's server time. */
  timerStart: (durationMs: number): Op => timerOp(TimerAction.START, durationMs),
  timerPause: (): Op => timerOp(TimerAction.PAUSE, 0),
  timerResume: (): Op => timerOp(TimerAction.RESUME, 0),
  /** Adds `durationMs` (negative shortens; what is left stays >= 0). */
  timerAdd: (durationMs: number): Op => timerOp(TimerAction.ADD, durationMs),
  timerReset: (): Op => timerOp(TimerAction.RESET, 0),
  /** Marks the sender ready (or not) in the current phase. */
  setReady: (ready: boolean): Op => create(OpSchema, { kind: { case: "setReady", value: { ready } } }),
  /** Private writing on (new objects reach only `audience`) or off (reveals every private object). */
  setPrivateWriting: (on: boolean, audience: PrivateAudience = PrivateAudience.AUTHOR_AND_FACILITATORS): Op =>
    create(OpSchema, { kind: { case: "setPrivateWriting", value: { on, audience: on ? audience : PrivateAudience.UNSPECIFIED } } }),
  /** Shows (or hides again) the authors of objects made in anonymous phases. */
  showNames: (on: boolean): Op => create(OpSchema, { kind: { case: "showNames", value: { on } } }),
  /** Opens a voting session (one at a time; `id` new on the board; 1 <= maxPerObject <= votesPerPerson <= 100). */
  openVoting: (s: VotingInit): Op =>
    create(OpSchema, {
      kind: {
        case: "openVoting",
        value: {
          id: s.id, title: s.title ?? "", votesPerPerson: s.votesPerPerson, maxPerObject: s.maxPerObject ?? s.votesPerPerson,
          scope: s.scope ?? [], anonymous: s.anonymous ?? false,
        },
      },
    }),
  closeVoting: (): Op => create(OpSchema, { kind: { case: "closeVoting", value: {} } }),
  /** Locks or unlocks one object (only facilitators change it then). */
  setLock: (id: string, locked: boolean): Op => create(OpSchema, { kind: { case: "setLock", value: { id, locked } } }),
  /** Locks or unlocks the whole board (only facilitators create, change, move or delete then). */
  lockBoard: (locked: boolean): Op => create(OpSchema, { kind: { case: "setLock", value: { id: "", locked } } }),
  /** Everyone follows the sender's viewport (on), or nobody (off). */
  setFollow: (on: boolean): Op => create(OpSchema, { kind: { case: "setFollow", value: { on } } }),
  /** Board options; absent ones keep their value. */
  setOptions: (o: { dotVotes?: boolean }): Op => create(OpSchema, { kind: { case: "setOptions", value: { dotVotes: o.dotVotes } } }),
};

export interface PhaseInit {
  id: string;
  name: string;
  anonymous?: boolean;
}

export interface VotingInit {
  id: string;
  title?: string;
  votesPerPerson: number;
  /** Default: votesPerPerson. */
  maxPerObject?: number;
  /** Ids of live notes, groups, experiments or backlog items; empty = all of them. */
  scope?: string[];
  /** The result names no voters. */
  anonymous?: boolean;
}

function timerOp(action: TimerAction, durationMs: number): Op {
  return create(OpSchema, { kind: { case: "timer", value: { action, durationMs: BigInt(Math.round(durationMs)) } } });
}

/** The ops only facilitators and owners may send (ROLE-8, FAC-1). */
export function isFacilitatorOp(o: Op): boolean {
  switch (o.kind.case) {
    case "setAgenda":
    case "setPhase":
    case "timer":
    case "setPrivateWriting":
    case "showNames":
    case "openVoting":
    case "closeVoting":
    case "setLock":
    case "setFollow":
    case "setOptions":
      return true;
    default:
      return false;
  }
}

/** A new object id: 128 random bits, as UUID text (valid: [A-Za-z0-9_-], 36 chars). */
export function newId(): string {
  return crypto.randomUUID();
}
