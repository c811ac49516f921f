// What the others have selected (Presence.selection, protocol/sync.proto): an outline
// in the member's colour around each object, with their name on it (and as a tooltip).
// Keyed by peer and object; a presence change touches only that peer's outlines, an
// object change only the outlines around that object.
import type { SyncClient } from "../sync/syncClient";
import { h, userColor } from "../ui/dom";
import { box, isCanvas } from "./geometry";

export class PeerSelections {
  readonly el = h("div", { class: "peer-selections" });
  private readonly byPeer = new Map<string, Map<string, HTMLElement>>();

  constructor(private readonly client: SyncClient) {}

  /** `peers` undefined: every peer. */
  update(peers?: Iterable<string>): void {
    const todo = peers ? new Set(peers) : new Set([...this.client.peers.keys(), ...this.byPeer.keys()]);
    for (const id of todo) this.peer(id);
  }

  /** Objects changed (moved, resized, deleted): the outlines around them follow. */
  objectsChanged(ids: ReadonlySet<string>): void {
    const hit = [...this.client.peers].filter(([, p]) => p.presence?.selection.some((id) => ids.has(id))).map(([c]) => c);
    if (hit.length) this.update(hit);
  }

  private peer(peerId: string): void {
    const p = this.client.peers.get(peerId);
    const v = this.client.view;
    const want = new Set((p?.presence?.selection ?? []).filter((id) => { const o = v.live(id); return !!o && isCanvas(o); }));
    let outlines = this.byPeer.get(peerId);
    for (const [id, el] of outlines ?? []) if (!want.has(id)) { el.remove(); outlines!.delete(id); }
    if (!p || !want.size) {
      this.byPeer.delete(peerId);
      return;
    }
    if (!outlines) this.byPeer.set(peerId, (outlines = new Map()));
    const name = p.member.userName;
    const color = p.member.color || userColor(name);
    for (const id of want) {
      let el = outlines.get(id);
      if (!el) {
        el = h("div", { class: "peer-sel", "data-testid": "peer-selection", "data-for": id }, h("span", {}));
        outlines.set(id, el);
        this.el.append(el);
      }
      const b = box(v.live(id)!);
      Object.assign(el.style, { left: `${b.x}px`, top: `${b.y}px`, width: `${b.w}px`, height: `${b.h}px` });
      el.style.setProperty("--c", color);
      const label = el.firstChild as HTMLElement;
      if (label.textContent !== name) label.textContent = name;
      label.title = `Selected by ${name}`;
    }
  }
}
