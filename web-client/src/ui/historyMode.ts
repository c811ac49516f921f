// History mode on a board page (components/history/): entering puts the live view away
// (destroyed, so none of its keys, drags or toolbar can act) and draws the board as the
// history answer has it (historyView.ts); the live client stays connected meanwhile, so
// "Back to live" mounts the live view on the current board. Also the board menu's
// exports (downloaded through fetch, the token in a header: SPEC EXPORT-*).
import { effect } from "@preact/signals";
import { createElement } from "preact";
import type { ExportFormat } from "../access/transfer";
import { transfer, saveDownload, transferText } from "../access/transfer";
import type { HistoryBarProps } from "../components/history/HistoryBar";
import { HistoryStore } from "../components/history/historyStore";
import { RestoreDialog } from "../components/history/RestoreDialog";
import { timeText } from "../components/history/timeText";
import type { ToastKind } from "../components/Toast";
import type { BoardKind } from "../gen/board_pb";
import { openDialog } from "./dialog";
import type { HistoryView } from "./historyView";
import { mountHistoryView } from "./historyView";
import { openNewBoard } from "./newBoard";

export interface HistoryHooks {
  canvas: HTMLElement;
  boardId: string;
  token: string;
  me: () => { memberId: string; name: string };
  kind: () => BoardKind;
  kindName: () => "discovery" | "backlog";
  title: () => string;
  /** Takes the live view out of the page (history mode begins). */
  suspendLive: () => void;
  /** Puts the live view back, drawn from the current board. */
  resumeLive: () => void;
  toast: (text: string, kind: ToastKind) => void;
}

export interface HistoryMode {
  store: HistoryStore;
  bar: HistoryBarProps;
  exportAs(format: ExportFormat): Promise<void>;
}

export function historyMode(k: HistoryHooks): HistoryMode {
  const store = new HistoryStore(
    (seq, abort) => transfer.history(k.boardId, k.token, seq, abort),
    (e) => transferText(e, "show that point of the history"),
  );
  let view: HistoryView | null = null;
  effect(() => {
    const open = store.open.value;
    if (open && !view) {
      k.suspendLive();
      view = mountHistoryView(k.canvas, k.boardId, k.kind(), k.me());
    } else if (!open && view) {
      view.destroy();
      view = null;
      k.resumeLive();
    }
  });
  effect(() => {
    const x = store.shown.value;
    if (x && view) view.show(x);
  });

  const restore = (seq: bigint) => {
    const shown = store.shown.peek();
    const when = shown ? timeText(Number(shown.stateTimeMs)) : "";
    openDialog((close) => createElement(RestoreDialog, {
      defaultTitle: `${k.title()} (restored)`, when, onClose: close,
      restore: async (title) => {
        const g = await transfer.restore(k.boardId, k.token, seq, title, k.me().name);
        close();
        openNewBoard(g, { title, kind: k.kindName(), name: k.me().name });
      },
    }));
  };

  return {
    store,
    bar: {
      store, onRestore: restore,
      onBack: () => {
        store.leave();
        document.querySelector<HTMLElement>("[data-testid=board-menu]")?.focus(); // where history was entered
      },
    },
    async exportAs(format) {
      try {
        saveDownload(await transfer.exportBoard(k.boardId, k.token, format, k.title()));
      } catch (e) {
        k.toast(transferText(e, "export the board"), "error");
      }
    },
  };
}
