// FrameChanges: what one update of the sync client changed, so views touch only that
// (the contract between src/sync/syncClient.ts and the views in src/ui/).
//
// A listener of SyncClient.subscribe() gets one per emit. `all` means "assume
// everything changed" (the first welcome, a snapshot, a reset, a rollback the client
// could not narrow down); views then do a full pass. Otherwise only the listed parts
// changed: object ids whose view state (confirmed + pending) was added, updated or
// removed; whether board settings (title, columns) changed; the client ids whose
// presence changed; whether status, role, pending count or the last error changed;
// whether the facilitation state (BoardModel.facilitation: phase, timer, readiness,
// private counts, voting, results, board lock, follow, names shown) changed.
export interface FrameChanges {
  all: boolean;
  objects: ReadonlySet<string>;
  settings: boolean;
  presence: ReadonlySet<string>;
  status: boolean;
  /** The facilitation state changed (re-read BoardModel.facilitation and its readers). Absent: false. */
  facilitation?: boolean;
}

export const EVERYTHING: FrameChanges = {
  all: true,
  objects: new Set(),
  settings: true,
  presence: new Set(),
  status: true,
  facilitation: true,
};
