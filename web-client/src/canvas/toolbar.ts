// The discovery board's toolbar: the buttons of the commands, the colour swatches,
// the backlog to promote into, and the hint shown to viewers.
import { clear, h } from "../ui/dom";
import { COLORS } from "./geometry";

export interface ToolbarCommands {
  addNote(): void;
  addGroup(): void;
  addExperiment(): void;
  connect(): void;
  vote(): void;
  unvote(): void;
  recolour(c: string): void;
  removeSelected(): void;
  promote(): void;
}

export class Toolbar {
  readonly backlogChoice = h("select", { class: "input", "data-testid": "promote-target" });
  readonly el: HTMLElement;
  private readonly tools: HTMLElement;
  private readonly readOnlyHint = h("span", { class: "muted", "data-testid": "read-only-hint" }, "View only: drag to pan, wheel to zoom, select a note to read its comments.");

  constructor(c: ToolbarCommands) {
    this.tools = h("div", { class: "tools", "data-testid": "tools" },
      h("button", { class: "button primary", "data-testid": "add-note", onclick: () => c.addNote() }, "+ Note"),
      h("button", { class: "button", "data-testid": "add-group", onclick: () => c.addGroup() }, "+ Group"),
      h("button", { class: "button", "data-testid": "add-experiment", onclick: () => c.addExperiment() }, "+ Experiment"),
      h("button", { class: "button", "data-testid": "connect", onclick: () => c.connect() }, "Connect"),
      h("button", { class: "button", "data-testid": "vote", onclick: () => c.vote() }, "● Vote"),
      h("button", { class: "button", "data-testid": "unvote", onclick: () => c.unvote() }, "○ Unvote"),
      h("span", { class: "swatches" }, ...COLORS.map((col) =>
        h("button", { class: "swatch", style: `background:${col}`, title: "Colour", onclick: () => c.recolour(col) }))),
      h("button", { class: "button", "data-testid": "delete", onclick: () => c.removeSelected() }, "Delete"),
      this.backlogChoice,
      h("button", { class: "button", "data-testid": "promote", onclick: () => c.promote() }, "Promote to backlog"),
    );
    this.el = h("div", { class: "toolbar" }, this.tools, this.readOnlyHint);
  }

  update(s: { writable: boolean; ended: boolean; stopped: boolean; backlogs: { boardId: string; title: string }[] }): void {
    this.tools.hidden = !s.writable;
    this.el.hidden = s.ended; // nothing left to do here but read
    this.readOnlyHint.hidden = s.writable || s.stopped;
    const shape = JSON.stringify(s.backlogs.map((b) => [b.boardId, b.title]));
    const choice = this.backlogChoice;
    if (choice.dataset.shape === shape) return;
    const chosen = choice.value;
    choice.dataset.shape = shape;
    clear(choice);
    choice.append(h("option", { value: "" }, s.backlogs.length ? "Backlog…" : "No backlog yet"),
      ...s.backlogs.map((b) => h("option", { value: b.boardId, selected: b.boardId === chosen }, b.title || b.boardId)));
  }
}
