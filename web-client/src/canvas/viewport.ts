// The canvas's view as others see it (FAC-8): the world point at its centre and the
// zoom, read from the pan and zoom, and set from another client's presence viewport.
import type { CanvasState } from "./interaction";

export interface CentredView {
  x: number;
  y: number;
  zoom: number;
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
    this.st.zoom = zoom;
    this.st.panX = this.w / 2 - x * zoom;
    this.st.panY = this.h / 2 - y * zoom;
  }
}
