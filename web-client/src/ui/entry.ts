// How a page gets into a board (SPEC API-2, API-6): with a membership this browser
// holds, by redeeming the invite in `?invite=` (asking the person's name once), or
// not at all (a notice). The invite token leaves the address bar once used, so it
// does not linger in the history or get shared by accident.
import type { Grant } from "../access/api";
import { createElement, render } from "preact";
import type { Membership } from "../access/memberships";
import { memberships } from "../access/memberships";
import { JoinDialog } from "../components/JoinDialog";
import { Notice } from "../components/Notice";
import { openDialog } from "./dialog";

export const INVALID_INVITE = "This invite link is not valid (it may have expired or been revoked)";
export const NEED_INVITE = "You need an invite link to open this board";

/** Calls `open` with the membership for `boardId`, once there is one. */
export function enterBoard(root: HTMLElement, boardId: string, open: (m: Membership) => void): void {
  const params = new URLSearchParams(location.search);
  const invite = params.get("invite");
  const held = memberships.get(boardId);
  if (held) {
    if (invite !== null) dropInvite(params);
    return open(held);
  }
  if (!invite) return notice(root, NEED_INVITE, "Ask someone on the board to share a link with you.");
  askName(boardId, invite, (g) => {
    const m: Membership = {
      token: g.memberToken, memberId: g.memberId, name: g.name, role: g.role,
      title: g.title ?? "", kind: g.kind ?? "discovery", visited: Date.now(),
    };
    memberships.put(boardId, m);
    dropInvite(params);
    open(m);
  }, () => notice(root, INVALID_INVITE, "Ask for a new link."));
}

function dropInvite(params: URLSearchParams): void {
  params.delete("invite");
  const q = params.toString();
  history.replaceState(history.state, "", location.pathname + (q ? `?${q}` : "") + location.hash);
}

/** A page-filling message with a way home. */
export function notice(root: HTMLElement, title: string, detail: string): void {
  render(createElement(Notice, { title, detail }), root);
}

/** Asks for a display name (components/JoinDialog.tsx) and redeems the invite with it. */
function askName(boardId: string, invite: string, done: (g: Grant) => void, invalid: () => void): void {
  const dialog = openDialog(() => createElement(JoinDialog, {
    boardId, invite,
    onJoined: (g: Grant) => {
      dialog.close();
      done(g);
    },
    onInvalid: () => {
      dialog.close();
      invalid();
    },
  }));
}
