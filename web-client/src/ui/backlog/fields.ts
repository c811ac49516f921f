// The inline fields of a backlog row (title, estimate, tags, assignee) and their
// edit sessions. Typing is sacred: while a field has a session, a change from the
// board never writes into it; a change to that very field shows a hint saying who
// changed it and keeps the draft. Enter or a blur commits, Escape cancels; the draft
// is kept in sessionStorage while typing (drafts.ts), so a reload gives it back.
import type { Obj, Plain } from "../../sync/board";
import { op } from "../../sync/ops";
import { h } from "../dom";
import { whoChanged } from "../drafts";
import type { Ctx } from "./context";
import { str } from "./context";

export interface FieldCtl {
  name: string;
  /** What the field is, for its accessible name ("Title of “Login page”"). */
  label: string;
  input: HTMLInputElement;
  hint: HTMLElement;
  /** The field's value on the board, as the input shows it. */
  text(o: Obj | undefined): string;
  plain(text: string): Plain;
  /** An edit in progress: `original` when typing began, `base` the latest board value seen. */
  session: { original: string; base: string; who?: string } | null;
}

interface FieldSpec {
  name: string;
  label: string;
  attrs: Record<string, string | number | boolean>;
  text(o: Obj | undefined): string;
  plain(text: string): Plain;
}

/** The fields of a row, in the order they are shown (the status select goes after the first). */
const SPECS: FieldSpec[] = [
  { name: "title", label: "Title", attrs: { class: "title", "data-testid": "item-title", "aria-label": "Title" }, text: (o) => str(o, "title"), plain: (t) => t },
  { name: "estimate", label: "Estimate in points", attrs: { class: "input est", type: "number", min: 0, placeholder: "pts", "data-testid": "item-estimate", "aria-label": "Estimate" },
    text: (o) => (o && typeof o.fields.get("estimate") === "number" ? String(o.fields.get("estimate")) : ""), plain: (t) => Number(t) || 0 },
  { name: "tags", label: "Tags", attrs: { class: "input tags", placeholder: "tags", "data-testid": "item-tags", "aria-label": "Tags" },
    text: (o) => (o?.fields.get("tags") as string[] | undefined)?.join(", ") ?? "", plain: (t) => t.split(",").map((s) => s.trim()).filter(Boolean) },
  { name: "assignee", label: "Assignee", attrs: { class: "input who", placeholder: "assignee", "data-testid": "item-assignee", "aria-label": "Assignee" }, text: (o) => str(o, "assignee"), plain: (t) => t },
];

export function say(f: FieldCtl, kind: string, text: string): void {
  f.hint.hidden = false;
  f.hint.dataset.kind = kind;
  f.hint.textContent = text;
}

export function quiet(f: FieldCtl): void {
  f.hint.hidden = true;
  f.hint.textContent = "";
}

function begin(ctx: Ctx, id: string, f: FieldCtl): void {
  if (f.session) return;
  const current = f.text(ctx.client.view.live(id));
  f.session = { original: current, base: current };
}

/** Enter or a blur: sends the draft if it differs from the board's value. */
function commit(ctx: Ctx, id: string, f: FieldCtl): void {
  const s = f.session;
  f.session = null;
  ctx.drafts.drop(id, f.name);
  quiet(f);
  if (!s) return;
  const o = ctx.client.view.live(id);
  const value = f.input.value;
  if (o && value !== s.original && value !== f.text(o)) ctx.client.submit([op.update(id, { [f.name]: f.plain(value) })]);
  else if (o) f.input.value = f.text(o);
}

/** Escape: nothing is sent; the field shows the board's value again. */
function cancel(ctx: Ctx, id: string, f: FieldCtl): void {
  f.session = null;
  ctx.drafts.drop(id, f.name);
  quiet(f);
  f.input.value = f.text(ctx.client.view.live(id));
}

/** The fields of row `id`, wired to their sessions; read-only for viewers. */
export function makeFields(ctx: Ctx, id: string, readOnly: boolean): FieldCtl[] {
  return SPECS.map((spec) => {
    const input = h("input", { ...spec.attrs, readonly: readOnly });
    const hint = h("span", { class: "field-hint", "data-testid": "field-hint", hidden: true, role: "status" });
    const f: FieldCtl = { name: spec.name, label: spec.label, input, hint, text: spec.text, plain: spec.plain, session: null };
    input.addEventListener("input", () => {
      begin(ctx, id, f);
      ctx.drafts.save({ objectId: id, field: f.name, value: input.value, original: f.session!.original });
    });
    input.addEventListener("keydown", (e) => {
      if (e.isComposing || e.altKey) return;
      if (e.key === "Enter") {
        e.preventDefault();
        commit(ctx, id, f);
      } else if (e.key === "Escape" && f.session) {
        e.preventDefault();
        cancel(ctx, id, f);
      }
    });
    input.addEventListener("blur", () => {
      if (!f.session || !document.hasFocus()) return; // a window switch is not the end of an edit
      commit(ctx, id, f);
      ctx.render();
    });
    return f;
  });
}

/** After a reload: a draft of this field comes back into it, with a notice. */
export function restoreDraft(ctx: Ctx, id: string, f: FieldCtl, o: Obj): void {
  const d = ctx.drafts.get(id, f.name);
  if (!d) return;
  f.input.value = d.value;
  f.session = { original: d.original, base: f.text(o) };
  say(f, "restored", d.original !== f.text(o)
    ? "Your unsaved draft is back; the value changed meanwhile. Enter keeps yours, Esc keeps theirs."
    : "Your unsaved draft is back: Enter to save it, Esc to discard it.");
}

/** Brings a field up to the board's value, unless it is being typed in: then only the hint. */
export function syncField(ctx: Ctx, id: string, f: FieldCtl, o: Obj, readOnly: boolean): void {
  if (f.input.readOnly !== readOnly) f.input.readOnly = readOnly;
  const current = f.text(o);
  const s = f.session;
  if (s) {
    if (current !== s.base) {
      s.base = current;
      s.who = current === f.input.value ? undefined : whoChanged(ctx.client, id);
      if (!s.who) quiet(f);
    } else if (s.who === "someone else") {
      s.who = whoChanged(ctx.client, id); // their presence may come after their change
    }
    const text = `Changed by ${s.who} to “${current}”. Your text is kept: Enter saves yours, Esc keeps theirs.`;
    if (s.who && f.hint.textContent !== text) say(f, "conflict", text);
  } else if (f.input.value !== current) {
    const focused = document.activeElement === f.input;
    const at = focused && f.input.type !== "number" ? f.input.selectionStart : null;
    f.input.value = current;
    if (at !== null) f.input.setSelectionRange(at, at);
  }
}

/** Whether any field holds typing not yet committed. */
export const unsent = (fields: readonly FieldCtl[]) => fields.some((f) => f.session && f.input.value !== f.session.original);
