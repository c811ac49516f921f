// The text editor of the discovery board: one element, mounted over the canvas's
// world but outside the scene's render (as excalidraw's WYSIWYG editor), moved and
// recoloured in place as the object changes underneath, never rebuilt or removed by
// a render. The draft is the user's until they commit it (Enter without Shift,
// Ctrl+Enter, or a blur they cause) or cancel it (Escape: nothing is committed and
// the object keeps its text). A remote change to the field being edited does not
// touch the draft: a hint says who changed it. The draft is kept in sessionStorage
// while typing (drafts.ts), so a reload gives it back.
import type { Draft, Drafts } from "./drafts";
import { h } from "./dom";

const UNKNOWN = "someone else"; // whoIsOn() when no peer has the object selected

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface EditSession {
  objectId: string;
  field: string;
  /** The value when the edit began: what the draft is compared with, what Escape keeps. */
  original: string;
  /** The latest value of the field on the board seen while editing. */
  base: string;
  create?: Draft["create"];
}

export interface EditorHooks {
  drafts: Drafts;
  /** Called once per session with the typed value; the editor is already gone. */
  commit(s: EditSession, value: string): void;
  /** Escape: nothing to commit; the editor is already gone. */
  cancel(s: EditSession): void;
  /** Who most likely changed the object (for the hint). */
  who(objectId: string): string;
  /** True while the scene renders: a blur then is not the user's. */
  rendering(): boolean;
}

export class TextEditor {
  session: EditSession | null = null;
  readonly el: HTMLDivElement;
  readonly ta: HTMLTextAreaElement;
  private readonly hint: HTMLDivElement;
  private conflictWho = UNKNOWN;

  constructor(private readonly host: HTMLElement, private readonly hooks: EditorHooks) {
    this.ta = h("textarea", { class: "note-edit", "data-testid": "note-editor", spellcheck: "true" });
    this.hint = h("div", { class: "edit-hint", "data-testid": "edit-hint", hidden: true });
    this.el = h("div", { class: "editor", "data-testid": "editor" }, this.ta, this.hint);
    this.ta.addEventListener("input", () => this.saveDraft());
    this.ta.addEventListener("keydown", (e) => {
      e.stopPropagation(); // the board's shortcuts (Delete, Ctrl+Z) are not for the editor
      if (e.isComposing) return;
      if (e.key === "Escape") {
        e.preventDefault();
        this.cancel();
      } else if (e.key === "Enter" && !e.shiftKey) {
        e.preventDefault();
        this.commit();
      }
    });
    this.ta.addEventListener("blur", () => {
      if (!this.session) return; // closed by us: nothing more to do
      if (this.hooks.rendering() || !this.el.isConnected) {
        // Not the user's doing: keep typing where they were.
        queueMicrotask(() => this.focus());
        return;
      }
      if (typeof document !== "undefined" && !document.hasFocus()) return; // the window lost focus: still editing
      this.commit();
    });
  }

  get isOpen(): boolean {
    return this.session !== null;
  }

  is(objectId: string, field?: string): boolean {
    return !!this.session && this.session.objectId === objectId && (field === undefined || this.session.field === field);
  }

  /** Opens on `objectId`'s `field`, with `value` typed (a restored draft) or the current text. */
  open(s: EditSession, value: string, restored: boolean, kind: string): void {
    if (this.session) this.commit();
    this.session = s;
    this.el.className = `editor editor-${kind}`;
    this.ta.value = value;
    this.hint.hidden = true;
    this.hint.textContent = "";
    this.el.dataset.conflict = "";
    if (restored) this.say("restored", s.original !== s.base
      ? "Your unsaved draft is back. The text changed meanwhile: Enter keeps yours, Esc keeps theirs."
      : "Your unsaved draft is back: Enter to save it, Esc to discard it.");
    this.host.append(this.el);
    this.saveDraft();
    this.focus();
    this.ta.setSelectionRange(value.length, value.length);
  }

  focus(): void {
    if (this.session && document.activeElement !== this.ta) this.ta.focus({ preventScroll: true });
  }

  /**
   * Called by every render: follows the object (box, colour) and notices a remote
   * change of the field. `current` undefined: the object is gone.
   */
  sync(current: string | undefined, box: Box, background: string): void {
    const s = this.session;
    if (!s) return;
    const st = this.el.style;
    st.left = `${box.x}px`;
    st.top = `${box.y}px`;
    st.width = `${box.w}px`;
    st.height = `${box.h}px`;
    st.background = background;
    if (s.create) return; // not on the board yet: nobody else can change it
    if (current === undefined) {
      if (this.el.dataset.conflict !== "gone") {
        this.el.dataset.conflict = "gone";
        this.say("conflict", `Deleted by ${this.hooks.who(s.objectId)}. Enter saves your text as a new note; Esc drops it.`);
      }
      return;
    }
    if (current !== s.base) {
      s.base = current;
      if (current === this.ta.value) {
        this.hint.hidden = true;
        this.el.dataset.conflict = "";
      } else {
        this.el.dataset.conflict = "changed";
        this.conflictWho = this.hooks.who(s.objectId);
      }
    } else if (this.el.dataset.conflict === "changed" && this.conflictWho === UNKNOWN) {
      this.conflictWho = this.hooks.who(s.objectId); // their presence may come after their change
    }
    if (this.el.dataset.conflict === "changed") {
      const text = `Changed by ${this.conflictWho}. Your text is kept: Enter saves yours, Esc keeps theirs.`;
      if (this.hint.textContent !== text) this.say("conflict", text);
    }
  }

  commit(): void {
    const s = this.close();
    if (s) this.hooks.commit(s, this.ta.value);
  }

  cancel(): void {
    const s = this.close();
    if (s) this.hooks.cancel(s);
  }

  /** Ends the session first (so the blur of removing the element is ignored), then unmounts. */
  private close(): EditSession | null {
    const s = this.session;
    if (!s) return null;
    this.session = null;
    this.hooks.drafts.drop(s.objectId, s.field);
    if (this.el.isConnected) this.el.remove();
    return s;
  }

  private say(kind: string, text: string): void {
    this.hint.hidden = false;
    this.hint.dataset.kind = kind;
    this.hint.textContent = text;
  }

  private saveDraft(): void {
    const s = this.session;
    if (!s) return;
    this.hooks.drafts.save({ objectId: s.objectId, field: s.field, value: this.ta.value, original: s.original, create: s.create });
  }
}
