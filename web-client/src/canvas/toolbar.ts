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

  private readonly voteButtons: HTMLButtonElement[];

  constructor(c: ToolbarCommands) {
    this.voteButtons = [
      h("button", { class: "button", "data-testid": "vote", onclick: () => c.vote() }, "● Vote"),
      h("button", { class: "button", "data-testid": "unvote", onclick: () => c.unvote() }, "○ Unvote"),
    ];
    this.tools = h("div", { class: "tools", "data-testid": "tools" },
      h("button", { class: "button primary", "data-testid": "add-note", onclick: () => c.addNote() }, "+ Note"),
      h("button", { class: "button", "data-testid": "add-group", onclick: () => c.addGroup() }, "+ Group"),
      h("button", { class: "button", "data-testid": "add-experiment", onclick: () => c.addExperiment() }, "+ Experiment"),
      h("button", { class: "button", "data-testid": "connect", onclick: () => c.connect() }, "Connect"),
      this.voteButtons[0],
      this.voteButtons[1],
      h("span", { class: "swatches" }, ...COLORS.map((col) =>
        h("button", { class: "swatch", style: `background:${col}`, title: "Colour", onclick: () => c.recolour(col) }))),
      h("button", { class: "button", "data-testid": "delete", onclick: () => c.removeSelected() }, "Delete"),
      this.backlogChoice,
      h("button", { class: "button", "data-testid": "promote", onclick: () => c.promote() }, "Promote to backlog"),
    );
    this.el = h("div", { class: "toolbar" }, this.tools, this.readOnlyHint);
  }

  /** `locked`: an editor on a board the facilitator locked (FAC-7). */
  /** `dotVotes`: plain dot votes are on (SetOptions, FAC-6); off, Vote and Unvote are not offered. */
  update(s: { writable: boolean; locked?: boolean; dotVotes?: boolean; ended: boolean; stopped: boolean; backlogs: { boardId: string; title: string }[] }): void {
    this.tools.hidden = !s.writable;
    this.el.hidden = s.ended; // nothing left to do here but read
    this.readOnlyHint.hidden = s.writable || s.stopped;
    for (const b of this.voteButtons) b.hidden = s.dotVotes === false;
    this.readOnlyHint.textContent = s.locked
      ? "The facilitator locked the board: you can look and vote, not change it."
      : "View only: drag to pan, wheel to zoom, select a note to read its comments.";
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
