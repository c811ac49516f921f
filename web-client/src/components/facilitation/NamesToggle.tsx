// Show or hide the names on what was made in anonymous phases (FAC-5).
import { op } from "../../sync/ops";
import type { Workshop } from "./workshop";
import { send } from "./workshop";

export function NamesToggle({ w }: { w: Workshop }) {
  const s = w.state.value;
  if (!s.phase?.anonymous && !s.namesShown) return null;
  return (
    <button class={"button" + (s.namesShown ? " active" : "")} aria-pressed={s.namesShown} data-testid="show-names"
      onClick={() => send(w, op.showNames(!s.namesShown))}>Show names</button>
  );
}
