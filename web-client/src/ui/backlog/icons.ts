// The backlog's icon buttons: a lucide icon (../icon.ts draws it, decorative) in a
// button whose aria-label and tooltip (title) say what it does; visible text beside
// the icon when given (the label then starts the same way, so speech input finds it).
import type { IconNode } from "../icon";
import { icon } from "../icon";
import { h } from "../dom";

type Attrs = Record<string, string | number | boolean | ((ev: never) => void) | undefined>;

export function iconButton(node: IconNode, label: string, attrs: Attrs = {}, text?: string): HTMLButtonElement {
  const cls = `button ${text ? "with-icon" : "icon-only"}`;
  const b = h("button", { type: "button", title: label, "aria-label": label, ...attrs, class: `${cls} ${attrs.class ?? ""}`.trim() }, icon(node, 16));
  if (text) b.append(h("span", { class: "icon-text" }, text));
  return b;
}
