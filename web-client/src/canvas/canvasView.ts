// The canvas's view as this person left it (docs/ARCHITECTURE.md, "The web client"):
// remembered per board in this browser (localStorage) and restored on the next visit;
// a board opened for the first time here is zoomed to fit its content. Also the zoom
// control's actions and shortcuts (zoomControl.ts).
import type { SyncClient } from "../sync/syncClient";
import { box, boxAround, isCanvas } from "./geometry";
import type { CanvasState } from "./interaction";
import { CanvasViewport, ZOOM_STEP } from "./viewport";
import type { CentredView } from "./viewport";
import { ZoomControl, zoomKey } from "./zoomControl";
import type { ZoomActions } from "./zoomControl";

const storeKey = (boardId: string) => `tandem:view:${boardId}`;
/** How long the view must rest before it is written down. */
const SAVE_AFTER_MS = 250;

export function loadView(boardId: string): CentredView | null {
  try {
    const v = JSON.parse(localStorage.getItem(storeKey(boardId)) ?? "null") as CentredView | null;
    return v && [v.x, v.y, v.zoom].every(Number.isFinite) && v.zoom > 0 ? v : null;
  } catch {
    return null; // storage refused or garbled: the view starts fresh
  }
}

export function saveView(boardId: string, v: CentredView): void {
  try {
    localStorage.setItem(storeKey(boardId), JSON.stringify({ x: Math.round(v.x), y: Math.round(v.y), zoom: Number(v.zoom.toFixed(4)) }));
  } catch {
    /* storage full or refused: the view is simply not remembered */
  }
}

export interface CanvasViewHooks {
  client: SyncClient;
  boardId: string;
  canvas: HTMLElement;
  state: CanvasState;
  /** The canvas's size, kept by its observer. */
  size: { width: number; height: number };
  /** The pan or zoom was set here: show it (transform, presence, culling). */
  apply(): void;
  editorOpen(): boolean;
}

export class CanvasView implements ZoomActions {
  readonly vp: CanvasViewport;
  readonly control: ZoomControl;
  private ready = false;
  private timer = 0;

  constructor(private readonly k: CanvasViewHooks) {
    this.vp = new CanvasViewport(k.state, k.size);
    this.control = new ZoomControl(this);
    k.canvas.append(this.control.el);
    document.addEventListener("keydown", this.onKey);
    addEventListener("pagehide", this.flush);
  }

  zoomIn = () => this.set(() => this.vp.zoomBy(ZOOM_STEP));
  zoomOut = () => this.set(() => this.vp.zoomBy(1 / ZOOM_STEP));
  reset = () => this.set(() => this.vp.zoomTo(1));
  fit = () => this.set(() => this.fitContent());

  /**
   * The view changed (by any path): the percentage shown, and remembered a moment later.
   * `byPerson`: panned or zoomed here, so no first fit replaces it.
   */
  moved(byPerson = false): void {
    if (byPerson) this.ready = true;
    this.control.update(this.k.state.zoom);
    if (!this.ready) return; // the first view is not decided yet: nothing to remember
    clearTimeout(this.timer);
    this.timer = window.setTimeout(this.flush, SAVE_AFTER_MS);
  }

  /**
   * Decides the first view, once: the one remembered for this board, else (once the
   * board is known) everything in view. Called after every render; cheap once decided.
   */
  init(): void {
    if (this.ready) return;
    const k = this.k;
    if (!k.size.width) {
      const r = k.canvas.getBoundingClientRect();
      if (!r.width) return; // not laid out yet
      k.size.width = r.width;
      k.size.height = r.height;
    }
    const saved = loadView(k.boardId);
    if (saved) this.vp.centreOn(saved.x, saved.y, saved.zoom);
    else if (k.client.status === "online") this.fitContent();
    else return; // the board's content is not known before the welcome
    this.ready = true;
    k.apply();
    this.moved();
  }

  destroy(): void {
    this.flush();
    document.removeEventListener("keydown", this.onKey);
    removeEventListener("pagehide", this.flush);
  }

  private set(change: () => void): void {
    change();
    this.ready = true; // chosen by the person: never replaced by a first fit
    this.k.apply();
    this.moved();
  }

  private fitContent(): void {
    const all = [...this.k.client.view.objects.values()].filter((o) => !o.deleted && isCanvas(o)).map(box);
    const b = boxAround(all);
    if (b) this.vp.fit(b);
    else this.vp.centreOn((this.k.size.width / 2 || 0) - 40, (this.k.size.height / 2 || 0) - 40, 1); // empty: the origin near the top left
  }

  private readonly flush = () => {
    clearTimeout(this.timer);
    this.timer = 0;
    if (this.ready) saveView(this.k.boardId, this.vp.centre());
  };

  private readonly onKey = (e: KeyboardEvent) => {
    zoomKey(e, this, this.k.editorOpen());
  };
}
