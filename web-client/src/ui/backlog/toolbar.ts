// The backlog's toolbar: the new-item field (its text kept as a draft while typed),
// the list/columns switch, the columns editor (facilitators and owners: ROLE-3, a
// dialog: ColumnsDialog.tsx) and the "View only" hint for viewers (ROLE-2).
import { ObjectType } from "../../gen/board_pb";
import { newId, op } from "../../sync/ops";
import { keyBetween } from "../../sync/orderKey";
import { Columns3, List, Settings2 } from "lucide";
import { createElement } from "preact";
import { openDialog } from "../dialog";
import { h } from "../dom";
import { ColumnsDialog } from "./ColumnsDialog";
import { iconButton } from "./icons";
import type { Ctx } from "./context";
import { items, orderKey, writable } from "./context";

export type Mode = "list" | "columns";

export class Toolbar {
  readonly el: HTMLElement;
  readonly addInput: HTMLInputElement;
  private readonly listBtn: HTMLButtonElement;
  private readonly colBtn: HTMLButtonElement;
  private readonly editCols: HTMLButtonElement;
  private readonly readOnlyHint: HTMLElement;

  constructor(private readonly ctx: Ctx, setMode: (m: Mode) => void) {
    this.addInput = h("input", { class: "input grow", placeholder: "New item title, Enter to add", "data-testid": "new-item", "aria-label": "New item title" });
    this.addInput.addEventListener("input", () => this.saveDraft());
    this.addInput.addEventListener("keydown", (e) => this.onKey(e));
    this.listBtn = iconButton(List, "List view", { "data-testid": "mode-list", "aria-pressed": "true", onclick: () => setMode("list") }, "List");
    this.colBtn = iconButton(Columns3, "Columns view", { "data-testid": "mode-columns", "aria-pressed": "false", onclick: () => setMode("columns") }, "Columns");
    this.editCols = iconButton(Settings2, "Edit columns", { "data-testid": "edit-columns", onclick: () => this.editColumns() }, "Edit columns");
    this.readOnlyHint = h("span", { class: "muted grow", "data-testid": "read-only-hint" }, "View only");
    this.el = h("div", { class: "toolbar backlog-toolbar" }, this.addInput, this.readOnlyHint, this.listBtn, this.colBtn, this.editCols);
  }

  /** Shows what the user may do, and which mode is on. */
  update(mode: Mode): void {
    const c = this.ctx.client;
    this.addInput.hidden = !writable(this.ctx);
    this.el.hidden = c.ended;
    this.readOnlyHint.hidden = writable(this.ctx) || c.stopped;
    this.editCols.hidden = !c.canUpdateBoard;
    for (const [b, on] of [[this.listBtn, mode === "list"], [this.colBtn, mode === "columns"]] as const) {
      b.classList.toggle("active", on);
      b.setAttribute("aria-pressed", String(on));
    }
  }

  /** After a reload: the new item's draft comes back, focused. True if there was one. */
  restoreDraft(): boolean {
    const d = this.ctx.drafts.get("new-item", "title");
    if (!d || !writable(this.ctx)) return false;
    this.addInput.value = d.value;
    this.addInput.focus();
    return true;
  }

  get unsent(): boolean {
    return this.addInput.value.trim() !== "";
  }

  private saveDraft(): void {
    const value = this.addInput.value;
    if (value) this.ctx.drafts.save({ objectId: "new-item", field: "title", value, original: "" });
    else this.ctx.drafts.drop("new-item", "title");
  }

  private onKey(e: KeyboardEvent): void {
    const input = this.addInput;
    if (e.key === "Escape") {
      input.value = "";
      this.ctx.drafts.drop("new-item", "title");
      return;
    }
    if (e.key !== "Enter" || e.isComposing || !input.value.trim()) return;
    const list = items(this.ctx);
    const first = this.ctx.client.view.columns[0];
    this.ctx.client.submit([op.create(newId(), ObjectType.BACKLOG_ITEM, {
      title: input.value.trim(), order: keyBetween(orderKey(list[list.length - 1]), null) ?? "a0",
      ...(first ? { status: first } : {}),
    })]);
    input.value = "";
    this.ctx.drafts.drop("new-item", "title");
  }

  private editColumns(): void {
    const client = this.ctx.client;
    openDialog((close) => createElement(ColumnsDialog, {
      columns: client.view.columns, onClose: close,
      onSave: (names: string[]) => { if (JSON.stringify(names) !== JSON.stringify(client.view.columns)) client.submit([op.updateBoard(undefined, names)]); },
    }));
  }
}
