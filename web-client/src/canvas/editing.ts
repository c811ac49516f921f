// Editing on the canvas: opening the one text editor (ui/editor.ts) on an object or on
// a note to be created, keeping it on its object as the board changes, committing
// what was typed, and giving a draft back after a reload (ui/drafts.ts). The editor
// lives over the scene, outside its render: no render ever rebuilds or moves it.
import { ObjectType } from "../gen/board_pb";
import { newId, op } from "../sync/ops";
import type { SyncClient } from "../sync/syncClient";
import { Drafts, guardUnload, whoChanged } from "../ui/drafts";
import type { EditSession } from "../ui/editor";
import { TextEditor } from "../ui/editor";
import type { Box } from "./geometry";
import { COLORS, NOTE_H, NOTE_W, box, str } from "./geometry";
import type { PresenceParts } from "./ownPresence";
import { groupAt } from "./placement";

const FIELD: Partial<Record<ObjectType, string>> = {
  [ObjectType.NOTE]: "text", [ObjectType.GROUP]: "title", [ObjectType.EXPERIMENT]: "hypothesis",
};
const KIND: Partial<Record<ObjectType, string>> = {
  [ObjectType.NOTE]: "note", [ObjectType.GROUP]: "group", [ObjectType.EXPERIMENT]: "experiment",
};

export interface EditingContext {
  client: SyncClient;
  boardId: string;
  world: HTMLElement;
  selected: string[];
  els: ReadonlyMap<string, HTMLElement>;
  /** Ids a drag is moving: their element, not the board, has the current box. */
  dragging(): readonly string[];
  lastKey(): string;
  /** May this page change object `id` (not locked for it, FAC-7)? */
  canChange(id: string): boolean;
  presence(p: PresenceParts): void;
  rendering(): boolean;
  render(): void;
}

export class Editing {
  readonly editor: TextEditor;
  private readonly drafts: Drafts;
  private restored = false;
  /** The note whose edit started while it had the focus. */
  private fromFocus: string | null = null;
  private pressing = false;
  readonly unguard: () => void;

  constructor(private readonly c: EditingContext) {
    this.drafts = new Drafts(c.boardId);
    this.editor = new TextEditor(c.world, {
      drafts: this.drafts,
      commit: (s, value) => this.commit(s, value),
      cancel: (sess) => {
        c.render();
        this.giveFocusBack(sess);
      },
      who: (id) => whoChanged(c.client, id),
      rendering: c.rendering,
    });
    // Leaving asks first while a typed draft is open or changes are unsent.
    const unguard = guardUnload(() => {
      if (c.client.pending.length > 0) return true;
      const s = this.editor.session;
      return !!s && (s.create ? this.editor.ta.value.trim() !== "" : this.editor.ta.value !== s.original);
    });
    const down = () => (this.pressing = true), up = () => (this.pressing = false);
    document.addEventListener("pointerdown", down, true);
    document.addEventListener("pointerup", up, true);
    this.unguard = () => {
      unguard();
      document.removeEventListener("pointerdown", down, true);
      document.removeEventListener("pointerup", up, true);
    };
  }

  /** An edit opened from a focused note (Enter, keyboard.ts) and ended by a key: the focus goes back to the note. */
  private giveFocusBack(s: EditSession) {
    const el = this.c.els.get(s.objectId);
    if (this.fromFocus !== s.objectId || this.pressing) return;
    this.fromFocus = null;
    const a = document.activeElement;
    if (el?.isConnected && (!a || a === document.body)) el.focus({ preventScroll: true });
  }

  get editingId(): string | null {
    return this.editor.session?.objectId ?? null;
  }

  /** A new note at `at` (a world point), created with its text when the text is committed. */
  addNote(at: { x: number; y: number }) {
    const v = this.c.client.view;
    let x = Math.round(at.x - NOTE_W / 2), y = Math.round(at.y - NOTE_H / 2);
    if (v.privateWriting) {
      // Nobody sees the others' private notes: each person writes in a spot of their own,
      // so that the notes do not land on top of each other when they are revealed.
      const spot = privateSpot(this.c.client.me.memberId);
      x += spot.x;
      y += spot.y;
    }
    // Cascade instead of stacking a new note exactly on top of another one.
    const notes = [...v.objects.values()].filter((o) => !o.deleted && o.type === ObjectType.NOTE).map(box);
    const taken = (px: number, py: number) => notes.some((n) => Math.abs(n.x - px) < 12 && Math.abs(n.y - py) < 12);
    for (let i = 0; i < 50 && taken(x, y); i++) {
      x += 28;
      y += 28;
    }
    if (!this.c.client.canWrite) return;
    const values = { color: COLORS[0], x, y, width: NOTE_W, height: NOTE_H };
    this.c.selected.length = 0;
    this.c.presence({ selection: [] });
    this.editor.open({ objectId: newId(), field: "text", original: "", base: "", create: { type: ObjectType.NOTE, values } }, "", false, "note");
    this.c.render();
  }

