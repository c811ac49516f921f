// The agenda in the facilitator bar: pick the current phase, go to the next one, edit
// the phases (AgendaDialog).
import { op } from "../../sync/ops";
import { openDialog } from "../../ui/dialog";
import { AgendaDialog } from "./AgendaDialog";
import type { Workshop } from "./workshop";
import { send } from "./workshop";

export function AgendaControls({ w }: { w: Workshop }) {
  const s = w.state.value;
  const at = s.phase ? s.agenda.findIndex((p) => p.id === s.phase!.id) : -1;
  const next = s.agenda[at + 1];
  const edit = () => openDialog((close) => <AgendaDialog w={w} onClose={close} />);
  return (
    <div class="fac-group" role="group" aria-label="Agenda">
      {s.agenda.length > 0 && (
        <select class="input" aria-label="Current phase" data-testid="phase-select" value={s.phase?.id ?? ""}
          onChange={(e) => send(w, op.setPhase((e.target as HTMLSelectElement).value))}>
          <option value="">No phase</option>
          {s.agenda.map((p) => <option key={p.id} value={p.id}>{p.name}{p.anonymous ? " (anonymous)" : ""}</option>)}
        </select>
      )}
      {next && <button class="button" data-testid="next-phase" aria-label={`Next phase: ${next.name}`} onClick={() => send(w, op.setPhase(next.id))}>Next ›</button>}
      <button class="button" data-testid="edit-agenda" onClick={edit}>{s.agenda.length ? "Agenda…" : "Plan agenda…"}</button>
    </div>
  );
}
