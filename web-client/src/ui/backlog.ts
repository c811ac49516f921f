// The backlog board: an ordered list the product owner reorders live (drag and
// drop, or Alt+Up/Down), inline edits, and a status-columns view. Read-only for
// viewers (ROLE-2); the columns are the board's settings, changed by facilitators
// and owners only (ROLE-3).
import { ObjectType } from "../gen/board_pb";
import type { Obj } from "../sync/board";
import { keyBetween } from "../sync/orderKey";
import { newId, op } from "../sync/ops";
import type { SyncClient } from "../sync/syncClient";
import type { View } from "./boardPage";
import { h } from "./dom";

export function mountBacklog(root: HTMLElement, client: SyncClient): View {
  let mode: "list" | "columns" = "list";
  let dragging: { id: string; pointer: number; ghost: HTMLElement } | null = null;
  const v = () => client.view;
  const items = () => v().ordered(ObjectType.BACKLOG_ITEM);
  const str = (o: Obj, f: string) => (typeof o.fields.get(f) === "string" ? (o.fields.get(f) as string) : "");
  const key = (o: Obj | undefined) => (o ? str(o, "order") || null : null);

  const addInput = h("input", { class: "input grow", placeholder: "New item title, Enter to add", "data-testid": "new-item" });
  addInput.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || !addInput.value.trim()) return;
    const list = items();
    client.submit([op.create(newId(), ObjectType.BACKLOG_ITEM, {
      title: addInput.value.trim(), order: keyBetween(key(list[list.length - 1]), null) ?? "a0",
      ...(v().columns[0] ? { status: v().columns[0] } : {}),
    })]);
    addInput.value = "";
  });
  const listBtn = h("button", { class: "button", "data-testid": "mode-list", onclick: () => { mode = "list"; render(); } }, "List");
  const colBtn = h("button", { class: "button", "data-testid": "mode-columns", onclick: () => { mode = "columns"; render(); } }, "Columns");
  const editCols = h("button", { class: "button", "data-testid": "edit-columns", onclick: () => {
    const c = prompt("Status columns, comma-separated", v().columns.join(", "));
    if (c) client.submit([op.updateBoard(undefined, c.split(",").map((x) => x.trim()).filter(Boolean))]);
  } }, "Edit columns");
  const body = h("div", { class: "backlog", "data-testid": "backlog" });
  const readOnlyHint = h("span", { class: "muted grow", "data-testid": "read-only-hint" }, "View only");
  const toolbar = h("div", { class: "toolbar" }, addInput, readOnlyHint, listBtn, colBtn, editCols);
  root.append(toolbar, body);
  const writable = () => client.canWrite;

  /** Moves `id` to index `to` of the list without it. */
  function moveTo(id: string, to: number) {
    if (!writable()) return;
    const rest = items().filter((o) => o.id !== id);
    to = Math.max(0, Math.min(rest.length, to));
    let a = key(rest[to - 1]), b = key(rest[to]);
    if (a !== null && a === b) b = null; // a tie: go after it
    const k = keyBetween(a, b);
    if (k) client.submit([op.move(id, k)]);
  }

  function row(o: Obj, index: number): HTMLElement {
    const ro = !writable();
    const title = h("input", { class: "title", value: str(o, "title"), "data-testid": "item-title", readonly: ro });
    title.addEventListener("change", () => client.submit([op.update(o.id, { title: title.value })]));
    const status = h("select", { class: "input", "data-testid": "item-status", disabled: ro },
      ...v().columns.map((c) => h("option", { value: c, selected: str(o, "status") === c }, c)));
    status.addEventListener("change", () => client.submit([op.update(o.id, { status: status.value })]));
    const est = h("input", { class: "input est", type: "number", min: 0, value: typeof o.fields.get("estimate") === "number" ? String(o.fields.get("estimate")) : "", placeholder: "pts", readonly: ro });
    est.addEventListener("change", () => client.submit([op.update(o.id, { estimate: Number(est.value) || 0 })]));
    const tags = h("input", { class: "input tags", value: (o.fields.get("tags") as string[] | undefined)?.join(", ") ?? "", placeholder: "tags", readonly: ro });
    tags.addEventListener("change", () => client.submit([op.update(o.id, { tags: tags.value.split(",").map((t) => t.trim()).filter(Boolean) })]));
    const who = h("input", { class: "input who", value: str(o, "assignee"), placeholder: "assignee", readonly: ro });
    who.addEventListener("change", () => client.submit([op.update(o.id, { assignee: who.value })]));
    const handle = h("span", { class: "handle", "data-testid": "drag-handle", title: "Drag to reorder (or Alt+Up/Down)", hidden: ro }, "⋮⋮");
    handle.addEventListener("pointerdown", (e) => {
      e.preventDefault();
      if (!writable()) return;
      const ghost = h("div", { class: "ghost" }, str(o, "title"));
      document.body.append(ghost);
      ghost.style.top = `${e.clientY}px`;
      dragging = { id: o.id, pointer: e.pointerId, ghost };
      handle.setPointerCapture(e.pointerId);
      el.classList.add("dragging");
    });
    handle.addEventListener("pointermove", (e) => {
      if (dragging?.id === o.id) dragging.ghost.style.top = `${e.clientY}px`;
    });
    handle.addEventListener("pointerup", (e) => {
      if (dragging?.id !== o.id) return;
      dragging.ghost.remove();
      dragging = null;
      // The drop index among the other rows, by the pointer's height.
      const rows = [...body.querySelectorAll<HTMLElement>(".item")].filter((r) => r.dataset.id !== o.id);
      let to = rows.length;
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i].getBoundingClientRect();
        if (e.clientY < r.top + r.height / 2) { to = i; break; }
      }
      moveTo(o.id, to);
      render();
    });
    const source = str(o, "source_board")
      ? h("a", { class: "link", href: `/b/${str(o, "source_board")}`, "data-testid": "item-source" }, "from discovery")
      : null;
    const el = h("div", { class: "item", tabindex: 0, "data-id": o.id, "data-testid": "item" },
      handle, h("span", { class: "rank" }, String(index + 1)), title, status, est, tags, who, source);
    el.addEventListener("keydown", (e) => {
      if (!e.altKey || (e.key !== "ArrowUp" && e.key !== "ArrowDown") || !writable()) return;
      e.preventDefault();
      moveTo(o.id, index + (e.key === "ArrowUp" ? -1 : 1));
      requestAnimationFrame(() => body.querySelector<HTMLElement>(`[data-id="${o.id}"]`)?.focus());
    });
    return el;
  }

  function card(o: Obj, col: number): HTMLElement {
    const cols = v().columns;
    const shift = (d: number) => client.submit([op.update(o.id, { status: cols[col + d] })]);
    const ro = !writable();
    return h("div", { class: "card", "data-testid": "card", "data-id": o.id },
      h("div", {}, str(o, "title")),
      h("div", { class: "card-foot" },
        col > 0 && !ro ? h("button", { class: "button small", onclick: () => shift(-1) }, "←") : null,
        str(o, "source_board") ? h("span", { class: "muted" }, "from discovery") : null,
        col < cols.length - 1 && !ro ? h("button", { class: "button small", "data-testid": "card-next", onclick: () => shift(1) }, "→") : null));
  }

  function render() {
    if (dragging) return; // re-render when the drop is done
    // A row with an edit in progress is kept as it is (not rebuilt under the cursor).
    const active = document.activeElement as HTMLElement | null;
    const editingRow = active && active.tagName !== "DIV" ? active.closest<HTMLElement>(".item") : null;
    addInput.hidden = !writable();
    toolbar.hidden = client.ended;
    readOnlyHint.hidden = writable() || client.ended;
    editCols.hidden = !client.canUpdateBoard;
    listBtn.classList.toggle("active", mode === "list");
    colBtn.classList.toggle("active", mode === "columns");
    const list = items();
    for (const child of [...body.children]) if (child !== editingRow) child.remove();
    editingRow?.remove();
    if (mode === "list") {
      if (list.length === 0) body.append(h("p", { class: "muted" }, writable() ? "No items yet. Add one above, or promote a note from a discovery board." : "No items yet."));
      list.forEach((o, i) => body.append(editingRow?.dataset.id === o.id ? editingRow : row(o, i)));
    } else {
      const cols = v().columns;
      body.append(h("div", { class: "columns" }, ...cols.map((c, ci) =>
        h("section", { class: "column", "data-testid": `column-${c}` }, h("h3", {}, c),
          ...list.filter((o) => (str(o, "status") || cols[0]) === c).map((o) => card(o, ci))))));
    }
  }
  return { render };
}
