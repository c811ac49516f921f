// The discovery board: a pan-and-zoom canvas of notes, groups, experiment cards and
// connectors, with votes, comments, live cursors and multi-select. Read-only for
// viewers (ROLE-2): they pan, zoom, select and read comments; nothing else.
//
// This is the mount: it wires the parts of src/canvas/ (scene, culling, interaction,
// cursors, side panel, toolbar, commands, editing, the view and its zoom control, where
// new notes go) and routes each FrameChanges to the parts it concerns: objects to the
// scene (and what depends on them), presence to the cursors layer, status to the
// toolbar. No change (undefined): everything.
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
import { MENU_TYPES, attachContextMenu, objectItems } from "../canvas/contextMenu";
import { Toolbar } from "../canvas/toolbar";
import { FollowViewport } from "../canvas/follow";
import type { MarkContext } from "../canvas/marks";
import { contextKey, markContext } from "../canvas/marks";
import { OwnPresence } from "../canvas/ownPresence";
import { CanvasView } from "../canvas/canvasView";
import { freeSpot } from "../canvas/placement";
import { NOTE_H, NOTE_W } from "../canvas/geometry";
import { h } from "./dom";

export { promoteTargets };

/** What the page around the canvas gives it (the workshop: components/facilitation/). */
export interface DiscoveryOptions {
  /** The client whose view this canvas follows (FAC-8), or null. */
  followTarget?: () => string | null;
  /** The selection changed (the facilitator bar locks it or votes on it). */
  selectionChanged?: (ids: readonly string[]) => void;
}

export interface DiscoveryView {
  render(changes?: FrameChanges): void;
  /** The side panel's workshop part (voting, results), rendered by the page. */
  readonly workshopHost: HTMLElement;
  /** The world point at the centre of the view and the zoom. */
  viewport(): { x: number; y: number; zoom: number };
  /** Centres the view on world point (x, y) at `zoom`. */
  setView(x: number, y: number, zoom: number): void;
  /** Who is followed changed: move to them now. */
  refollow(): void;
  /** Removes the canvas and every handler it installed outside it. */
  destroy(): void;
}

