// The zoom control on the canvas (docs/ARCHITECTURE.md, "The web client"): zoom out,
// the zoom as a percentage, zoom in, fit everything, back to 100%; each with a tooltip
// naming its shortcut. The shortcuts: + and − zoom, Shift+1 fits, Shift+0 or Ctrl+0
// goes back to 100% (never while something is being typed).
import { Maximize, Minus, Plus } from "lucide";
import { h } from "../ui/dom";
import { icon } from "../ui/icon";
import { typing } from "./keyboard";
import "./zoomControl.css";

export interface ZoomActions {
  zoomIn(): void;
  zoomOut(): void;
  fit(): void;
  reset(): void;
}

export class ZoomControl {
  readonly el: HTMLElement;
  private readonly level = h("span", { class: "zoom-level", "data-testid": "zoom-level", "aria-live": "polite" }, "100%");

  constructor(a: ZoomActions) {
    const button = (testid: string, label: string, onclick: () => void, ...content: (Node | string)[]) =>
      h("button", { class: "zoom-button", type: "button", "data-testid": testid, title: label, "aria-label": label, onclick }, ...content);
    this.el = h("div", { class: "zoom-control", "data-testid": "zoom-control", role: "toolbar", "aria-label": "Zoom" },
      button("zoom-out", "Zoom out (−)", a.zoomOut, icon(Minus, 16)),
      this.level,
      button("zoom-in", "Zoom in (+)", a.zoomIn, icon(Plus, 16)),
      h("span", { class: "zoom-sep", "aria-hidden": "true" }),
      button("zoom-fit", "Zoom to fit everything (Shift+1)", a.fit, icon(Maximize, 16), h("span", {}, "Fit")),
      button("zoom-reset", "Zoom to 100% (Shift+0)", a.reset, "100%"),
    );
    // A press on the control is not a press on the canvas (no pan, no deselect, no new note).
    for (const type of ["pointerdown", "dblclick", "wheel"]) this.el.addEventListener(type, (e) => e.stopPropagation());
  }

  /** Shows `zoom` as a percentage. */
  update(zoom: number): void {
    const text = `${Math.round(zoom * 100)}%`;
    if (this.level.textContent !== text) this.level.textContent = text;
  }
}

/** Runs the zoom shortcut of `e`, if it is one; true when it did. `editorOpen`: a note is being typed. */
export function zoomKey(e: KeyboardEvent, a: ZoomActions, editorOpen: boolean): boolean {
  if (e.altKey || e.metaKey || e.defaultPrevented || typing(e, editorOpen)) return false;
  const ctrl = e.ctrlKey;
  let act: (() => void) | null = null;
  if (e.code === "Digit1" && e.shiftKey && !ctrl) act = a.fit;
  else if (e.code === "Digit0" && (e.shiftKey || ctrl)) act = a.reset; // Ctrl+0: the page's zoom, not the browser's
  else if (!ctrl && (e.key === "+" || e.key === "=")) act = a.zoomIn;
  else if (!ctrl && (e.key === "-" || e.key === "−" || e.key === "_")) act = a.zoomOut;
  if (!act) return false;
  e.preventDefault();
  act();
  return true;
}
