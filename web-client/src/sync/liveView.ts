// LiveView: the board as this user sees it, the confirmed board with the pending changes
// on top (so their own pending value of a field stays when another's change to it comes,
// and a rejected change just disappears), kept incrementally by overlay.ts; and the
// listeners told what each update changed (frameChanges.ts).
import type { BoardModel } from "./board";
import type { Changes } from "./changeSet";
import type { FrameChanges } from "./frameChanges";
import type { MetaOf, PendingOps } from "./overlay";
import { ViewOverlay } from "./overlay";

export class LiveView {
  private overlay = new ViewOverlay();
  private listeners = new Set<(changes: FrameChanges) => void>();

  /** `metaOf`: how a pending change is applied to the view (Outbox.metaOf). */
  constructor(private readonly metaOf: MetaOf) {}

  get view(): BoardModel {
    return this.overlay.view;
  }

  subscribe(fn: (changes: FrameChanges) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit(changes: FrameChanges): void {
    for (const fn of this.listeners) fn(changes);
  }

  /** The whole view again (a welcome, a snapshot, a reset): costs the board's size. */
  rebuild(confirmed: BoardModel, pending: readonly PendingOps[]): void {
    this.overlay.full(confirmed, pending, this.metaOf);
  }

  /** After a frame: recomputes what `fc` says it touched (everything when `fc.all`). */
  refresh(confirmed: BoardModel, pending: readonly PendingOps[], fc: Changes): void {
    if (fc.all) this.rebuild(confirmed, pending);
    else if (fc.objects.size || fc.settings || fc.facilitation)
      this.overlay.refresh(confirmed, pending, this.metaOf, fc.objects, fc.facilitation === true);
  }

  /** A new pending change, made here: on top of the view. */
  applyOnTop(confirmed: BoardModel, p: PendingOps): void {
    this.overlay.applyOnTop(confirmed, p, this.metaOf(p));
  }
}
