// A board page: the header (title, connection status, who is here, undo/redo),
// messages, and the discovery or backlog view once the welcome says which.
import { BoardKind, BoardTemplate } from "../gen/board_pb";
import type { CreateBoard } from "../sync/syncClient";
import { SyncClient } from "../sync/syncClient";
import { mountBacklog } from "./backlog";
import { mountDiscovery } from "./discovery";
import { clear, h, rememberBoard, userColor, userName } from "./dom";

export interface View {
  render(): void;
}

const STATUS_TEXT = { online: "Live", connecting: "Connecting…", offline: "Offline: changes are kept", missing: "No such board" };

export function mountBoard(root: HTMLElement, boardId: string): void {
  const params = new URLSearchParams(location.search);
  let create: CreateBoard | undefined;
  if (params.get("new")) {
    create = {
      title: params.get("title") ?? "Board",
      kind: params.get("new") === "backlog" ? BoardKind.BACKLOG : BoardKind.DISCOVERY,
      template: Number(params.get("template") ?? 0) as BoardTemplate,
    };
  }
  const me = userName();
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const client = new SyncClient({
    url: `${scheme}://${location.host}/ws`,
    boardId,
    userName: me,
    color: userColor(me),
    create,
    storage: sessionStorage,
  });
  (window as unknown as { tandem: SyncClient }).tandem = client; // for tests and debugging

  clear(root);
  const title = h("h1", { class: "board-title", "data-testid": "board-title" }, "…");
  const status = h("span", { class: "status", "data-testid": "status", "data-status": "connecting" }, STATUS_TEXT.connecting);
  const peers = h("div", { class: "peers", "data-testid": "peers" });
  const undo = h("button", { class: "button", title: "Undo (Ctrl+Z)", "data-testid": "undo", onclick: () => client.undo() }, "↶");
  const redo = h("button", { class: "button", title: "Redo (Ctrl+Shift+Z)", "data-testid": "redo", onclick: () => client.redo() }, "↷");
  const toast = h("div", { class: "toast", "data-testid": "toast", hidden: true });
  const body = h("div", { class: "board-body" });
  root.append(
    h("header", { class: "board-header" },
      h("a", { href: "/", class: "home" }, "Tandem"), title, status, peers,
      h("div", { class: "spacer" }), undo, redo,
      h("span", { class: "me", style: `--c:${userColor(me)}` }, me)),
    body, toast);

  title.addEventListener("dblclick", () => {
    const t = prompt("Board title", client.view.title);
    if (t !== null && t.trim()) client.submit([opUpdateTitle(t.trim())]);
  });

  let view: View | null = null;
  let shownError: string | null = null;
  let toastTimer: ReturnType<typeof setTimeout> | null = null;
  const render = () => {
    status.dataset.status = client.status;
    status.textContent = STATUS_TEXT[client.status] + (client.pending.length ? ` · ${client.pending.length} pending` : "");
    undo.disabled = !client.canUndo;
    redo.disabled = !client.canRedo;
    clear(peers);
    for (const [, p] of client.peers)
      peers.append(h("span", { class: "peer", style: `--c:${p.member.color || userColor(p.member.userName)}`, title: p.member.userName }, p.member.userName));
    if (client.lastError && client.lastError !== shownError) {
      shownError = client.lastError;
      toast.textContent = client.lastError;
      toast.hidden = false;
      if (toastTimer) clearTimeout(toastTimer);
      toastTimer = setTimeout(() => {
        toast.hidden = true;
        client.lastError = shownError = null;
      }, 5000);
    }
    if (!client.initialized) return;
    title.textContent = client.view.title || boardId;
    document.title = `${client.view.title} · Tandem`;
    if (!view) {
      const kind = client.view.kind === BoardKind.BACKLOG ? "backlog" : "discovery";
      rememberBoard({ id: boardId, title: client.view.title, kind, visited: Date.now() });
      if (create) history.replaceState(null, "", `/b/${boardId}`);
      body.dataset.kind = kind;
      view = kind === "backlog" ? mountBacklog(body, client) : mountDiscovery(body, client);
    }
    view?.render();
  };
  client.subscribe(render);
  document.addEventListener("keydown", (e) => {
    const t = e.target as HTMLElement;
    if (t.closest("input, textarea, [contenteditable]")) return;
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z") {
      e.preventDefault();
      if (e.shiftKey) client.redo();
      else client.undo();
    }
  });
  client.start();
  render();
}

import { op } from "../sync/ops";
function opUpdateTitle(t: string) {
  return op.updateBoard(t);
}
