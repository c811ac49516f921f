// Changes: a FrameChanges (frameChanges.ts) being filled in while the sync client
// applies a frame or a local change, and the helpers that fill it: which object ids
// and whether the board settings some ops touch.
import type { Op } from "../gen/board_pb";
import { opIds } from "./board";
import { isFacilitationOp } from "./facilitation";
import type { FrameChanges } from "./frameChanges";

/** A FrameChanges being filled in (mutable sets). */
export interface Changes extends FrameChanges {
  objects: Set<string>;
  presence: Set<string>;
}

export const noChanges = (): Changes => ({ all: false, objects: new Set(), settings: false, presence: new Set(), status: false, facilitation: false });
export const statusOnly = (): Changes => ({ ...noChanges(), status: true });

/** Marks what `ops` touch: their ids, the settings for updateBoard, the facilitation state for its ops. */
export function touch(fc: Changes, ops: Op[]): void {
  for (const o of ops) {
    for (const id of opIds(o)) fc.objects.add(id);
    if (o.kind.case === "updateBoard") fc.settings = true;
    if (isFacilitationOp(o)) fc.facilitation = true;
  }
}

export function changesOf(ops: Op[]): Changes {
  const fc = noChanges();
  touch(fc, ops);
  return fc;
}
