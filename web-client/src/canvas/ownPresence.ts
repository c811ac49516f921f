// This client's presence on the canvas, whole: the sync client sends the newest
// presence as a whole message (the newest wins), so a cursor move must not drop the
// viewport others follow (FAC-8) nor the selection. Each part is kept here and every
// send carries all of them.
import type { SyncClient } from "../sync/syncClient";

export interface PresenceParts {
  cursor?: { x: number; y: number };
  /** The world point at the centre of the view, and the zoom (FAC-8: what followers show). */
  viewport?: { x: number; y: number; zoom: number };
  selection?: string[];
  editing?: string;
  /** A drag of canvas objects in progress (PRES-6): the primary object at its drop position; null: none. */
  drag?: { objectId: string; x: number; y: number } | null;
}

export class OwnPresence {
  private parts: PresenceParts = { selection: [] };

  constructor(private readonly client: SyncClient) {}

  set(p: PresenceParts): void {
    this.parts = { ...this.parts, ...p };
    const { cursor, viewport, selection, editing, drag } = this.parts;
    this.client.setPresence({ cursor, viewport, selection: [...(selection ?? [])], editing: editing ?? "", drag: drag ?? undefined });
  }
}
