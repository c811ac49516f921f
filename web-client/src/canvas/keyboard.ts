// The discovery canvas's keyboard: copy, cut, paste and duplicate (clipboard.ts),
// select all, Escape, arrow-key nudges, N for a new note, Enter to edit the focused
// note, Delete, "?" for the list of shortcuts (shortcutHelp.tsx), and focus: a note
// reached with Tab is selected and brought into view. Nothing here fires while the
// user types (the note editor, a field, a dialog). Ctrl+Z is the page's (ui/boardPage.ts).
import type { InteractionHooks } from "./interaction";
import { toWorld } from "./interaction";
import type { ClipPayload } from "./clipboard";
import { boundsOf, copyOf, parseCopy, pasteOps, textNoteOps } from "./clipboard";
import { box } from "./geometry";
import { PASTE_STEP, allCanvasIds, nudgeOps, pasteOffset } from "./keyOps";
import { openShortcutHelp } from "./shortcutHelp";
import "./keys.css";

/** World units an arrow key moves the selection; with Shift. */
export const NUDGE = 10;
export const NUDGE_FAR = 50;

const FIELDS = "input, textarea, select, [contenteditable], .editor, [role=dialog]";
const ARROWS: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/** Whether a key or clipboard event belongs to something being typed in (or a dialog). */
export function typing(e: Event, editorOpen: boolean): boolean {
  if (editorOpen || document.querySelector("[aria-modal=true]")) return true;
  const t = e.target instanceof Element ? e.target : null;
  if (t?.closest(FIELDS)) return true;
  const a = document.activeElement;
  return !!a && a !== document.body && !!a.closest(FIELDS);
}

