// The workshop in the header, for everyone: the current phase, the timer, readiness.
import { Countdown } from "./Countdown";
import { ReadyButton } from "./ReadyButton";
import type { Workshop } from "./workshop";

export function WorkshopStatus({ w }: { w: Workshop }) {
  const s = w.state.value;
  if (!s.phase && !s.hasTimer) return null;
  return (
    <div class="workshop-status" role="group" aria-label="Workshop">
      {s.phase && (
        <span class="phase-chip" data-testid="phase" title={s.phase.anonymous ? "Anonymous phase: names are hidden" : "Current phase"}>
          {s.phase.name}{s.phase.anonymous && <span class="anon-tag"> · anonymous</span>}
        </span>
      )}
      <Countdown w={w} />
      <ReadyButton w={w} />
    </div>
  );
}
