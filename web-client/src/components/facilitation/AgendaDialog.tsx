// Editing the agenda (FAC-2): add, rename, remove phases, each anonymous or not; Save
// replaces the agenda in one op.
import { useState } from "preact/hooks";
import { op } from "../../sync/ops";
import { Dialog } from "../Dialog";
import type { PhaseView } from "./workshopState";
import type { Workshop } from "./workshop";
import { send, shortId } from "./workshop";

const MAX_PHASES = 50;

export function AgendaDialog({ w, onClose }: { w: Workshop; onClose: () => void }) {
  const [phases, setPhases] = useState<PhaseView[]>(() => w.state.peek().agenda.map((p) => ({ ...p })));
  const change = (i: number, p: Partial<PhaseView>) => setPhases(phases.map((x, j) => (j === i ? { ...x, ...p } : x)));
  const add = () => setPhases([...phases, { id: shortId("p"), name: `Phase ${phases.length + 1}`, anonymous: false }]);
  const save = () => {
    send(w, op.setAgenda(phases.map((p) => ({ ...p, name: p.name.trim() || "Untitled phase" }))));
    onClose();
  };
  return (
    <Dialog title="Agenda" testid="agenda-dialog" onClose={onClose}>
      <p class="muted">The phases of the workshop. In an anonymous phase, new notes show no author until you show names.</p>
      <ol class="agenda-list">
        {phases.map((p, i) => (
          <li key={p.id} class="row" data-testid="agenda-phase">
            <input class="input grow" aria-label={`Name of phase ${i + 1}`} value={p.name} maxLength={200} data-testid="phase-name"
              onInput={(e) => change(i, { name: (e.target as HTMLInputElement).value })} />
            <label class="check"><input type="checkbox" checked={p.anonymous} data-testid="phase-anonymous"
              onChange={(e) => change(i, { anonymous: (e.target as HTMLInputElement).checked })} /> Anonymous</label>
            <button class="button quiet danger" aria-label={`Remove phase ${p.name}`} onClick={() => setPhases(phases.filter((_, j) => j !== i))}>Remove</button>
          </li>
        ))}
      </ol>
      <div class="row">
        <button class="button" data-testid="add-phase" disabled={phases.length >= MAX_PHASES} onClick={add}>+ Phase</button>
        <div class="spacer" />
        <button class="button" onClick={onClose}>Cancel</button>
        <button class="button primary" data-testid="save-agenda" onClick={save}>Save</button>
      </div>
    </Dialog>
  );
}
