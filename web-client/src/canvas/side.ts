// The side panel of the discovery board: the comments of the one selected object,
// and the box to add one. Rebuilt only when the selection or a comment changes, and
// never while it holds the focus (someone is typing a comment).
import { ObjectType } from "../gen/board_pb";
import { newId, op } from "../sync/ops";
import type { SyncClient } from "../sync/syncClient";
import { clear, h } from "../ui/dom";
import { str } from "./geometry";

export class SidePanel {
  /** The workshop's part of the panel (voting, results): the page renders into it, the panel never clears it. */
  readonly workshop = h("div", { class: "workshop-side", "data-testid": "workshop-side" });
  private readonly body = h("div", { class: "side-body" });
  readonly el = h("aside", { class: "side", "data-testid": "side" }, this.workshop, this.body);
  private shownFor: string | null | undefined = undefined;

  constructor(private readonly client: SyncClient) {}

  /** Whether a change of `ids` may change what the panel shows for `selected`. */
  concerns(ids: Iterable<string>, selected: readonly string[]): boolean {
    const id = selected.length === 1 ? selected[0] : null;
    if (id !== this.shownFor) return true;
    for (const c of ids) if (c === id || this.client.view.objects.get(c)?.type === ObjectType.COMMENT) return true;
    return false;
  }

  render(selected: readonly string[], writable: boolean): void {
    if (this.body.contains(document.activeElement)) return;
    const side = this.body;
    const v = this.client.view;
    clear(side);
    const id = selected.length === 1 ? selected[0] : null;
    this.shownFor = id;
    const o = id ? v.live(id) : undefined;
    this.el.classList.toggle("idle", !o);
    if (!o) {
      side.append(h("p", { class: "muted" }, writable
        ? "Select an object to comment on it. Double-click the canvas (or press N) to add a note; drag or scroll to pan; pinch or Ctrl+scroll to zoom; shift-click or shift-drag to select several."
        : "Select an object to read its comments. Drag or scroll to pan; pinch or Ctrl+scroll to zoom."),
      h("p", { class: "muted" }, "Press ? to see the keyboard shortcuts."));
      return;
    }
    side.append(h("h3", {}, "Comments"));
    let comments = 0;
    for (const c of v.objects.values()) {
      if (c.deleted || c.type !== ObjectType.COMMENT || c.fields.get("target") !== o.id) continue;
      comments++;
      side.append(h("div", { class: "comment", "data-testid": "comment" }, h("strong", {}, str(c, "author")), " ", str(c, "text")));
    }
    if (!writable) {
      if (comments === 0) side.append(h("p", { class: "muted" }, "No comments yet."));
      return;
    }
    const input = h("input", { class: "input", placeholder: "Add a comment", "data-testid": "comment-input" });
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && input.value.trim()) {
        this.client.submit([op.create(newId(), ObjectType.COMMENT, { target: o.id, text: input.value.trim() })]);
        input.value = "";
      }
    });
    side.append(input);
  }
}
