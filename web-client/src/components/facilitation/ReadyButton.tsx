// Readiness in the current phase (FAC-2): participants say they are ready; everyone
// sees "3 of 5 ready"; facilitators see who.
import { Check } from "lucide";
import { op } from "../../sync/ops";
import { Icon } from "../../ui/icon";
import type { Workshop } from "./workshop";
import { send } from "./workshop";

export function ReadyButton({ w }: { w: Workshop }) {
  const s = w.state.value;
  if (!s.phase) return null;
  const total = Math.max(s.present, s.readyNames.length);
  const who = s.facilitator && s.readyNames.length ? `Ready: ${s.readyNames.join(", ")}` : undefined;
  return (
    <span class="ready">
      {s.participant && (
        <button class={"button small" + (s.meReady ? " active" : "")} aria-pressed={s.meReady} data-testid="ready"
          onClick={() => send(w, op.setReady(!s.meReady))}>{s.meReady ? <><Icon node={Check} size={14} /><span>Ready</span></> : "I'm ready"}</button>
      )}
      <span class="ready-count" data-testid="ready-count" title={who} aria-label={who ? `${s.readyNames.length} of ${total} ready. ${who}` : undefined}>
        {s.readyNames.length} of {total} ready
      </span>
      {s.facilitator && s.readyNames.length > 0 && <span class="ready-names" data-testid="ready-names" aria-hidden="true">{s.readyNames.join(", ")}</span>}
    </span>
  );
}