export function mountDiscovery(root: HTMLElement, client: SyncClient, boardId: string, opts: DiscoveryOptions = {}): DiscoveryView {
  const st: CanvasState = { panX: 40, panY: 40, zoom: 1, selected: [], drag: null };
  const pres = new OwnPresence(client);
  const marks: MarkState = { ctx: markContext(client), key: "", writable: null };
  marks.key = contextKey(marks.ctx);
  let shownSelection = "";
  let rendering = false;
  let missed = false;
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
  // A locked board (FAC-7) is read-only but for facilitators; a locked object, for its element.
  const writable = () => client.canWrite && (client.canFacilitate || !client.view.boardLocked);
  const canChange = (id: string) => client.canFacilitate || !client.view.lockedFor(id);
  const v = () => client.view;
  const dragging = () => (st.drag && st.drag.kind !== "pan" ? st.drag.ids : []);

  const lastKey = () => lastCanvasKey(v());
  const center = () => {
    const r = canvas.getBoundingClientRect();
    return toWorld(canvas, st, r.left + r.width / 2, r.top + r.height / 2);
  };

  const scene: Scene = new Scene(links, client, () => ({
    selected: st.selected,
    editing: editing.editingId,
    dragging: dragging(),
    writable: writable(),
    canChange,
    marks: marks.ctx,
    viewport: { panX: st.panX, panY: st.panY, zoom: st.zoom, width: size.width || innerWidth, height: size.height || innerHeight },
  }));
  const editing: Editing = new Editing({
    client, boardId, world, selected: st.selected, els: scene.els, dragging, lastKey, canChange,
    presence: (p) => pres.set(p),
    rendering: () => rendering,
    render: () => render(),
  });
  const commands = makeCommands({ client, boardId, selected: st.selected, center, lastKey, canChange, backlogChoice: () => toolbar.backlogChoice.value });
  // A new note goes where there is room (canvas/placement.ts): "+ Note" in the lane at the
  // view's centre, a double-click or N as near the pointer as it fits.
  const noteAt = (at: { x: number; y: number }, nearest: boolean) => {
    const spot = freeSpot(v(), at, nearest);
    editing.addNote({ x: spot.x + NOTE_W / 2, y: spot.y + NOTE_H / 2 });
  };
  const toolbar = new Toolbar({ ...commands, addNote: () => noteAt(center(), false) });
  root.append(toolbar.el, h("div", { class: "discovery" }, canvas, side.el));

  const select = (id: string, add: boolean) => {
    if (!add) st.selected.length = 0;
    const i = st.selected.indexOf(id);
    if (add && i >= 0) st.selected.splice(i, 1);
    else if (i < 0) st.selected.push(id);
    pres.set({ selection: [...st.selected] });
    render();
  };
  const applyTransform = () => {
    world.style.transform = `translate(${st.panX}px, ${st.panY}px) scale(${st.zoom})`;
  };
  /** The view was set here (not by a gesture): shown, told to followers (FAC-8), culled now. */
  const applyView = () => {
    applyTransform();
    pres.set({ viewport: viewport() });
    scene.cull();
  };
  // The zoom control, the view remembered per board, the first fit (canvas/canvasView.ts).
  const canvasView: CanvasView = new CanvasView({
    client, boardId, canvas, state: st, size, editorOpen: () => editing.editor.isOpen, apply: applyView,
  });
  const centred = canvasView.vp;
  const viewport = () => centred.centre();
  const detach = attachInteraction({
    client, canvas, state: st, els: scene.els, writable, canChange, select,
    presence: (p) => pres.set(p),
    selectionChanged: () => render(),
    viewportChanged: () => {
      applyTransform();
      canvasView.moved(true);
      pres.set({ viewport: viewport() }); // what followers show (FAC-8)
      // Culling follows the view, at most once a frame.
      if (!cullFrame) cullFrame = requestAnimationFrame(() => {
        cullFrame = 0;
        scene.cull();
      });
    },
    dragChanged: () => render(),
    startEdit: (id) => editing.startEdit(id),
    addNote: (at) => noteAt(at, true),
    removeSelected: () => commands.removeSelected(),
    editorOpen: () => editing.editor.isOpen,
    lastKey,
  });

  // Right-click, or a long press on a touch screen: the object's menu (canvas/contextMenu.ts).
  const detachMenu = attachContextMenu({
    canvas,
    objectOf: (t) => {
      const id = (t.closest?.("[data-id]") as HTMLElement | null)?.dataset.id;
      const o = id ? v().live(id) : undefined;
      return o && MENU_TYPES.has(o.type) ? o.id : null;
    },
    select: (id) => select(id, false),
    items: (id) => objectItems({
      canEdit: writable() && canChange(id),
      canVote: writable(),
      canDelete: writable() && canChange(id),
      edit: () => editing.startEdit(id),
      comment: () => (side.el.querySelector("[data-testid=comment-input]") as HTMLInputElement | null)?.focus(),
      vote: () => commands.vote(),
      remove: () => commands.removeSelected(),
    }),
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
    canvasView.init(); // the first view, once the board is known
    const sel = st.selected.join(",");
    if (sel !== shownSelection) {
      shownSelection = sel;
      opts.selectionChanged?.([...st.selected]);
    }
  }

  function renderNow(changes: FrameChanges) {
    routeChanges({ client, boardId, st, marks, scene, cursors, follow, pres, editing, side, toolbar, world, writable, viewport }, changes);
  }

  const setView = (x: number, y: number, zoom: number) => {
    centred.centreOn(x, y, zoom);
    applyView();
    canvasView.moved();
  };
  const follow = new FollowViewport(client, opts.followTarget ?? (() => null), { setView });

  applyTransform();
  const view: DiscoveryView = {
    render,
    workshopHost: side.workshop,
    viewport,
    setView,
    refollow: () => follow.update(),
    destroy() {
      detach();
      detachMenu();
      canvasView.destroy();
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

/** The order key after every object of the canvas. */
function lastCanvasKey(view: SyncClient["view"]): string {
  let last: string | null = null, lastId = "";
  for (const o of view.objects.values()) {
    if (o.deleted || !isCanvas(o)) continue;
    const k = String(o.fields.get("order") ?? "a0");
    if (last === null || compareOrder(k, o.id, last, lastId) > 0) [last, lastId] = [k, o.id];
  }
  return keyBetween(last || null, null) ?? "a0";
}

/** The workshop marks last rendered, and whether the board was writable then. */
interface MarkState {
  ctx: MarkContext;
  key: string;
  writable: boolean | null;
}

interface Parts {
  client: SyncClient;
  boardId: string;
  st: CanvasState;
  marks: MarkState;
  scene: Scene;
  cursors: CursorsLayer;
  follow: FollowViewport;
  pres: OwnPresence;
  editing: Editing;
  side: SidePanel;
  toolbar: Toolbar;
  world: HTMLElement;
  writable: () => boolean;
  viewport: () => { x: number; y: number; zoom: number };
}

/** Routes one frame's changes to the parts they concern (the file header says which). */
function routeChanges(p: Parts, changes: FrameChanges): void {
  const { client, st, marks, scene } = p;
  const w = p.writable();
  if (changes.all || changes.facilitation || changes.objects.size || changes.status) marks.ctx = markContext(client);
  const key = contextKey(marks.ctx);
  // What may be done, or the workshop's marks (names shown, the session, my votes left), changed: every element.
  const all = changes.all || w !== marks.writable || key !== marks.key;
  marks.writable = w;
  marks.key = key;
  if (all) scene.full();
  else if (changes.objects.size) scene.changed(changes.objects);
  if (all || changes.presence.size) p.cursors.update(all ? undefined : changes.presence);
  if (!all && changes.objects.size) p.cursors.objectsChanged(changes.objects); // others' selection outlines follow their objects
  if (all || changes.presence.size) p.follow.update(all ? undefined : changes.presence);
  if (changes.all) p.pres.set({ viewport: p.viewport() }); // joined (again): followers learn where this view is
  if (all || changes.objects.size) {
    for (let i = st.selected.length - 1; i >= 0; i--) if (!client.view.live(st.selected[i])) st.selected.splice(i, 1);
  }
  if (!all && changes.objects.size) scene.marks();
  if (p.world.lastElementChild !== p.cursors.el && p.cursors.el.nextSibling) p.world.append(p.cursors.el);
  if (all || changes.objects.size || changes.presence.size || changes.status) p.editing.sync();
  if (all || p.side.concerns(changes.objects, st.selected)) p.side.render(st.selected, w);
  if (all || changes.status || changes.settings || changes.facilitation)
    p.toolbar.update({
      writable: w, locked: client.canWrite && !w, dotVotes: client.view.dotVotes && !client.view.votingSession,
      ended: client.ended, stopped: client.stopped, backlogs: promoteTargets(p.boardId),
    });
}
