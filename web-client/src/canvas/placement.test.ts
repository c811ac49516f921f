// Where a new note goes (placement.ts): inside the lane under the anchor, at the first
// free spot that overlaps nothing; nearest the pointer for a double-click; on the open
// canvas, the free spot nearest the anchor. Checked against a real BoardModel.
import { describe, expect, it } from "vitest";
import { ObjectType } from "../gen/board_pb";
import { BoardModel } from "../sync/board";
import { op } from "../sync/ops";
import { intersects } from "./culling";
import { NOTE_H, NOTE_W, box } from "./geometry";
import { GAP, freeSpot } from "./placement";

const meta = (seq: bigint) => ({ seq, author: "bob", authorId: "m-bob", timeMs: 1n, system: false });
let seq = 1n;
const lane = (m: BoardModel, id: string, x: number, order: string) =>
  m.apply([op.create(id, ObjectType.GROUP, { title: id, x, y: 0, width: 420, height: 700, order })], meta(seq++));
const note = (m: BoardModel, id: string, x: number, y: number) =>
  m.apply([op.create(id, ObjectType.NOTE, { text: id, x, y, width: NOTE_W, height: NOTE_H, order: "b" + id })], meta(seq++));
const noteBox = (s: { x: number; y: number }) => ({ x: s.x, y: s.y, w: NOTE_W, h: NOTE_H });
const within = (s: { x: number; y: number }, b: { x: number; y: number; w: number; h: number }) =>
  s.x >= b.x && s.y >= b.y && s.x + NOTE_W <= b.x + b.w && s.y + NOTE_H <= b.y + b.h;

describe("placing a new note", () => {
  it("three notes in a lane: each inside it, none overlapping another", () => {
    const m = new BoardModel();
    lane(m, "went-well", 0, "a1");
    lane(m, "to-improve", 440, "a2");
    const spots = [];
    for (let i = 0; i < 3; i++) {
      const s = freeSpot(m, { x: 432, y: 350 }, false); // the view's centre: between the lanes
      expect(s.group).toBe("to-improve"); // the nearer lane
      spots.push(s);
      note(m, `n${i}`, s.x, s.y);
    }
    const laneBox = box(m.live("to-improve")!);
    for (const s of spots) expect(within(s, laneBox)).toBe(true);
    for (let i = 0; i < 3; i++)
      for (let j = i + 1; j < 3; j++) expect(intersects(noteBox(spots[i]), noteBox(spots[j]))).toBe(false);
    // The first one in reading order: the top left of the lane, under its title.
    expect(spots[0].x).toBeLessThan(laneBox.x + 40);
    expect(spots[0].y).toBeLessThan(laneBox.y + 80);
  });

  it("a double-click lands as near the pointer as fits, inside the lane", () => {
    const m = new BoardModel();
    lane(m, "lane", 0, "a1");
    const s = freeSpot(m, { x: 210, y: 400 }, true);
    expect(s.group).toBe("lane");
    expect(Math.abs(s.x + NOTE_W / 2 - 210)).toBeLessThanOrEqual(16);
    expect(Math.abs(s.y + NOTE_H / 2 - 400)).toBeLessThanOrEqual(16);
    // Next to the lane's border, it is pulled inside rather than across it.
    const edge = freeSpot(m, { x: 410, y: 400 }, true);
    expect(within(edge, box(m.live("lane")!))).toBe(true);
    // Onto a note: the nearest spot beside it, clear of it by the gap.
    note(m, "there", 130, 340);
    const beside = freeSpot(m, { x: 210, y: 400 }, true);
    const b = box(m.live("there")!);
    expect(intersects(noteBox(beside), { x: b.x - GAP, y: b.y - GAP, w: b.w + 2 * GAP, h: b.h + 2 * GAP })).toBe(false);
  });

  it("on the open canvas: the anchor itself when free, else the nearest free spot; never inside a lane", () => {
    const m = new BoardModel();
    const s = freeSpot(m, { x: 1000, y: 1000 }, false);
    expect(s).toEqual({ x: 1000 - NOTE_W / 2, y: 1000 - NOTE_H / 2, group: "" });
    note(m, "a", s.x, s.y);
    const t = freeSpot(m, { x: 1000, y: 1000 }, false);
    expect(intersects(noteBox(t), noteBox(s))).toBe(false);
    expect(Math.hypot(t.x - s.x, t.y - s.y)).toBeLessThan(NOTE_W + 3 * GAP + 16);
    lane(m, "lane", 0, "a1");
    const u = freeSpot(m, { x: 1500, y: 350 }, false); // far right of the lane
    expect(u.group).toBe("");
    expect(intersects(noteBox(u), box(m.live("lane")!))).toBe(false);
  });

  it("a full lane: the note goes next to it, outside", () => {
    const m = new BoardModel();
    m.apply([op.create("tiny", ObjectType.GROUP, { title: "t", x: 0, y: 0, width: 150, height: 100 })], meta(seq++));
    const s = freeSpot(m, { x: 75, y: 50 }, false);
    expect(s.group).toBe("");
    expect(intersects(noteBox(s), { x: 0, y: 0, w: 150, h: 100 })).toBe(false);
  });
});
