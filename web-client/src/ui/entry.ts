// How a page gets into a board (SPEC API-2, API-6): with a membership this browser
// holds, by redeeming the invite in `?invite=` (asking the person's name once), or
// not at all (a notice). The invite token leaves the address bar once used, so it
// does not linger in the history or get shared by accident.
import type { Grant } from "../access/api";
import { ApiError, api } from "../access/api";
import type { Membership } from "../access/memberships";
import { memberships, nameProblem } from "../access/memberships";
import { openDialog } from "./dialog";
import { clear, h } from "./dom";

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
  clear(root);
  root.append(h("main", { class: "notice", "data-testid": "notice" },
    h("h1", {}, title), h("p", { class: "muted" }, detail), h("a", { href: "/", class: "button primary", "data-testid": "go-home" }, "Go to your boards")));
}

/** Asks for a display name (prefilled with the one used before here) and redeems the invite with it. */
function askName(boardId: string, invite: string, done: (g: Grant) => void, invalid: () => void): void {
  const name = h("input", { class: "input", value: memberships.knownName() ?? "", maxlength: 64, autocomplete: "name", "data-testid": "join-name", "aria-label": "Your name" });
  const problem = h("p", { class: "form-error", "data-testid": "join-error", hidden: true });
  const go = h("button", { class: "button primary", type: "submit", "data-testid": "join-go" }, "Join board");
  const form = h("form", { class: "stack" },
    h("p", { class: "muted" }, "You were invited to a board. The others will see this name on your notes and cursor."),
    h("label", { class: "stack" }, "Your name", name), problem,
    h("div", { class: "row end" }, h("a", { href: "/", class: "button" }, "Cancel"), go));
  const dialog = openDialog({ title: "Join this board", testid: "join-dialog", content: [form], closable: false });
  const show = (msg: string) => {
    problem.textContent = msg;
    problem.hidden = false;
  };
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const bad = nameProblem(name.value);
    if (bad) return show(bad);
    go.disabled = true;
    try {
      const g = await api.redeem(boardId, invite, name.value.trim());
      dialog.close();
      done(g);
    } catch (err) {
      go.disabled = false;
      if (err instanceof ApiError && err.status === 401) {
        dialog.close();
        return invalid();
      }
      show(err instanceof Error ? err.message : String(err));
    }
  });
  name.focus();
  name.select();
}
