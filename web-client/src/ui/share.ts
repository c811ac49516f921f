// Share: opens the Share dialog (components/ShareDialog.tsx) and holds what it needs
// that is not a component: link lifetimes, role hints, expiry text, copying.
import { createElement } from "preact";
import type { RoleName } from "../access/roles";
import { ShareDialog } from "../components/ShareDialog";
import { openDialog } from "./dialog";

export const DAY_S = 24 * 60 * 60;
/** Link lifetimes offered (AUTH-5: expiry bounds redemption, not membership). */
export const EXPIRY_CHOICES: [label: string, seconds: number][] = [
  ["Never", 0], ["1 day", DAY_S], ["7 days", 7 * DAY_S], ["30 days", 30 * DAY_S],
];

/** A role as the page names it. */
export const ROLE_LABEL: Record<RoleName, string> = { viewer: "Viewer", editor: "Editor", facilitator: "Facilitator", owner: "Owner" };

export const ROLE_HINT: Record<RoleName, string> = {
  viewer: "can look, not change",
  editor: "can add and change notes and items",
  facilitator: "can also rename, share and delete",
  owner: "full control, including owner links",
};

export function openShare(boardId: string, token: string, myRole: RoleName): void {
  openDialog((close) => createElement(ShareDialog, { boardId, token, myRole, onClose: close }));
}

/**
 * The board a pasted link points at: an invite link (`/b/ID?invite=TOKEN`, API-6) or a
 * board's address (`/b/ID`), with or without the origin; null for anything else.
 */
export function parseBoardLink(text: string, origin: string): { boardId: string; invite: string | null } | null {
  let u: URL;
  try {
    u = new URL(text.trim(), origin);
  } catch {
    return null;
  }
  const m = u.pathname.match(/^\/b\/([A-Za-z0-9_-]{1,64})\/?$/);
  if (!m) return null;
  return { boardId: m[1], invite: u.searchParams.get("invite") || null };
}

/** "Never expires", "Expires in 3 days", "Expires in 5 hours", … */
export function expiryText(expiresMs: number, nowMs: number): string {
  if (expiresMs === 0) return "Never expires";
  const left = expiresMs - nowMs;
  if (left <= 0) return "Expired";
  const hours = left / 3_600_000;
  if (hours >= 36) return `Expires in ${Math.round(hours / 24)} days`;
  if (hours >= 1.5) return `Expires in ${Math.round(hours)} hours`;
  return `Expires in ${Math.max(1, Math.round(left / 60_000))} minutes`;
}

/** Copies with the Clipboard API; without it (no secure context, refused) selects the text for Ctrl+C. */
export async function copyText(text: string, field: HTMLInputElement): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall through to selecting */
  }
  field.focus();
  field.select();
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  }
}
