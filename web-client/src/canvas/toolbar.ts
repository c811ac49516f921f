// The discovery board's toolbar: icon buttons for the commands (each with a tooltip
// naming the action and its shortcut, and an aria-label), the colour swatches (named,
// aria-pressed for the last one used), Promote (a dialog to choose the backlog:
// components/PromoteDialog.tsx) and the hint shown to viewers.
import type { IconNode } from "lucide";
import { CircleMinus, FlaskConical, ListPlus, Spline, SquareDashed, StickyNote, Trash2, Vote } from "lucide";
import { createElement } from "preact";
import { PromoteDialog } from "../components/PromoteDialog";
import { openDialog } from "../ui/dialog";
import { clear, h } from "../ui/dom";
import { icon } from "../ui/icon";
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

/** The names of canvas/geometry.ts COLORS, in the same order, as a person says them. */
export const COLOR_NAMES: Record<string, string> = {
  "#fff4b8": "Yellow", "#ffd6e0": "Pink", "#d6f5d6": "Green", "#d6e6ff": "Blue", "#f0dcff": "Purple", "#ffe2c2": "Orange",
};

export const colorName = (c: string) => COLOR_NAMES[c.toLowerCase()] ?? "Colour";

/** An icon button with a short visible label (hidden on narrow screens) and a tooltip with its shortcut. */
export function toolButton(node: IconNode, label: string, opts: { testid: string; tip?: string; shortcut?: string; primary?: boolean; onclick: () => void }): HTMLButtonElement {
  const tip = (opts.tip ?? label) + (opts.shortcut ? ` (${opts.shortcut})` : "");
  return h("button", {
    type: "button", class: "button tool" + (opts.primary ? " primary" : ""), "data-testid": opts.testid,
    title: tip, "aria-label": opts.tip ?? label, ...(opts.shortcut ? { "aria-keyshortcuts": opts.shortcut.replace(/ /g, "") } : {}),
    onclick: opts.onclick,
  }, icon(node), h("span", { class: "tool-label" }, label));
}

export class Toolbar {
  /** The backlog chosen to promote into (read by commands.promote); set by the Promote dialog. */
  readonly backlogChoice = h("select", { class: "input", "data-testid": "promote-target", hidden: true, "aria-hidden": "true", tabindex: "-1" });
  readonly el: HTMLElement;
  private readonly tools: HTMLElement;
  private readonly readOnlyHint = h("span", { class: "muted", "data-testid": "read-only-hint" }, "View only: drag or scroll to pan, pinch or Ctrl+scroll to zoom, select a note to read its comments.");
  private readonly voteButtons: HTMLButtonElement[];
  private readonly swatches: HTMLButtonElement[];

  constructor(c: ToolbarCommands) {
    this.voteButtons = [
      toolButton(Vote, "Vote", { testid: "vote", tip: "Vote for the selected notes", onclick: () => c.vote() }),
      toolButton(CircleMinus, "Unvote", { testid: "unvote", tip: "Unvote: take back your vote on the selected notes", onclick: () => c.unvote() }),
    ];
    this.swatches = COLORS.map((col) => h("button", {
      type: "button", class: "swatch", style: `--swatch:${col}`, "data-testid": "swatch", "data-color": col,
      title: `Colour the selection ${colorName(col).toLowerCase()}`, "aria-label": colorName(col), "aria-pressed": "false",
      onclick: () => {
        for (const s of this.swatches) s.setAttribute("aria-pressed", String(s.dataset.color === col));
        c.recolour(col);
      },
    }));
    const promote = toolButton(ListPlus, "Promote", { testid: "promote", tip: "Promote the selected note to a backlog", onclick: () => this.promote(c) });
    this.tools = h("div", { class: "tools", "data-testid": "tools", role: "group", "aria-label": "Board tools" },
      toolButton(StickyNote, "Note", { testid: "add-note", tip: "Add a note", shortcut: "N", primary: true, onclick: () => c.addNote() }),
      toolButton(SquareDashed, "Group", { testid: "add-group", tip: "Add a group", onclick: () => c.addGroup() }),
      toolButton(FlaskConical, "Experiment", { testid: "add-experiment", tip: "Add an experiment card", onclick: () => c.addExperiment() }),
      toolButton(Spline, "Connect", { testid: "connect", tip: "Connect the two selected items", onclick: () => c.connect() }),
      h("span", { class: "tool-sep", "aria-hidden": "true" }),
      this.voteButtons[0],
      this.voteButtons[1],
      h("span", { class: "tool-sep", "aria-hidden": "true" }),
      h("span", { class: "swatches", role: "group", "aria-label": "Colour" }, ...this.swatches),
      h("span", { class: "tool-sep", "aria-hidden": "true" }),
      toolButton(Trash2, "Delete", { testid: "delete", tip: "Delete the selection", shortcut: "Delete", onclick: () => c.removeSelected() }),
      promote,
    );
    this.el = h("div", { class: "toolbar" }, this.tools, this.readOnlyHint);
  }

  /**
   * Promote: with one note selected, asks which backlog (a list of those this browser
   * knows, or a pasted link); otherwise commands.promote says what to select.
   */
  private promote(c: ToolbarCommands): void {
    const selected = [...this.el.parentElement?.querySelectorAll<HTMLElement>(".selected[data-testid]") ?? []];
    if (selected.length !== 1 || selected[0].dataset.testid !== "note") return c.promote();
    const boardId = location.pathname.split("/")[2] ?? "";
    openDialog((close) => createElement(PromoteDialog, {
      boardId, chosen: this.backlogChoice.value, onClose: close,
      onChoose: (target: { boardId: string; title: string }) => {
        close();
        this.choose(target);
        c.promote();
      },
    }));
  }

  /** Makes `target` the backlog commands.promote uses. */
  private choose(target: { boardId: string; title: string }): void {
    const choice = this.backlogChoice;
    if (![...choice.options].some((o) => o.value === target.boardId))
      choice.append(h("option", { value: target.boardId }, target.title || "Backlog"));
    choice.value = target.boardId;
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
      : "View only: drag or scroll to pan, pinch or Ctrl+scroll to zoom, select a note to read its comments.";
    const shape = JSON.stringify(s.backlogs.map((b) => [b.boardId, b.title]));
    const choice = this.backlogChoice;
    if (choice.dataset.shape === shape) return;
    const chosen = choice.value;
    choice.dataset.shape = shape;
    clear(choice);
    choice.append(h("option", { value: "" }, "No backlog chosen"),
      ...s.backlogs.map((b) => h("option", { value: b.boardId, selected: b.boardId === chosen }, b.title || "Backlog")));
    if (chosen && !s.backlogs.some((b) => b.boardId === chosen)) choice.append(h("option", { value: chosen, selected: true }, "Backlog"));
  }
}
