// Locks in the facilitator bar (FAC-7): the whole board, or the selected objects.
import { op } from "../../sync/ops";
import { LockIcon } from "./LockIcon";
import type { Workshop } from "./workshop";
import { send } from "./workshop";

export function LockControls({ w }: { w: Workshop }) {
  const s = w.state.value;
  const v = w.client.view;
  const ids = w.selection.value.filter((id) => v.live(id));
  const allLocked = ids.length > 0 && ids.every((id) => v.isLocked(id));
  const n = ids.length;
  return (
    <div class="fac-group" role="group" aria-label="Locks">
      <button class={"button" + (s.boardLocked ? " active" : "")} aria-pressed={s.boardLocked} data-testid="lock-board"
        onClick={() => send(w, op.lockBoard(!s.boardLocked))}>{s.boardLocked ? <><LockIcon /> Board locked</> : "Lock board"}</button>
      <button class="button" data-testid="lock-selected" disabled={n === 0}
        title={n === 0 ? "Select notes on the canvas to lock them" : undefined}
        onClick={() => send(w, ...ids.map((id) => op.setLock(id, !allLocked)))}>
        {allLocked ? `Unlock ${n === 1 ? "item" : `${n} items`}` : `Lock ${n > 1 ? `${n} items` : "item"}`}
      </button>
    </div>
  );
}
