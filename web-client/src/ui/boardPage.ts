// A board page: mounts the Preact chrome (components/BoardPage.tsx: header, banner,
// toast) and, once the welcome says which, the imperative discovery or backlog view.
// Entered with a membership (ui/entry.ts); what a role may not do is not offered
// (SPEC ROLE-*), and the server refuses it anyway.
import { signal } from "@preact/signals";
import { createElement, render } from "preact";
import type { Membership } from "../access/memberships";
import { memberships } from "../access/memberships";
import { canManageInvites, roleOf } from "../access/roles";
import { BoardMenu } from "../components/BoardMenu";
import { BoardPage } from "../components/BoardPage";
import { boardSignals } from "../components/boardSignals";
import { FollowState } from "../components/facilitation/followState";
import type { Workshop } from "../components/facilitation/workshop";
import { workshopActive } from "../components/facilitation/workshop";
import { WorkshopSide } from "../components/facilitation/WorkshopSide";
import { workshopSignals } from "../components/facilitation/workshopState";
import type { ToastKind, ToastMessage } from "../components/Toast";
import { BoardKind } from "../gen/board_pb";
import type { FrameChanges } from "../sync/frameChanges";
import { op } from "../sync/ops";
import { sentText } from "../sync/statusText";
import { SyncClient } from "../sync/syncClient";
import { browserTabClaims } from "../sync/tabClaim";
import { mountBacklog } from "./backlog";
import type { DiscoveryView } from "./discovery";
import { mountDiscovery } from "./discovery";
import { clear, h, userColor } from "./dom";
import { enterBoard } from "./entry";
import { historyMode } from "./historyMode";
import { takeNotice } from "./newBoard";
import { openShare } from "./share";

export interface View {
  render(changes?: FrameChanges): void;
}

export const TOAST_MS = 5000; // long enough to read a one-line message

// One claim of a client id per tab (a duplicated tab takes its own: sync/tabClaim.ts).
const tabClaims = browserTabClaims();

export function mountBoard(root: HTMLElement, boardId: string): void {
  enterBoard(root, boardId, (m) => openBoard(root, boardId, m));
}

/**
 * The page's client: remembers which messages were hints (flash(): "Select one note to
 * promote"), so the toast shows them as hints and only refusals and failures as errors.
 */
class PageClient extends SyncClient {
  lastHint: string | null = null;

  override flash(message: string): void {
    this.lastHint = message;
    super.flash(message);
  }

  /** The kind of toast for the last message (REJ-2 "kept, sent again" is not an error). */
  messageKind(text: string): ToastKind {
    return text === this.lastHint || /will be sent again/.test(text) ? "hint" : "error";
  }
}

function connect(boardId: string, m: Membership): PageClient {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return new PageClient({
    // CLUSTER-1: the board id in the path lets a balancer route it to the board's node.
    url: `${scheme}://${location.host}/b/${encodeURIComponent(boardId)}/ws`,
    boardId,
    token: m.token,
    memberId: m.memberId,
    userName: m.name,
    role: roleOf(m.role),
    color: userColor(m.name),
    storage: sessionStorage,
    claimClientId: tabClaims.claim,
  });
}

