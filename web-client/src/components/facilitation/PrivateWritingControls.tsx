// Private writing in the facilitator bar (FAC-4): on, for the author and facilitators
// or the author alone; off is "Reveal".
import { useState } from "preact/hooks";
import { PrivateAudience } from "../../gen/board_pb";
import { op } from "../../sync/ops";
import type { Workshop } from "./workshop";
import { send } from "./workshop";

export function PrivateWritingControls({ w }: { w: Workshop }) {
  const s = w.state.value;
  const [alone, setAlone] = useState(false);
  if (s.privateWriting) {
    return (
      <div class="fac-group" role="group" aria-label="Private writing">
        <button class="button primary" data-testid="reveal" onClick={() => send(w, op.setPrivateWriting(false))}>Reveal notes</button>
      </div>
    );
  }
  const audience = alone ? PrivateAudience.AUTHOR : PrivateAudience.AUTHOR_AND_FACILITATORS;
  return (
    <div class="fac-group" role="group" aria-label="Private writing">
      <button class="button" data-testid="private-on" onClick={() => send(w, op.setPrivateWriting(true, audience))}>Private writing</button>
      <select class="input" aria-label="Who sees private notes" data-testid="private-audience" value={alone ? "author" : "both"}
        onChange={(e) => setAlone((e.target as HTMLSelectElement).value === "author")}>
        <option value="both">Author and facilitators</option>
        <option value="author">Author alone</option>
      </select>
    </div>
  );
}