  startEdit(objectId: string) {
    if (!this.c.client.canWrite || !this.c.canChange(objectId)) return;
    const o = this.c.client.view.live(objectId);
    const field = o && FIELD[o.type];
    if (!o || !field) return;
    if (this.editor.is(objectId, field)) return this.editor.focus();
    this.fromFocus = this.c.els.get(objectId) === document.activeElement ? objectId : null;
    const current = str(o, field);
    const draft = this.drafts.get(objectId, field);
    this.editor.open({ objectId, field, original: draft?.original ?? current, base: current }, draft?.value ?? current, !!draft, KIND[o.type]!);
    this.c.render();
  }

  /** The editor is closed already: this only sends. Never called from inside render(). */
  private commit(s: EditSession, value: string) {
    this.commitOnly(s, value);
    this.giveFocusBack(s);
  }

  private commitOnly(s: EditSession, value: string) {
    const { client, selected } = this.c;
    if (s.create) {
      if (value.trim()) {
        const order = this.c.lastKey();
        const ops = [op.create(s.objectId, s.create.type, { ...s.create.values, text: value, order })];
        // Made inside a lane or group: it belongs to it, and moves with it (a create cannot
        // set `parent`; a move in the same change does).
        const { x, y, width, height } = s.create.values as { x: number; y: number; width: number; height: number };
        const group = groupAt(client.view, x + width / 2, y + height / 2);
        if (group) ops.push(op.move(s.objectId, order, group));
        client.submit(ops);
        selected.length = 0;
        selected.push(s.objectId);
        this.c.presence({ selection: [...selected] });
      }
    } else {
      const o = client.view.live(s.objectId);
      if (o) {
        // Unchanged by the user: do not overwrite what someone else wrote meanwhile.
        if (value !== s.original && str(o, s.field) !== value) client.submit([op.update(s.objectId, { [s.field]: value })]);
      } else if (s.field === "text" && value.trim() && value !== s.original) {
        // Deleted by someone else while typing: the text is not lost, it becomes a new note.
        const at = this.editor.el.style;
        client.submit([op.create(newId(), ObjectType.NOTE, {
          text: value, color: COLORS[0], x: parseFloat(at.left) || 0, y: parseFloat(at.top) || 0,
          width: NOTE_W, height: NOTE_H, order: this.c.lastKey(),
        })]);
      }
    }
    this.c.render();
  }

  /** Keeps the editor on its object (moved, recoloured, changed or deleted underneath). */
  sync() {
    const s = this.editor.session;
    if (!s) return;
    if (!this.c.client.canWrite) return this.editor.cancel(); // the session ended: nothing can be saved here
    if (!s.create && !this.c.canChange(s.objectId)) return this.editor.cancel(); // locked meanwhile (FAC-7)
    if (s.create) {
      const cv = s.create.values;
      return this.editor.sync(undefined, { x: Number(cv.x), y: Number(cv.y), w: Number(cv.width), h: Number(cv.height) }, String(cv.color));
    }
    const o = this.c.client.view.live(s.objectId);
    const el = this.c.els.get(s.objectId);
    const px = (e: HTMLElement, f: "left" | "top" | "width" | "height") => parseFloat(e.style[f]);
    if (!o) return this.editor.sync(undefined, el ? { x: px(el, "left"), y: px(el, "top"), w: NOTE_W, h: NOTE_H } : { x: 0, y: 0, w: NOTE_W, h: NOTE_H }, COLORS[0]);
    const b: Box = el && this.c.dragging().includes(o.id) ? { x: px(el, "left"), y: px(el, "top"), w: px(el, "width"), h: px(el, "height") } : box(o);
    if (o.type === ObjectType.GROUP) b.h = Math.min(b.h, 44);
    const bg = o.type === ObjectType.NOTE ? str(o, "color") || COLORS[0] : "#fff";
    this.editor.sync(str(o, s.field), b, bg);
  }

  /** After a reload: the most recent draft opens again (the others when their object is opened). Once. */
  restoreDraft(): boolean {
    if (this.restored || !this.c.client.canWrite) return false;
    this.restored = true;
    const v = this.c.client.view;
    for (const d of this.drafts.list()) {
      if (d.create) {
        if (v.objects.has(d.objectId)) { this.drafts.drop(d.objectId, d.field); continue; } // committed before the reload
        this.editor.open({ objectId: d.objectId, field: d.field, original: d.original, base: d.original, create: d.create }, d.value, true, "note");
        return true;
      }
      const o = v.live(d.objectId);
      if (!o) continue;
      this.editor.open({ objectId: d.objectId, field: d.field, original: d.original, base: str(o, d.field) }, d.value, true, KIND[o.type] ?? "note");
      return true;
    }
    return false;
  }
}

/** A member's own offset for new notes during private writing (one of 15 spots around the centre). */
export function privateSpot(memberId: string): { x: number; y: number } {
  let hash = 0;
  for (const ch of memberId) hash = (hash * 31 + ch.charCodeAt(0)) | 0;
  const n = Math.abs(hash) % 15;
  return { x: ((n % 5) - 2) * (NOTE_W + 24), y: (Math.floor(n / 5) - 1) * (NOTE_H + 24) };
}