function openBoard(root: HTMLElement, boardId: string, m: Membership): void {
  memberships.update(boardId, { visited: Date.now() });
  const client = connect(boardId, m);
  (window as unknown as { tandem: SyncClient }).tandem = client; // for tests and debugging

  const toast = signal<ToastMessage | null>(null);
  let shownError: string | null = null;
  let toastId = 0;
  const signals = boardSignals(client, {
    boardId, fallbackTitle: m.title || "…", fallbackRole: m.role, canShare: (c) => canManageInvites(c.role) && !c.ended,
    onSent: (n) => (toast.value = { text: sentText(n), id: ++toastId, kind: "success" }),
  });
  const canvas = h("div", { class: "board-body" });
  clear(root);
  root.classList.add("board-page");
  const display = new URLSearchParams(location.search).get("display") === "1"; // a room display (FAC-8)
  root.classList.toggle("display-mode", display);
  let discovery: DiscoveryView | null = null;
  const workshopState = workshopSignals(client);
  const workshop: Workshop = {
    client, boardId, token: m.token, display,
    state: workshopState.state,
    selection: signal<readonly string[]>([]),
    follow: new FollowState(client, display, () => discovery?.refollow()),
    barOpen: signal(false),
  };
  let barDecided = false; // opened by itself once, on a wide screen, when a workshop is running
  let view: (View & { destroy(): void }) | null = null;
  const kindName = signal(m.kind);
  // History mode (ui/historyMode.ts): the live view is taken out while the past is shown.
  const past = historyMode({
    canvas, boardId, token: m.token,
    me: () => client.me,
    kind: () => (client.initialized ? client.view.kind : kindName.peek() === "backlog" ? BoardKind.BACKLOG : BoardKind.DISCOVERY),
    kindName: () => kindName.peek(),
    title: () => client.view.title || m.title,
    suspendLive: () => {
      if (discovery) render(null, discovery.workshopHost);
      view?.destroy();
      view = discovery = null;
    },
    resumeLive: () => update(),
    toast: (text, kind) => (toast.value = { text, id: ++toastId, kind }),
  });
  const menu = display ? undefined : createElement(BoardMenu, {
    kind: kindName, inHistory: past.store.open,
    onExport: (f) => void past.exportAs(f),
    onHistory: () => past.store.enter(),
  });
  render(createElement(BoardPage, {
    signals, toast, toastMs: TOAST_MS, canvas, workshop, menu, history: past.bar,
    onToastDone: () => {
      toast.value = null;
      client.lastError = shownError = null;
    },
    actions: {
      rename: (t) => client.submit([op.updateBoard(t)]), // ROLE-3: offered to facilitators and owners only
      share: () => openShare(boardId, m.token, m.role),
      undo: () => client.undo(),
      redo: () => client.redo(),
      takeOver: () => client.takeOver(),
    },
  }), root);

  let savedTitle = m.title;
  let ended = false;
  const update = (changes?: FrameChanges) => {
    signals.update(changes);
    workshopState.update(changes);
    if (!changes || changes.all || changes.facilitation || changes.presence.size) workshop.follow.update();
    if (client.lastError && client.lastError !== shownError) {
      shownError = client.lastError;
      toast.value = { text: client.lastError, id: ++toastId, kind: client.messageKind(client.lastError) };
    }
    if ((client.status === "revoked" || client.status === "deleted") && !ended) {
      ended = true;
      // The token is refused for good (CLOSE-2): forget it, so a new invite link is redeemed.
      memberships.forget(boardId);
      canvas.classList.add("ended");
    }
    if (!client.initialized) return;
    if (!barDecided) {
      barDecided = true;
      workshop.barOpen.value = workshopActive(workshopState.state.peek()) && matchMedia("(min-width: 641px)").matches;
    }
    document.title = `${client.view.title} · Tandem`;
    const kind = client.view.kind === BoardKind.BACKLOG ? "backlog" : "discovery";
    kindName.value = kind;
    if (!ended && (client.view.title !== savedTitle || kind !== m.kind)) {
      savedTitle = client.view.title;
      memberships.update(boardId, { title: client.view.title, kind });
    }
    if (past.store.open.peek()) {
      past.store.extend(client.confirmed.seq); // the slider reaches what arrived live; the past shown stays
      return; // the live view is mounted again on "Back to live"
    }
    if (!view) {
      canvas.dataset.kind = kind;
      if (kind === "backlog") view = mountBacklog(canvas, client);
      else {
        view = discovery = mountDiscovery(canvas, client, boardId, {
          followTarget: () => workshop.follow.target,
          selectionChanged: (ids) => (workshop.selection.value = ids),
        });
        render(createElement(WorkshopSide, { w: workshop }), discovery.workshopHost);
      }
      view.render(); // a fresh view draws everything
    } else view.render(changes);
  };
  client.subscribe(update);
  document.addEventListener("keydown", (e) => !past.store.open.peek() && undoKeys(e, client));
  client.start();
  update();
  const notice = takeNotice(boardId); // e.g. the CSV columns an import left out (ui/newBoard.ts)
  if (notice) toast.value = { text: notice, id: ++toastId, kind: "hint" };
}

/** Ctrl+Z / Ctrl+Shift+Z outside fields and dialogs. */
function undoKeys(e: KeyboardEvent, client: SyncClient): void {
  const t = e.target as HTMLElement;
  if (t.closest("input, textarea, select, [contenteditable], [role=dialog]")) return;
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z") {
    e.preventDefault();
    if (e.shiftKey) client.redo();
    else client.undo();
  }
}
