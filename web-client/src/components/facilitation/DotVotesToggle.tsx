// Plain dot votes outside a voting session, on or off (SetOptions, FAC-6).
import { op } from "../../sync/ops";
import type { Workshop } from "./workshop";
import { send } from "./workshop";

export function DotVotesToggle({ w }: { w: Workshop }) {
  const on = w.state.value.dotVotes;
  return (
    <button class={"button" + (on ? " active" : "")} aria-pressed={on} data-testid="dot-votes"
      onClick={() => send(w, op.setOptions({ dotVotes: !on }))}>Dot votes</button>
  );
}
