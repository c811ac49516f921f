// The view's gestures on the canvas (docs/ARCHITECTURE.md, "The web client"): a wheel
// or two-finger scroll pans; Ctrl+wheel (what a trackpad pinch sends) zooms around the
// pointer; on a touch screen, two fingers pinch to zoom and move to pan (one finger on
// the background pans like a mouse drag, interaction.ts).
import type { CanvasState } from "./interaction";
import { zoomAround } from "./viewport";

/** The canvas-relative point of a client point. */
function local(canvas: HTMLElement, x: number, y: number) {
  const r = canvas.getBoundingClientRect();
  return { x: x - r.left, y: y - r.top };
}

/** Applies a wheel event to the view: Ctrl zooms around the pointer, otherwise a pan. */
export function wheelView(canvas: HTMLElement, st: CanvasState, e: WheelEvent): void {
  const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1; // lines, pages
  const dx = e.deltaX * unit, dy = e.deltaY * unit;
  if (e.ctrlKey || e.metaKey) {
    // A pinch sends many small steps, a mouse wheel few large ones: both feel alike.
    const rate = Math.abs(dy) < 40 ? 0.01 : 0.002;
    zoomAround(st, st.zoom * Math.exp(-dy * rate), local(canvas, e.clientX, e.clientY));
    return;
  }
  // Shift turns a mouse wheel sideways (when the browser has not done it already).
  const sideways = e.shiftKey && dx === 0;
  st.panX -= sideways ? dy : dx;
  st.panY -= sideways ? 0 : dy;
}

/**
 * Two touch pointers on the canvas: a pinch. The view follows the fingers: the world
 * point under their midpoint stays under it, the zoom follows their distance.
 */
export class Pinch {
  private readonly touches = new Map<number, { x: number; y: number }>();
  private last: { mid: { x: number; y: number }; dist: number } | null = null;

  constructor(
    private readonly canvas: HTMLElement,
    private readonly st: CanvasState,
  ) {}

  get active(): boolean {
    return this.last !== null;
  }

  /** The selection when the first finger came down: a pinch puts it back (the first finger's press selected). */
  selectionBefore: string[] = [];

  /** A pointer went down; true when it starts a pinch (the caller drops its drag). */
  down(e: PointerEvent, selected: readonly string[]): boolean {
    if (e.pointerType !== "touch") return false;
    if (this.touches.size === 0) this.selectionBefore = [...selected];
    this.touches.set(e.pointerId, local(this.canvas, e.clientX, e.clientY));
    if (this.touches.size !== 2) return this.active;
    this.last = this.measure();
    return true;
  }

  /** A pointer moved; true when it moved the pinch (the view changed). */
  move(e: PointerEvent): boolean {
    if (!this.touches.has(e.pointerId)) return false;
    this.touches.set(e.pointerId, local(this.canvas, e.clientX, e.clientY));
    if (!this.last || this.touches.size < 2) return this.active;
    const now = this.measure();
    const st = this.st;
    st.panX += now.mid.x - this.last.mid.x;
    st.panY += now.mid.y - this.last.mid.y;
    if (this.last.dist > 0) zoomAround(st, (st.zoom * now.dist) / this.last.dist, now.mid);
    this.last = now;
    return true;
  }

  /** A pointer went up or was cancelled; true while it belonged to a pinch. */
  up(e: PointerEvent): boolean {
    const was = this.active;
    this.touches.delete(e.pointerId);
    if (this.touches.size === 0) this.last = null;
    return was;
  }

  private measure() {
    const [a, b] = [...this.touches.values()];
    return { mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, dist: Math.hypot(a.x - b.x, a.y - b.y) };
  }
}
