// The side panel of the discovery board: the comments of the one selected object,
// and the box to add one. Rebuilt only when the selection or a comment changes; the box
// being typed in is kept as it is (text and focus), the comments around it rebuilt.
import { ObjectType } from "../gen/board_pb";
import { newId, op } from "../sync/ops";
import type { SyncClient } from "../sync/syncClient";
import { h } from "../ui/dom";
import { str } from "./geometry";

export class SidePanel {
  /** The workshop's part of the panel (voting, results): the page renders into it, the panel never clears it. */
  readonly workshop = h("div", { class: "workshop-side", "data-testid": "workshop-side" });
  private readonly body = h("div", { class: "side-body" });
  readonly el = h("aside", { class: "side", "data-testid": "side" }, this.workshop, this.body);
  private shownFor: string | null | undefined = undefined;
  private input: HTMLInputElement | null = null;
  private inputFor: string | null = null;

  constructor(private readonly client: SyncClient) {}

  /** Whether a change of `ids` may change what the panel shows for `selected`. */
  concerns(ids: Iterable<string>, selected: readonly string[]): boolean {
    const id = selected.length === 1 ? selected[0] : null;
    if (id !== this.shownFor) return true;
    for (const c of ids) if (c === id || this.client.view.objects.get(c)?.type === ObjectType.COMMENT) return true;
    return false;
  }

  render(selected: readonly string[], writable: boolean): void {
    const v = this.client.view;
    const id = selected.length === 1 ? selected[0] : null;
    const o = id ? v.live(id) : undefined;
    // The comment box of the object still shown stays in place, with its text and focus:
    // what is around it is rebuilt (a comment just sent shows at once).
    const keep = this.input && o && writable && this.inputFor === o.id && this.input.isConnected ? this.input : null;
    if (!keep && this.body.contains(document.activeElement)) return;
    this.shownFor = id;
    this.el.classList.toggle("idle", !o);
    const parts: HTMLElement[] = [];
    if (!o) {
      parts.push(h("p", { class: "muted" }, writable
        ? "Select an object to comment on it. Double-click the canvas (or press N) to add a note; drag or scroll to pan; pinch or Ctrl+scroll to zoom; shift-click or shift-drag to select several."
        : "Select an object to read its comments. Drag or scroll to pan; pinch or Ctrl+scroll to zoom."),
      h("p", { class: "muted" }, "Press ? to see the keyboard shortcuts."));
    } else {
      parts.push(h("h3", {}, "Comments"));
      let comments = 0;
      for (const c of v.objects.values()) {
        if (c.deleted || c.type !== ObjectType.COMMENT || c.fields.get("target") !== o.id) continue;
        comments++;
        parts.push(h("div", { class: "comment", "data-testid": "comment" }, h("strong", {}, str(c, "author")), " ", str(c, "text")));
      }
      if (!writable && comments === 0) parts.push(h("p", { class: "muted" }, "No comments yet."));
      if (writable) parts.push(keep ?? this.commentBox(o.id));
    }
    for (const n of [...this.body.childNodes]) if (n !== keep) n.remove();
    for (const n of parts) if (n !== keep) this.body.insertBefore(n, keep);
    this.input = o && writable ? (parts[parts.length - 1] as HTMLInputElement) : null;
    this.inputFor = this.input ? o!.id : null;
  }

  private commentBox(target: string): HTMLInputElement {
    const input = h("input", { class: "input", placeholder: "Add a comment", "aria-label": "Add a comment", "data-testid": "comment-input" }) as HTMLInputElement;
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && input.value.trim()) {
        this.client.submit([op.create(newId(), ObjectType.COMMENT, { target, text: input.value.trim() })]);
        input.value = "";
      }
    });
    return input;
  }
}
