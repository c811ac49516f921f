// The backlog board: an ordered list the product owner reorders live (drag and
// drop, or Alt+Up/Down), inline edits, and a status-columns view. Read-only for
// viewers (ROLE-2); the columns are the board's settings, changed by facilitators
// and owners only (ROLE-3).
//
// This file puts the parts together (backlog/): the toolbar, the bar of the selected
// rows (selectionBar.ts), the windowed list of rows (listView.ts), the columns
// (columns.ts), and the polite live region telling others' moves (announce.ts). Typing is sacred: the row being typed
// in is never rebuilt, moved or unmounted by a render; a remote change to the field
// being typed in shows a hint and keeps the draft; Enter or a blur commits, Escape
// cancels; drafts survive a reload (drafts.ts), and leaving with unsent changes asks
// first (guardUnload).
import { EVERYTHING } from "../sync/frameChanges";
import type { FrameChanges } from "../sync/frameChanges";
import type { SyncClient } from "../sync/syncClient";
import { h } from "./dom";
import { Drafts, guardUnload } from "./drafts";
import "./backlog/backlog.css";
import { Announcer } from "./backlog/announce";
import { ColumnsView } from "./backlog/columns";
import type { Ctx } from "./backlog/context";
import { items } from "./backlog/context";
import { ListView } from "./backlog/listView";
import { SelectionBar } from "./backlog/selectionBar";
import type { Mode } from "./backlog/toolbar";
import { Toolbar } from "./backlog/toolbar";

export interface BacklogView {
  render(changes?: FrameChanges): void;
  /** Takes the view out of the page: its elements, listeners and unload guard. */
  destroy(): void;
}

export function mountBacklog(root: HTMLElement, client: SyncClient, boardId = location.pathname.split("/")[2] ?? ""): BacklogView {
  const drafts = new Drafts(boardId);
  const ctx: Ctx = { client, drafts, render: () => render(), dragging: null };
  let mode: Mode = "list";
  let restored = false;
  let destroyed = false;
  const body = h("div", { class: "backlog", "data-testid": "backlog" });
  const toolbar = new Toolbar(ctx, (m) => { mode = m; render(); });
  const columns = new ColumnsView(ctx);
  const list = new ListView(ctx, body, new Set(drafts.list().map((d) => d.objectId)));
  const bar = new SelectionBar(ctx, {
    count: () => list.selection.size,
    move: (edge) => list.moveSelection(edge),
    remove: () => list.remove(list.selection.inOrder(items(ctx).map((o) => o.id))),
    clear: () => { list.unselectAll(); list.el.focus(); },
    focusList: () => list.el.focus(),
  });
  const announcer = new Announcer(ctx);
  list.onSelection = () => bar.update();
  list.onDeleted = (ids, titles) => {
    bar.deleted(ids, titles);
    announcer.say(titles.length === 1 ? `Deleted “${titles[0].trim() || "untitled item"}”. Ctrl+Z undoes it.` : `Deleted ${titles.length} items. Ctrl+Z undoes it.`);
  };
  root.append(toolbar.el, bar.el, body, announcer.el);

  const unguard = guardUnload(() => client.pending.length > 0 || toolbar.unsent || list.unsent);
  let frame = 0;
  const onScroll = () => {
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; if (!rendering && !ctx.dragging && mode === "list") list.scrolled(); });
  };
  body.addEventListener("scroll", onScroll, { passive: true });
  const resize = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(onScroll);
  resize?.observe(body);

  /** After a reload: the focus goes back to the draft being typed (the new item's, or a row's). */
  function restoreDrafts() {
    if (restored) return;
    restored = true;
    if (toolbar.restoreDraft()) return;
    for (const row of list.drawn()) {
      const f = row.fields.find((x) => x.session);
      if (!f) continue;
      f.input.focus();
      if (f.input.type !== "number") f.input.setSelectionRange(f.input.value.length, f.input.value.length);
      row.el.scrollIntoView({ block: "nearest" });
      return;
    }
  }

  function renderNow(changes: FrameChanges) {
    if (ctx.dragging || destroyed) return; // re-rendered when the drop is done
    toolbar.update(mode);
    bar.update(mode === "list");
    if (changes.all || changes.objects.size) announcer.observe();
    if (mode === "columns") {
      list.clear();
      if (body.firstElementChild !== columns.el) body.replaceChildren(columns.el);
      columns.render(items(ctx));
      return;
    }
    if (body.firstElementChild !== list.el) {
      columns.clear();
      body.replaceChildren(list.el);
      changes = EVERYTHING;
    }
    list.render(changes);
    restoreDrafts();
  }

  let rendering = false;
  let queued = false;
  function render(changes: FrameChanges = EVERYTHING) {
    if (rendering) {
      // A change made while rendering: after it, everything (what it changed is not known here).
      if (!queued) queueMicrotask(() => { queued = false; render(); });
      queued = true;
      return;
    }
    rendering = true;
    try {
      renderNow(changes);
    } finally {
      rendering = false;
    }
  }

  function destroy() {
    destroyed = true;
    unguard();
    body.removeEventListener("scroll", onScroll);
    resize?.disconnect();
    if (frame) cancelAnimationFrame(frame);
    document.querySelectorAll(".ghost").forEach((g) => g.remove());
    list.clear();
    columns.clear();
    toolbar.el.remove();
    bar.destroy();
    announcer.el.remove();
    body.remove();
  }
  return { render, destroy };
}