export function attachKeyboard(k: InteractionHooks): () => void {
  const { canvas, state: st, client } = k;
  const v = () => client.view;
  let pointer: { x: number; y: number } | null = null; // the pointer over the canvas, in client pixels
  let lastPaste = "", pastes = 0;
  let pressing = false; // a pointer is down: a focus now comes from a click, not from Tab

  const setSelection = (ids: string[]) => {
    st.selected.splice(0, st.selected.length, ...ids);
    k.presence({ selection: [...st.selected] });
    k.selectionChanged();
  };
  const viewRect = () => {
    const r = canvas.getBoundingClientRect();
    const a = toWorld(canvas, st, r.left, r.top), b = toWorld(canvas, st, r.right, r.bottom);
    return { x: a.x, y: a.y, w: b.x - a.x, h: b.y - a.y };
  };
  const centre = () => {
    const r = viewRect();
    return { x: r.x + r.w / 2, y: r.y + r.h / 2 };
  };
  const here = () => (pointer ? toWorld(canvas, st, pointer.x, pointer.y) : centre());
  const editable = () => k.writable();

  function submitAndSelect(ops: ReturnType<typeof pasteOps>) {
    if (!ops.ops.length) return;
    client.submit(ops.ops);
    setSelection(ops.ids.filter((id) => v().live(id)));
  }

  /** Pastes `p` at the pointer (else beside the originals, else mid-view); a duplicate lands a step away. */
  function place(p: ClipPayload, dup: boolean, text: string) {
    pastes = text === lastPaste ? pastes + 1 : 1;
    lastPaste = text;
    const { dx, dy } = dup ? { dx: PASTE_STEP, dy: PASTE_STEP } : pasteOffset(boundsOf(p), viewRect(), pointer ? here() : null, pastes);
    submitAndSelect(pasteOps(v(), p, dx, dy, k.lastKey()));
  }

  function nudge(dx: number, dy: number) {
    const ops = nudgeOps(v(), st.selected, k.canChange, dx, dy);
    if (ops.length) client.submit(ops);
  }

  /** The object the key is for: the focused note, else the one selected object. */
  function subject(e: KeyboardEvent): string | null {
    const el = (e.target as Element).closest?.("[data-id]") as HTMLElement | null;
    if (el && canvas.contains(el)) return el.dataset.id!;
    return st.selected.length === 1 ? st.selected[0] : null;
  }

  function onKey(e: KeyboardEvent) {
    if (e.defaultPrevented || typing(e, k.editorOpen())) return;
    const t = e.target as Element;
    const onControl = !!t.closest?.("button, a, summary"); // Enter, arrows and Delete are the control's own
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if ((e.ctrlKey || e.metaKey) && !e.altKey) {
      if (key === "a" && !onControl) {
        e.preventDefault();
        setSelection(allCanvasIds(v()));
      } else if (key === "d") {
        e.preventDefault(); // the browser's bookmark
        const p = editable() ? copyOf(v(), st.selected) : null;
        if (p) place(p, true, "");
      }
      return;
    }
    if (e.altKey) return;
    if (key === "?") {
      e.preventDefault();
      openShortcutHelp(editable());
    } else if (key === "Escape") {
      if (st.selected.length) setSelection([]);
    } else if (key === "n") {
      if (!editable()) return;
      e.preventDefault(); // the editor opens now: the key must not type into it
      k.addNote(here());
    } else if (onControl) {
      return;
    } else if (key === "Enter") {
      const id = subject(e);
      if (!id || !editable()) return;
      e.preventDefault();
      k.startEdit(id);
    } else if ((key === "Delete" || key === "Backspace") && st.selected.length) {
      e.preventDefault();
      k.removeSelected();
    } else if (ARROWS[key] && st.selected.length && editable()) {
      e.preventDefault(); // no page scroll
      const step = e.shiftKey ? NUDGE_FAR : NUDGE;
      nudge(ARROWS[key][0] * step, ARROWS[key][1] * step);
    }
  }

  function onCopy(e: ClipboardEvent, cut: boolean) {
    if (typing(e, k.editorOpen()) || !st.selected.length || !e.clipboardData) return;
    if (getSelection()?.isCollapsed === false) return; // text picked on the page: the browser copies it
    const p = copyOf(v(), st.selected);
    if (!p) return;
    e.clipboardData.setData("text/plain", JSON.stringify(p));
    e.preventDefault();
    if (cut && editable()) k.removeSelected();
  }

  function onPaste(e: ClipboardEvent) {
    if (typing(e, k.editorOpen()) || !e.clipboardData) return;
    const text = e.clipboardData.getData("text/plain");
    if (!text.trim()) return;
    e.preventDefault();
    if (!editable()) return client.flash(client.canWrite ? "The facilitator locked the board: you cannot paste now" : "View only: you cannot change this board");
    const p = parseCopy(text);
    if (p) place(p, false, text);
    else submitAndSelect(textNoteOps(v(), text, here(), k.lastKey()));
  }

  /** A note reached with the keyboard: selected, and brought into view. */
  function onFocus(e: FocusEvent) {
    const el = e.target as HTMLElement;
    const id = el.dataset?.id;
    if (!id || pressing) return; // a click selects by itself (interaction.ts)
    canvas.scrollLeft = canvas.scrollTop = 0; // focus must not scroll the canvas: the view pans instead
    const o = v().live(id);
    if (!o) return;
    if (!st.selected.includes(id) || st.selected.length > 1) k.select(id, false);
    const b = box(o), r = viewRect();
    if (b.x < r.x || b.y < r.y || b.x + b.w > r.x + r.w || b.y + b.h > r.y + r.h) {
      const cr = canvas.getBoundingClientRect();
      st.panX = cr.width / 2 - (b.x + b.w / 2) * st.zoom;
      st.panY = cr.height / 2 - (b.y + b.h / 2) * st.zoom;
      k.viewportChanged();
    }
  }

  const onMove = (e: PointerEvent) => (pointer = e.pointerType === "mouse" ? { x: e.clientX, y: e.clientY } : null);
  const onLeave = () => (pointer = null);
  const onDown = () => (pressing = true);
  const onUp = () => (pressing = false);
  const copy = (e: ClipboardEvent) => onCopy(e, false);
  const cut = (e: ClipboardEvent) => onCopy(e, true);
  canvas.addEventListener("pointermove", onMove);
  canvas.addEventListener("pointerleave", onLeave);
  canvas.addEventListener("pointerdown", onDown, true);
  document.addEventListener("pointerup", onUp, true);
  document.addEventListener("pointercancel", onUp, true);
  canvas.addEventListener("focusin", onFocus);
  document.addEventListener("keydown", onKey);
  document.addEventListener("copy", copy);
  document.addEventListener("cut", cut);
  document.addEventListener("paste", onPaste);
  return () => {
    document.removeEventListener("keydown", onKey);
    document.removeEventListener("copy", copy);
    document.removeEventListener("cut", cut);
    document.removeEventListener("paste", onPaste);
    document.removeEventListener("pointerup", onUp, true);
    document.removeEventListener("pointercancel", onUp, true);
  };
}
