// The canvas's view: the pan and zoom of CanvasState seen as the world point at the
// centre and the zoom (what others see, FAC-8), and the moves the page offers on it:
// zoom by a factor around a point (the wheel, a pinch, the zoom control), pan by a
// distance (a scroll), fit a box (docs/ARCHITECTURE.md, "The web client").
import type { Box } from "./geometry";
import type { CanvasState } from "./interaction";

export interface CentredView {
  x: number;
  y: number;
  zoom: number;
}

export const MIN_ZOOM = 0.2;
export const MAX_ZOOM = 3;
export const clampZoom = (z: number) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));
/** One step of the zoom control and of the +/− keys. */
export const ZOOM_STEP = 1.25;

/** Zooms `st` to `zoom`, keeping the world point under canvas point `p` in place. */
export function zoomAround(st: CanvasState, zoom: number, p: { x: number; y: number }): void {
  const wx = (p.x - st.panX) / st.zoom, wy = (p.y - st.panY) / st.zoom;
  st.zoom = clampZoom(zoom);
  st.panX = p.x - wx * st.zoom;
  st.panY = p.y - wy * st.zoom;
}

export class CanvasViewport {
  /** `size`: the canvas's size, kept by its observer (0 before the first layout). */
  constructor(
    private readonly st: CanvasState,
    private readonly size: { width: number; height: number },
  ) {}

  private get w(): number {
    return this.size.width || innerWidth;
  }

  private get h(): number {
    return this.size.height || innerHeight;
  }

  /** The world point at the centre of the view, and the zoom. */
  centre(): CentredView {
    return { x: (this.w / 2 - this.st.panX) / this.st.zoom, y: (this.h / 2 - this.st.panY) / this.st.zoom, zoom: this.st.zoom };
  }

  /** Pans and zooms so that world point (x, y) is at the centre at `zoom`. */
  centreOn(x: number, y: number, zoom: number): void {
    this.st.zoom = clampZoom(zoom);
    this.st.panX = this.w / 2 - x * this.st.zoom;
    this.st.panY = this.h / 2 - y * this.st.zoom;
  }

  /** Sets the zoom, keeping the world point under canvas point (cx, cy) in place (default: the centre). */
  zoomTo(zoom: number, cx = this.w / 2, cy = this.h / 2): void {
    zoomAround(this.st, zoom, { x: cx, y: cy });
  }

  zoomBy(factor: number, cx?: number, cy?: number): void {
    this.zoomTo(this.st.zoom * factor, cx, cy);
  }

  /** Moves the view by (dx, dy) screen pixels: the content moves the other way. */
  panBy(dx: number, dy: number): void {
    this.st.panX -= dx;
    this.st.panY -= dy;
  }

  /** Shows all of `b` with a margin, centred, at 100% at most (a small board is not blown up). */
  fit(b: Box, margin = 32): void {
    const zoom = Math.min(1, (this.w - 2 * margin) / Math.max(1, b.w), (this.h - 2 * margin) / Math.max(1, b.h));
    this.centreOn(b.x + b.w / 2, b.y + b.h / 2, zoom);
  }
}
