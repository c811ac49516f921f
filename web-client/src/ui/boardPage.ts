// A board page: the header (title, connection status, role, who is here, share,
// undo/redo), messages, and the discovery or backlog view once the welcome says
// which. Entered with a membership (ui/entry.ts); what a role may not do is not
// offered (SPEC ROLE-*), and the server refuses it anyway.
import { BoardKind } from "../gen/board_pb";
import type { Membership } from "../access/memberships";
import { memberships } from "../access/memberships";
import { canManageInvites, roleName, roleOf } from "../access/roles";
import { op } from "../sync/ops";
import { STOPPED_TEXT, statusText } from "../sync/statusText";
import { SyncClient } from "../sync/syncClient";
import { browserTabClaims } from "../sync/tabClaim";
import { mountBacklog } from "./backlog";
import { mountDiscovery } from "./discovery";
import { clear, h, userColor } from "./dom";
import { enterBoard } from "./entry";
import { openShare } from "./share";

export interface View {
  render(): void;
}

export const TOAST_MS = 5000; // long enough to read a one-line message

// One claim of a client id per tab (a duplicated tab takes its own: sync/tabClaim.ts).
const tabClaims = browserTabClaims();

export function mountBoard(root: HTMLElement, boardId: string): void {
  enterBoard(root, boardId, (m) => openBoard(root, boardId, m));
}

function openBoard(root: HTMLElement, boardId: string, m: Membership): void {
  memberships.update(boardId, { visited: Date.now() });
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const client = new SyncClient({
    url: `${scheme}://${location.host}/ws`,
    boardId,
    token: m.token,
    memberId: m.memberId,
    userName: m.name,
    role: roleOf(m.role),
    color: userColor(m.name),
    storage: sessionStorage,
    claimClientId: tabClaims.claim,
  });
  (window as unknown as { tandem: SyncClient }).tandem = client; // for tests and debugging

  clear(root);
  root.classList.add("board-page");
  const title = h("h1", { class: "board-title", "data-testid": "board-title" }, m.title || "…");
  const status = h("span", { class: "status", "data-testid": "status", "data-status": "connecting" }, statusText(client));
  const viewOnly = h("span", { class: "badge view-only", "data-testid": "view-only", title: "You joined with a viewer link: you can look, not change", hidden: true }, "View only");
  const peers = h("div", { class: "peers", "data-testid": "peers" });
  const share = h("button", { class: "button", "data-testid": "share", hidden: true, onclick: () => openShare(boardId, m.token, m.role) }, "Share");
  const undo = h("button", { class: "button", title: "Undo (Ctrl+Z)", "data-testid": "undo", onclick: () => client.undo() }, "↶");
  const redo = h("button", { class: "button", title: "Redo (Ctrl+Shift+Z)", "data-testid": "redo", onclick: () => client.redo() }, "↷");
  const me = h("span", { class: "me", style: `--c:${userColor(m.name)}`, "data-testid": "me", title: `You, ${m.role}` }, m.name);
  const banner = h("div", { class: "banner", "data-testid": "ended", role: "alert", hidden: true });
  const toast = h("div", { class: "toast", "data-testid": "toast", role: "status", hidden: true });
  const body = h("div", { class: "board-body" });
  root.append(
    h("header", { class: "board-header" },
      h("a", { href: "/", class: "home" }, "Tandem"), title, viewOnly, status, peers,
      h("div", { class: "spacer" }), share, undo, redo, me),
    banner, body, toast);

  title.addEventListener("dblclick", () => {
    if (!client.canUpdateBoard) return; // ROLE-3: facilitators and owners rename
    const t = prompt("Board title", client.view.title);
    if (t !== null && t.trim()) client.submit([op.updateBoard(t.trim())]);
  });

  let view: View | null = null;
  let shownError: string | null = null;
  let toastTimer: ReturnType<typeof setTimeout> | null = null;
  let savedTitle = m.title;
  let ended = false;
  let bannerFor: string | null = null; // the stop reason the banner shows (CLOSE-3)
  const render = () => {
    status.dataset.status = client.status;
    status.textContent = statusText(client);
    const role = client.role;
    viewOnly.hidden = client.canWrite || client.stopped;
    share.hidden = !canManageInvites(role) || client.ended;
    undo.hidden = redo.hidden = !client.canWrite;
    undo.disabled = !client.canUndo;
    redo.disabled = !client.canRedo;
    title.title = client.canUpdateBoard ? "Double-click to rename" : "";
    title.classList.toggle("renamable", client.canUpdateBoard);
    me.textContent = client.me.name;
    me.title = `You, ${roleName(role) ?? m.role}`;
    clear(peers);
    for (const [, p] of client.peers) {
      const who = p.member.userName || "Someone";
      peers.append(h("span", { class: "peer", style: `--c:${p.member.color || userColor(who)}`, title: who }, who));
    }
    if (client.lastError && client.lastError !== shownError) {
      shownError = client.lastError;
      toast.textContent = client.lastError;
      toast.hidden = false;
      if (toastTimer) clearTimeout(toastTimer);
      toastTimer = setTimeout(() => {
        toast.hidden = true;
        client.lastError = shownError = null;
      }, TOAST_MS);
    }
    if ((client.status === "revoked" || client.status === "deleted") && !ended) {
      ended = true;
      // The token is refused for good (CLOSE-2): forget it, so a new invite link is redeemed.
      memberships.forget(boardId);
      body.classList.add("ended");
    }
    const stop = client.status === "revoked" || client.status === "deleted" || client.status === "outdated" || client.status === "replaced"
      ? client.status : null;
    if (stop !== bannerFor) {
      bannerFor = stop;
      clear(banner);
      banner.hidden = !stop;
      if (stop) {
        const [head, detail] = STOPPED_TEXT[stop];
        const action = stop === "replaced"
          ? h("button", { class: "button", "data-testid": "take-over", onclick: () => client.takeOver() }, "Use it here")
          : stop === "outdated"
            ? h("button", { class: "button", "data-testid": "reload", onclick: () => location.reload() }, "Reload")
            : h("a", { href: "/", class: "button" }, "Go to your boards");
        banner.append(h("strong", {}, head), h("span", {}, detail), action);
        banner.dataset.reason = stop;
      } else delete banner.dataset.reason;
    }
    if (!client.initialized) return;
    title.textContent = client.view.title || boardId;
    document.title = `${client.view.title} · Tandem`;
    const kind = client.view.kind === BoardKind.BACKLOG ? "backlog" : "discovery";
    if (!ended && (client.view.title !== savedTitle || kind !== m.kind)) {
      savedTitle = client.view.title;
      memberships.update(boardId, { title: client.view.title, kind });
    }
    if (!view) {
      body.dataset.kind = kind;
      view = kind === "backlog" ? mountBacklog(body, client) : mountDiscovery(body, client, boardId);
    }
    view?.render();
  };
  client.subscribe(render);
  document.addEventListener("keydown", (e) => {
    const t = e.target as HTMLElement;
    if (t.closest("input, textarea, select, [contenteditable], [role=dialog]")) return;
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z") {
      e.preventDefault();
      if (e.shiftKey) client.redo();
      else client.undo();
    }
  });
  client.start();
  render();
}
