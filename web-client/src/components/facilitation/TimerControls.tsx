// The timer in the facilitator bar (FAC-3): start with minutes, pause / resume,
// +1 min, reset.
import { useState } from "preact/hooks";
import { op } from "../../sync/ops";
import type { Workshop } from "./workshop";
import { send } from "./workshop";

export function TimerControls({ w }: { w: Workshop }) {
  const s = w.state.value;
  const [minutes, setMinutes] = useState("5");
  const m = Number(minutes);
  const valid = Number.isFinite(m) && m > 0 && m <= 1440;
  return (
    <div class="fac-group" role="group" aria-label="Timer">
      <input class="input minutes" type="number" min="1" max="1440" step="1" aria-label="Timer minutes" data-testid="timer-minutes"
        value={minutes} onInput={(e) => setMinutes((e.target as HTMLInputElement).value)} />
      <button class="button" data-testid="timer-start" disabled={!valid} onClick={() => send(w, op.timerStart(Math.round(m * 60_000)))}>
        {s.hasTimer ? "Restart" : "Start timer"}
      </button>
      {s.hasTimer && (s.timerRunning
        ? <button class="button" data-testid="timer-pause" onClick={() => send(w, op.timerPause())}>Pause</button>
        : <button class="button" data-testid="timer-resume" onClick={() => send(w, op.timerResume())}>Resume</button>)}
      {s.hasTimer && <button class="button" data-testid="timer-add" aria-label="Add one minute" onClick={() => send(w, op.timerAdd(60_000))}>+1 min</button>}
      {s.hasTimer && <button class="button" data-testid="timer-reset" onClick={() => send(w, op.timerReset())}>Reset</button>}
    </div>
  );
}
