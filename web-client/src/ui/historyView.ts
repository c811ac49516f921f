// The board as it was at one point of its log, drawn by the same renderers as the live
// board (discovery.ts, backlog.ts) fed from a client that never connects: its board
// is the history answer's snapshot (SyncClient.showSnapshot) and its role is viewer,
// so nothing can be changed (ROLE-2): no toolbar actions, no drags, no typing.
import { BoardKind } from "../gen/board_pb";
import type { BoardExport } from "../gen/board_pb";
import { Role } from "../gen/sync_pb";
import { SyncClient } from "../sync/syncClient";
import { mountBacklog } from "./backlog";
import { mountDiscovery } from "./discovery";
import { userColor } from "./dom";

export interface HistoryView {
  show(x: BoardExport): void;
  destroy(): void;
}

export function mountHistoryView(root: HTMLElement, boardId: string, kind: BoardKind, me: { memberId: string; name: string }): HistoryView {
  const client = new SyncClient({
    url: "", boardId, token: "", memberId: me.memberId, userName: me.name, role: Role.VIEWER,
    color: userColor(me.name), pageEnv: null, // never started: no socket, no listeners
  });
  // Drafts and the remembered view are kept per board id: the past gets its own.
  const key = `history:${boardId}`;
  const view = kind === BoardKind.BACKLOG ? mountBacklog(root, client, key) : mountDiscovery(root, client, key);
  root.dataset.history = "1";
  debug.tandemHistory = client; // for tests and debugging, as window.tandem
  return {
    show(x) {
      if (!x.snapshot) return;
      client.showSnapshot({ kind, title: x.snapshot.settings?.title ?? x.meta?.title ?? "" }, x.snapshot);
      view.render(); // the whole board: a point of history has no frame changes
    },
    destroy() {
      view.destroy();
      delete root.dataset.history;
      if (debug.tandemHistory === client) delete debug.tandemHistory;
    },
  };
}

const debug = globalThis as { tandemHistory?: SyncClient };
