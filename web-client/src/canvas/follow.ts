// Following someone's view (FAC-8): the canvas shows what the followed client's
// presence viewport shows (its centre and zoom), moved whenever that presence changes.
// Who is followed is the page's choice (components/facilitation/followState.ts).
import type { SyncClient } from "../sync/syncClient";
import { clampZoom } from "./viewport";

export interface ViewSetter {
  /** Centres the view on world point (x, y) at `zoom`. */
  setView(x: number, y: number, zoom: number): void;
}

export class FollowViewport {
  private shown = "";

  constructor(
    private readonly client: SyncClient,
    private readonly target: () => string | null,
    private readonly view: ViewSetter,
  ) {}

  /** `presence`: the client ids whose presence changed (undefined: any). */
  update(presence?: ReadonlySet<string>): void {
    const id = this.target();
    if (!id) {
      this.shown = "";
      return;
    }
    if (presence && !presence.has(id) && this.shown.startsWith(id + "|")) return;
    const vp = this.client.peers.get(id)?.presence?.viewport;
    if (!vp || !(vp.zoom > 0)) return;
    const key = `${id}|${vp.x}|${vp.y}|${vp.zoom}`;
    if (key === this.shown) return;
    this.shown = key;
    this.view.setView(vp.x, vp.y, clampZoom(vp.zoom));
  }
}
