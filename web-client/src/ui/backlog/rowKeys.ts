// The keyboard on a backlog row, so the list is usable without a mouse:
// Alt+Up/Down move the row one place per press (from any of its fields too), and on
// the row itself (not while typing in a field): Delete or Backspace deletes it,
// Space selects it (Shift+Space: the range), Up/Down/Home/End go to other rows,
// Enter edits the title, Escape empties the selection. Escape in a field that is
// not being edited goes back to the row.
import type { Ctx } from "./context";
import { writable } from "./context";
import type { Row, RowHooks } from "./row";

/** The rows drawn next to `el` in the list (spacers skipped), or the first or last. */
function sibling(el: HTMLElement, where: "prev" | "next" | "first" | "last"): HTMLElement | null {
  const list = el.parentElement;
  if (!list) return null;
  if (where === "first") return list.querySelector<HTMLElement>(":scope > .item");
  if (where === "last") return [...list.querySelectorAll<HTMLElement>(":scope > .item")].pop() ?? null;
  let at = where === "prev" ? el.previousElementSibling : el.nextElementSibling;
  while (at && !at.classList.contains("item")) at = where === "prev" ? at.previousElementSibling : at.nextElementSibling;
  return at as HTMLElement | null;
}

/** Focuses a row, keeping it in view. */
export function focusRow(el: HTMLElement | null): boolean {
  if (!el) return false;
  el.focus({ preventScroll: true });
  el.scrollIntoView({ block: "nearest" });
  return true;
}

export function wireRowKeys(ctx: Ctx, row: Row, hooks: RowHooks): void {
  row.el.addEventListener("keydown", (e) => {
    if (e.isComposing) return;
    if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
      e.preventDefault();
      if (writable(ctx)) hooks.step(row, e.key === "ArrowUp" ? -1 : 1);
      return;
    }
    const t = e.target as HTMLElement;
    if (t !== row.el) {
      // In a field: Escape with nothing typed goes back to the row (fields.ts handles an edit).
      if (e.key === "Escape" && !e.defaultPrevented && t.matches("input:not([type=checkbox]), select")) {
        e.preventDefault();
        row.el.focus();
      }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const go = { ArrowUp: "prev", ArrowDown: "next", Home: "first", End: "last" } as const;
    if (e.key in go) {
      e.preventDefault();
      focusRow(sibling(row.el, go[e.key as keyof typeof go]));
    } else if ((e.key === "Delete" || e.key === "Backspace") && writable(ctx)) {
      e.preventDefault();
      hooks.remove(row);
    } else if (e.key === " ") {
      e.preventDefault();
      if (writable(ctx)) hooks.select(row, e.shiftKey ? "range" : "toggle");
    } else if (e.key === "Enter") {
      e.preventDefault();
      row.fields[0].input.focus();
    } else if (e.key === "Escape") {
      hooks.unselect();
    }
  });
  // Ctrl/Cmd-click toggles the row in the selection, Shift-click selects the range (not in a text field).
  row.el.addEventListener("click", (e) => {
    if (!writable(ctx)) return;
    const inText = (e.target as HTMLElement).matches("input:not([type=checkbox]), select");
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      hooks.select(row, "toggle");
    } else if (e.shiftKey && !inText) {
      e.preventDefault();
      hooks.select(row, "range");
    }
  });
}
