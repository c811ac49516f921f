// The Share dialog (owners and facilitators, SPEC ROLE-5/6): the board's active
// invite links, each with Copy and Revoke, and a form that makes a new one.
import type { Invite } from "../access/api";
import { api, inviteLink, isActive } from "../access/api";
import type { RoleName } from "../access/roles";
import { canManageOwnerInvites, mintableRoles, roleOf } from "../access/roles";
import { openDialog } from "./dialog";
import { clear, h } from "./dom";

const DAY_S = 24 * 60 * 60;
/** Link lifetimes offered (AUTH-5: expiry bounds redemption, not membership). */
export const EXPIRY_CHOICES: [label: string, seconds: number][] = [
  ["Never", 0], ["1 day", DAY_S], ["7 days", 7 * DAY_S], ["30 days", 30 * DAY_S],
];
const COPIED_MS = 1500; // how long a Copy button says "Copied"

const ROLE_HINT: Record<RoleName, string> = {
  viewer: "can look, not change",
  editor: "can add and change notes and items",
  facilitator: "can also rename, share and delete",
  owner: "full control, including owner links",
};

export function openShare(boardId: string, token: string, myRole: RoleName): void {
  const role = roleOf(myRole);
  const list = h("div", { class: "invites", "data-testid": "invite-list" }, h("p", { class: "muted" }, "Loading links…"));
  const problem = h("p", { class: "form-error", "data-testid": "share-error", hidden: true });
  const roleSel = h("select", { class: "input", "data-testid": "invite-role", "aria-label": "Role" },
    ...mintableRoles(role).map((r) => h("option", { value: r, selected: r === "editor" }, `${r} — ${ROLE_HINT[r]}`)));
  const expirySel = h("select", { class: "input", "data-testid": "invite-expiry", "aria-label": "Expires" },
    ...EXPIRY_CHOICES.map(([label, s]) => h("option", { value: s, selected: s === 7 * DAY_S }, label === "Never" ? "Never expires" : `Expires in ${label}`)));
  const label = h("input", { class: "input grow", placeholder: "Label (optional), e.g. Design team", maxlength: 200, "data-testid": "invite-label" });
  const makeBtn = h("button", { class: "button primary", type: "submit", "data-testid": "invite-create" }, "Create link");
  const form = h("form", { class: "invite-form" }, roleSel, expirySel, label, makeBtn);
  openDialog({
    title: "Share this board", testid: "share-dialog", wide: true,
    content: [
      h("p", { class: "muted" }, "Anyone with a link joins with its role. Revoking a link also removes everyone who joined through it."),
      list, h("h3", {}, "New link"), form, problem,
    ],
  });

  const fail = (e: unknown) => {
    problem.textContent = e instanceof Error ? e.message : String(e);
    problem.hidden = false;
  };
  let fresh = ""; // the nonce just made: highlighted
  async function refresh() {
    try {
      show(await api.listInvites(boardId, token));
    } catch (e) {
      clear(list);
      fail(e);
    }
  }
  function show(invites: Invite[]) {
    clear(list);
    const now = Date.now();
    // Owner links only to owners: a facilitator cannot revoke them (ROLE-6), nor should use them.
    const active = invites.filter((i) => isActive(i, now) && (i.role !== "owner" || canManageOwnerInvites(role)))
      .sort((a, b) => b.createdMs - a.createdMs);
    if (active.length === 0) list.append(h("p", { class: "muted", "data-testid": "no-invites" }, "No active links. Create one below."));
    for (const i of active) list.append(row(i, now));
  }
  function row(i: Invite, now: number): HTMLElement {
    const link = inviteLink(location.origin, boardId, i.token);
    const url = h("input", { class: "input link-text", readonly: true, value: link, "data-testid": "invite-url", "aria-label": "Invite link" });
    url.addEventListener("focus", () => url.select());
    const copy = h("button", { class: "button", type: "button", "data-testid": "invite-copy" }, "Copy");
    copy.addEventListener("click", async () => {
      if (await copyText(link, url)) {
        copy.textContent = "Copied";
        setTimeout(() => (copy.textContent = "Copy"), COPIED_MS);
      } else copy.textContent = "Press Ctrl+C";
    });
    const revoke = h("button", { class: "button danger", type: "button", "data-testid": "invite-revoke" }, "Revoke");
    revoke.addEventListener("click", async () => {
      revoke.disabled = true;
      try {
        await api.revokeInvite(boardId, token, i.nonce);
        await refresh();
      } catch (e) {
        revoke.disabled = false;
        fail(e);
      }
    });
    return h("div", { class: "invite" + (i.nonce === fresh ? " fresh" : ""), "data-testid": "invite", "data-role": i.role, "data-nonce": i.nonce },
      h("div", { class: "invite-meta" },
        h("span", { class: `role-badge role-${i.role}` }, i.role),
        h("span", { class: "muted" }, expiryText(i.expiresMs, now)),
        i.label ? h("span", { class: "invite-label" }, i.label) : null),
      h("div", { class: "invite-actions" }, url, copy, revoke));
  }
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    problem.hidden = true;
    makeBtn.disabled = true;
    try {
      const inv = await api.createInvite(boardId, token, { role: roleSel.value as RoleName, expiresInS: Number(expirySel.value), label: label.value.trim() });
      fresh = inv.nonce;
      label.value = "";
      await refresh();
    } catch (err) {
      fail(err);
    } finally {
      makeBtn.disabled = false;
    }
  });
  void refresh();
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
async function copyText(text: string, field: HTMLInputElement): Promise<boolean> {
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
