// Builders of ops (protocol/board.proto) for the UI and tests.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { create } from "@bufbuild/protobuf";
import type { Field, Op } from "../gen/board_pb";
import { FieldSchema, ObjectType, OpSchema, TextListSchema, ValueSchema } from "../gen/board_pb";
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
};

/** A new object id: 128 random bits, as UUID text (valid: [A-Za-z0-9_-], 36 chars). */
export function newId(): string {
  return crypto.randomUUID();
}
