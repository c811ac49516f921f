// The object schema on the client: src/gen/schema.ts, generated from protocol/schema.json
// (the table the server validates against), and look-ups over it.
import type { ObjectType } from "../gen/board_pb";
import { LIMIT_DEFAULTS, SCHEMA_TYPES } from "../gen/schema";
import type { FieldSpec, LimitSetting, TypeSpec } from "../gen/schema";

export { LIMIT_DEFAULTS, SCHEMA_TYPES };
export type { Access, Check, FieldSpec, LimitSetting, TypeSpec, ValueKind } from "../gen/schema";

const byType = new Map<ObjectType, TypeSpec>(SCHEMA_TYPES.map((t): [ObjectType, TypeSpec] => [t.type, t]));

/** The schema of an object type, or undefined for a type the schema does not know. */
export function typeSpec(type: ObjectType): TypeSpec | undefined {
  return byType.get(type);
}

/** The schema of one field of a type, or undefined. */
export function fieldSpec(type: ObjectType, name: string): FieldSpec | undefined {
  return byType.get(type)?.fields.find((f) => f.name === name);
}

/** A field's byte limit, reading a setting's value from `limits` (the server's defaults otherwise). */
export function maxBytes(field: FieldSpec, limits: Partial<Record<LimitSetting, number>> = {}): number {
  return typeof field.maxBytes === "number" ? field.maxBytes : (limits[field.maxBytes] ?? LIMIT_DEFAULTS[field.maxBytes]);
}
