// Shared shapes of the discovery canvas: sizes, colours, field readers, boxes.
import { ObjectType } from "../gen/board_pb";
import type { Obj } from "../sync/board";

export const COLORS = ["#fff4b8", "#ffd6e0", "#d6f5d6", "#d6e6ff", "#f0dcff", "#ffe2c2"];
export const NOTE_W = 160;
export const NOTE_H = 120;
export const CANVAS_TYPES = [ObjectType.GROUP, ObjectType.NOTE, ObjectType.EXPERIMENT];

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export const num = (o: Obj, f: string, d = 0) => (typeof o.fields.get(f) === "number" ? (o.fields.get(f) as number) : d);
export const str = (o: Obj, f: string) => (typeof o.fields.get(f) === "string" ? (o.fields.get(f) as string) : "");
export const box = (o: Obj): Box => ({ x: num(o, "x"), y: num(o, "y"), w: num(o, "width", NOTE_W), h: num(o, "height", NOTE_H) });
export const isCanvas = (o: Obj) => CANVAS_TYPES.includes(o.type);
