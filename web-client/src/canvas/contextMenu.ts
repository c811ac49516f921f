// The object menu of the discovery canvas: a right-click on a note, group or experiment, or
// a long press on a touch screen (which has no right-click), opens a short menu of what can
// be done to it: edit, comment, vote, delete. The object is selected first, so the menu acts
// on it like the toolbar does. Keyboard: the menu's items are buttons, the first takes the
// focus, arrows move between them and Escape closes it (focus back on the canvas).
import type { IconNode } from "lucide";
import { MessageSquare, Pencil, Trash2, Vote } from "lucide";
import { ObjectType } from "../gen/board_pb";
import { h } from "../ui/dom";
import { icon } from "../ui/icon";
import "./contextMenu.css";

/** The objects that have a menu. */
export const MENU_TYPES: ReadonlySet<ObjectType> = new Set([ObjectType.NOTE, ObjectType.GROUP, ObjectType.EXPERIMENT]);

/** How long a touch must rest on an object to open its menu, and how far it may drift. */
export const LONG_PRESS_MS = 500;
const DRIFT_PX = 8;

export interface MenuItem {
  label: string;
  icon: IconNode;
  run(): void;
}

export interface ContextMenuHooks {
  canvas: HTMLElement;
  /** The id of the object at an element of the canvas, or null. */
  objectOf(target: Element): string | null;
  /** What may be done to `id` by this person (already selected). */
  items(id: string): MenuItem[];
  select(id: string): void;
}

/** The menu's items for an object, in the toolbar's words. */
export function objectItems(o: {
  canEdit: boolean; canVote: boolean; canDelete: boolean;
  edit(): void; comment(): void; vote(): void; remove(): void;
}): MenuItem[] {
  const items: MenuItem[] = [];
  if (o.canEdit) items.push({ label: "Edit text", icon: Pencil, run: o.edit });
  items.push({ label: "Comment", icon: MessageSquare, run: o.comment });
  if (o.canVote) items.push({ label: "Vote", icon: Vote, run: o.vote });
  if (o.canDelete) items.push({ label: "Delete", icon: Trash2, run: o.remove });
  return items;
}

export function attachContextMenu(k: ContextMenuHooks): () => void {
  let menu: HTMLElement | null = null;
  let press: { id: string; x: number; y: number; timer: number } | null = null;

  const close = () => {
    menu?.remove();
    menu = null;
  };

  const open = (id: string, clientX: number, clientY: number) => {
    close();
    k.select(id);
    const items = k.items(id);
    if (!items.length) return;
    const buttons = items.map((it) =>
      h("button", {
        class: "context-item", role: "menuitem", type: "button", "data-testid": "context-item",
        onclick: () => {
          close();
          it.run();
        },
      }, icon(it.icon, 16), it.label));
    const m = h("div", { class: "context-menu", role: "menu", "aria-label": "Actions", "data-testid": "context-menu" }, ...buttons);
    m.addEventListener("keydown", (e) => {
      const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
      if (e.key === "Escape") {
        e.preventDefault();
        close();
        k.canvas.focus({ preventScroll: true });
      } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const n = buttons.length;
        buttons[(i + (e.key === "ArrowDown" ? 1 : n - 1)) % n].focus();
      }
    });
    document.body.append(m);
    // Inside the window, at the pointer.
    const r = m.getBoundingClientRect();
    m.style.left = `${Math.max(4, Math.min(clientX, innerWidth - r.width - 4))}px`;
    m.style.top = `${Math.max(4, Math.min(clientY, innerHeight - r.height - 4))}px`;
    menu = m;
    buttons[0].focus({ preventScroll: true });
  };

  const onContextMenu = (e: MouseEvent) => {
    // The element under the pointer: a drag's pointer capture makes the canvas the target.
    const under = document.elementFromPoint(e.clientX, e.clientY) ?? (e.target as Element);
    const id = k.objectOf(under);
    if (!id) return;
    e.preventDefault();
    open(id, e.clientX, e.clientY);
  };
  const cancelPress = () => {
    if (press) clearTimeout(press.timer);
    press = null;
  };
  const onPointerDown = (e: PointerEvent) => {
    if (menu && !menu.contains(e.target as Node)) close();
    if (e.pointerType !== "touch") return;
    cancelPress();
    const id = k.objectOf(e.target as Element);
    if (!id) return;
    const { clientX: x, clientY: y } = e;
    press = { id, x, y, timer: window.setTimeout(() => { press = null; open(id, x, y); }, LONG_PRESS_MS) };
  };
  const onPointerMove = (e: PointerEvent) => {
    if (press && Math.hypot(e.clientX - press.x, e.clientY - press.y) > DRIFT_PX) cancelPress();
  };
  const onOutside = (e: PointerEvent) => {
    if (menu && !menu.contains(e.target as Node) && !k.canvas.contains(e.target as Node)) close();
  };

  k.canvas.addEventListener("contextmenu", onContextMenu);
  k.canvas.addEventListener("pointerdown", onPointerDown, true);
  k.canvas.addEventListener("pointermove", onPointerMove, true);
  k.canvas.addEventListener("pointerup", cancelPress, true);
  k.canvas.addEventListener("pointercancel", cancelPress, true);
  document.addEventListener("pointerdown", onOutside, true);
  return () => {
    cancelPress();
    close();
    k.canvas.removeEventListener("contextmenu", onContextMenu);
    k.canvas.removeEventListener("pointerdown", onPointerDown, true);
    k.canvas.removeEventListener("pointermove", onPointerMove, true);
    k.canvas.removeEventListener("pointerup", cancelPress, true);
    k.canvas.removeEventListener("pointercancel", cancelPress, true);
    document.removeEventListener("pointerdown", onOutside, true);
  };
}
