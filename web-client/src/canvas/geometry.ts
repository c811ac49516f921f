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

/** The box around `all` (null for none): what "Fit" shows (canvas/canvasView.ts). */
export function boxAround(all: Iterable<Box>): Box | null {
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  for (const b of all) {
    x1 = Math.min(x1, b.x);
    y1 = Math.min(y1, b.y);
    x2 = Math.max(x2, b.x + b.w);
    y2 = Math.max(y2, b.y + b.h);
  }
  return x1 === Infinity ? null : { x: x1, y: y1, w: x2 - x1, h: y2 - y1 };
}
