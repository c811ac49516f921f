// The remote cursors layer: one element per peer, keyed by client id, moved in place.
// A presence change touches only this layer, and of a cursor only what changed.
// Under the cursors, the ghosts of the peers' drags (dragGhosts.ts, PRES-6) and the
// outlines of what they have selected (peerSelections.ts).
import type { SyncClient } from "../sync/syncClient";
import { h, userColor } from "../ui/dom";
import { DragGhosts } from "./dragGhosts";
import { PeerSelections } from "./peerSelections";

export class CursorsLayer {
  readonly el = h("div", { class: "cursors" });
  private readonly byPeer = new Map<string, HTMLElement>();
  private readonly ghosts: DragGhosts;
  private readonly selections: PeerSelections;

  constructor(private readonly client: SyncClient) {
    this.ghosts = new DragGhosts(client);
    this.selections = new PeerSelections(client);
    this.el.append(this.selections.el, this.ghosts.el);
  }

  /** Objects changed: the others' selection outlines around them follow. */
  objectsChanged(ids: ReadonlySet<string>): void {
    this.selections.objectsChanged(ids);
  }

  /** `ids` undefined: every peer. */
  update(ids?: Iterable<string>): void {
    const peers = this.client.peers;
    const todo = ids ? new Set(ids) : new Set([...peers.keys(), ...this.byPeer.keys()]);
    this.ghosts.update(ids ? todo : undefined);
    this.selections.update(ids ? todo : undefined);
    for (const id of todo) {
      const p = peers.get(id);
      const c = p?.presence?.cursor;
      let el = this.byPeer.get(id);
      if (!p || !c) {
        el?.remove();
        this.byPeer.delete(id);
        continue;
      }
      const name = p.member.userName;
      if (!el) {
        el = h("div", { class: "cursor", "data-testid": "cursor" }, h("span", {}, name));
        this.byPeer.set(id, el);
        this.el.append(el);
      }
      // Only what changed is written: a move sets left and top; the colour (a custom
      // property, inherited by the label: its change restyles the subtree) only when new.
      const color = p.member.color || userColor(name);
      const left = `${c.x}px`, top = `${c.y}px`;
      if (el.style.left !== left) el.style.left = left;
      if (el.style.top !== top) el.style.top = top;
      if (el.dataset.c !== color) {
        el.dataset.c = color;
        el.style.setProperty("--c", color);
      }
      if (el.firstChild!.textContent !== name) el.firstChild!.textContent = name;
    }
  }
}
