// The discovery board: a pan-and-zoom canvas of notes, groups, experiment cards and
// connectors, with votes, comments, live cursors and multi-select. Read-only for
// viewers (ROLE-2): they pan, zoom, select and read comments; nothing else.
//
// This is the mount: it wires the parts of src/canvas/ (scene, culling, interaction,
// cursors, side panel, toolbar, commands, editing) and routes each FrameChanges to
// the parts it concerns: objects to the scene (and what depends on them), presence
// to the cursors layer, status to the toolbar. No change (undefined): everything.
import { EVERYTHING } from "../sync/frameChanges";
import type { FrameChanges } from "../sync/frameChanges";
import { compareOrder, keyBetween } from "../sync/orderKey";
import type { SyncClient } from "../sync/syncClient";
import { makeCommands, promoteTargets } from "../canvas/commands";
import { CursorsLayer } from "../canvas/cursors";
import { Editing } from "../canvas/editing";
import { isCanvas } from "../canvas/geometry";
import type { CanvasState } from "../canvas/interaction";
import { attachInteraction, toWorld } from "../canvas/interaction";
import { Scene } from "../canvas/scene";
import { SidePanel } from "../canvas/side";
import { Toolbar } from "../canvas/toolbar";
import { h } from "./dom";

export { promoteTargets };

export interface DiscoveryView {
  render(changes?: FrameChanges): void;
  /** Removes the canvas and every handler it installed outside it. */
  destroy(): void;
}

export function mountDiscovery(root: HTMLElement, client: SyncClient, boardId: string): DiscoveryView {
  const st: CanvasState = { panX: 40, panY: 40, zoom: 1, selected: [], drag: null };
  let rendering = false;
  let missed = false;
  let lastWritable: boolean | null = null;
  let cullFrame = 0;

  const world = h("div", { class: "world", "data-testid": "world" });
  const links = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  links.classList.add("links");
  const cursors = new CursorsLayer(client);
  const canvas = h("div", { class: "canvas", "data-testid": "canvas" }, world);
  world.append(links, cursors.el);
  const side = new SidePanel(client);
  // The canvas's size, kept by an observer: a render never forces a layout to read it.
  const size = { width: 0, height: 0 };
  const resized = new ResizeObserver(([e]) => {
    size.width = e.contentRect.width;
    size.height = e.contentRect.height;
    scene.cull();
  });
  resized.observe(canvas);
  const writable = () => client.canWrite;
  const v = () => client.view;
  const dragging = () => (st.drag && st.drag.kind !== "pan" ? st.drag.ids : []);

  /** The order key after every object of the canvas. */
  const lastKey = () => {
    let last: string | null = null, lastId = "";
    for (const o of v().objects.values()) {
      if (o.deleted || !isCanvas(o)) continue;
      const k = String(o.fields.get("order") ?? "a0");
      if (last === null || compareOrder(k, o.id, last, lastId) > 0) [last, lastId] = [k, o.id];
    }
    return keyBetween(last || null, null) ?? "a0";
  };
  const center = () => {
    const r = canvas.getBoundingClientRect();
    return toWorld(canvas, st, r.left + r.width / 2, r.top + r.height / 2);
  };

  const scene: Scene = new Scene(links, client, () => ({
    selected: st.selected,
    editing: editing.editingId,
    dragging: dragging(),
    writable: writable(),
    viewport: { panX: st.panX, panY: st.panY, zoom: st.zoom, width: size.width || innerWidth, height: size.height || innerHeight },
  }));
  const editing: Editing = new Editing({
    client, boardId, world, selected: st.selected, els: scene.els, dragging, lastKey,
    rendering: () => rendering,
    render: () => render(),
  });
  const commands = makeCommands({ client, boardId, selected: st.selected, center, lastKey, backlogChoice: () => toolbar.backlogChoice.value });
  const toolbar = new Toolbar({ ...commands, addNote: () => editing.addNote(center()) });
  root.append(toolbar.el, h("div", { class: "discovery" }, canvas, side.el));

  const select = (id: string, add: boolean) => {
    if (!add) st.selected.length = 0;
    const i = st.selected.indexOf(id);
    if (add && i >= 0) st.selected.splice(i, 1);
    else if (i < 0) st.selected.push(id);
    client.setPresence({ selection: [...st.selected] });
    render();
  };
  const applyTransform = () => {
    world.style.transform = `translate(${st.panX}px, ${st.panY}px) scale(${st.zoom})`;
  };
  const detach = attachInteraction({
    client, canvas, state: st, els: scene.els, writable, select,
    selectionChanged: () => render(),
    viewportChanged: () => {
      applyTransform();
      // Culling follows the view, at most once a frame.
      if (!cullFrame) cullFrame = requestAnimationFrame(() => {
        cullFrame = 0;
        scene.cull();
      });
    },
    dragChanged: () => render(),
    startEdit: (id) => editing.startEdit(id),
    addNote: (at) => editing.addNote(at),
    removeSelected: () => commands.removeSelected(),
    editorOpen: () => editing.editor.isOpen,
    lastKey,
  });

  function render(changes: FrameChanges = EVERYTHING) {
    if (rendering) {
      missed = true; // a change made while rendering (an editor's blur): a full pass after this one
      return;
    }
    rendering = true;
    try {
      renderNow(changes);
      while (missed) {
        missed = false;
        renderNow(EVERYTHING);
      }
    } finally {
      rendering = false;
    }
    if (editing.restoreDraft()) render();
  }

  function renderNow(changes: FrameChanges) {
    const w = writable();
    const all = changes.all || w !== lastWritable; // what may be done changed: every element
    lastWritable = w;
    if (all) scene.full();
    else if (changes.objects.size) scene.changed(changes.objects);
    if (all || changes.presence.size) cursors.update(all ? undefined : changes.presence);
    if (all || changes.objects.size) {
      for (let i = st.selected.length - 1; i >= 0; i--) if (!v().live(st.selected[i])) st.selected.splice(i, 1);
    }
    if (!all && changes.objects.size) scene.marks();
    if (world.lastElementChild !== cursors.el && cursors.el.nextSibling) world.append(cursors.el);
    if (all || changes.objects.size || changes.presence.size || changes.status) editing.sync();
    if (all || side.concerns(changes.objects, st.selected)) side.render(st.selected, w);
    if (all || changes.status || changes.settings)
      toolbar.update({ writable: w, ended: client.ended, stopped: client.stopped, backlogs: promoteTargets(boardId) });
  }

  applyTransform();
  const view: DiscoveryView = {
    render,
    destroy() {
      detach();
      resized.disconnect();
      editing.unguard();
      editing.editor.cancel();
      if (cullFrame) cancelAnimationFrame(cullFrame);
      toolbar.el.remove();
      canvas.parentElement?.remove();
      if (debug.tandemView === view) delete debug.tandemView;
    },
  };
  debug.tandemView = view; // for tests and debugging, as window.tandem
  return view;
}

const debug = globalThis as { tandemView?: DiscoveryView };
