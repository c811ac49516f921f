// Others' drags on the canvas (PRES-6): a translucent ghost of each object a peer is
// dragging, at the position it would be dropped at, outlined in the dragger's colour
// and named ("moving: Alice"), over the confirmed scene, which a drag never touches.
// Keyed by peer, then object id; a presence change touches only the ghosts of the
// peers it names, and of a ghost only what changed. Culled like the scene: only ghosts
// meeting the rendered area (the scene tells it: renderedArea) are in the DOM. Gone
// when the drag ends (a presence without drag) or the dragger leaves.
import { ObjectType } from "../gen/board_pb";
import type { Obj } from "../sync/board";
import type { SyncClient } from "../sync/syncClient";
import { h, userColor } from "../ui/dom";
import type { Box } from "./geometry";
import { COLORS, box, str } from "./geometry";
import type { Placed } from "./dragPreview";
import { dragMembers, previewBoxes } from "./dragPreview";

interface PeerGhosts {
  /** What `members` was computed from: the primary and the selection. */
  key: string;
  members: string[];
  els: Map<string, HTMLElement>;
}

// The layer of each client's canvas: the scene reaches it by the client it shares.
const layers = new WeakMap<SyncClient, DragGhosts>();

/** The scene's rendered area changed (a full pass, a pan or zoom out of it): the ghosts are culled to it. */
export function renderedArea(client: SyncClient, rect: Box): void {
  layers.get(client)?.setArea(rect);
}

export class DragGhosts {
  readonly el = h("div", { class: "drag-ghosts" });
  private readonly byPeer = new Map<string, PeerGhosts>();
  private area: Box | null = null;

  constructor(private readonly client: SyncClient) {
    layers.set(client, this);
  }

  setArea(rect: Box): void {
    const a = this.area;
    if (a && a.x === rect.x && a.y === rect.y && a.w === rect.w && a.h === rect.h) return;
    this.area = rect;
    if (this.byPeer.size || [...this.client.peers.values()].some((p) => p.presence?.drag)) this.update();
  }

  /** `ids`: the peers whose presence changed; undefined: every peer. */
  update(ids?: Iterable<string>): void {
    const todo = ids ? new Set(ids) : new Set([...this.client.peers.keys(), ...this.byPeer.keys()]);
    for (const id of todo) this.peer(id);
  }

  private peer(clientId: string): void {
    const p = this.client.peers.get(clientId);
    const drag = p?.presence?.drag;
    const v = this.client.view;
    const primary = drag && !drag.orderKey ? v.live(drag.objectId) : undefined; // an order key: a backlog row's drag
    let g = this.byPeer.get(clientId);
    if (!p || !drag || !primary) {
      if (g) for (const el of g.els.values()) el.remove();
      this.byPeer.delete(clientId);
      return;
    }
    if (!g) this.byPeer.set(clientId, (g = { key: "", members: [], els: new Map() }));
    const selection = p.presence!.selection;
    const key = `${drag.objectId}|${selection.join(",")}`;
    if (g.key !== key) {
      g.key = key;
      g.members = dragMembers(v, drag.objectId, selection);
    }
    const members: Placed[] = [];
    for (const id of g.members) {
      const o = v.live(id);
      if (o) members.push({ id, box: box(o) });
    }
    const shown = previewBoxes(members, drag.objectId, box(primary), drag, this.area);
    const want = new Set(shown.map((s) => s.id));
    for (const [id, el] of g.els) if (!want.has(id)) { el.remove(); g.els.delete(id); }
    const name = p.member.userName;
    const color = p.member.color || userColor(name);
    for (const s of shown) {
      let el = g.els.get(s.id);
      if (!el) {
        el = ghost(v.live(s.id)!, clientId, s.id === drag.objectId ? name : "");
        g.els.set(s.id, el);
        this.el.append(el);
      }
      place(el, s.box, color);
    }
  }
}

/** A ghost of `o`: its colour and text; `by` (the dragger's name) on the primary. */
function ghost(o: Obj, clientId: string, by: string): HTMLElement {
  const text = o.type === ObjectType.NOTE ? str(o, "text") : o.type === ObjectType.GROUP ? str(o, "title") : str(o, "hypothesis");
  const el = h("div", { class: `drag-ghost${o.type === ObjectType.GROUP ? " group" : ""}`, "data-testid": "drag-ghost", "data-id": o.id, "data-by": clientId },
    h("div", { class: "drag-ghost-text" }, text),
    by ? h("span", { class: "drag-ghost-by", "data-testid": "drag-ghost-by" }, `moving: ${by}`) : null);
  el.style.background = str(o, "color") || (o.type === ObjectType.NOTE ? COLORS[0] : "");
  return el;
}

/** Writes only what differs. */
function place(el: HTMLElement, b: Box, color: string): void {
  const set = (k: "left" | "top" | "width" | "height", px: number) => {
    const s = `${px}px`;
    if (el.style[k] !== s) el.style[k] = s;
  };
  set("left", b.x);
  set("top", b.y);
  set("width", b.w);
  set("height", b.h);
  if (el.dataset.c !== color) {
    el.dataset.c = color;
    el.style.setProperty("--c", color);
  }
}
