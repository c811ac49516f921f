// The timer for everyone (FAC-3): what is left on the server's clock, ticking here
// from SyncClient.serverNow() (the same on every client), "paused" when paused, a
// gentle highlight at 0. role=timer with a label that says the time in words.
import { useEffect, useState } from "preact/hooks";
import type { Workshop } from "./workshop";

export function clock(ms: number): string {
  const s = Math.ceil(ms / 1000);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const mm = h ? `${h}:${String(m).padStart(2, "0")}` : String(m);
  return `${mm}:${String(sec).padStart(2, "0")}`;
}

export function spoken(ms: number): string {
  const s = Math.ceil(ms / 1000);
  const m = Math.floor(s / 60), sec = s % 60;
  const parts = [m ? `${m} minute${m === 1 ? "" : "s"}` : "", sec || !m ? `${sec} second${sec === 1 ? "" : "s"}` : ""].filter(Boolean);
  return parts.join(" ");
}

export function Countdown({ w }: { w: Workshop }) {
  const s = w.state.value;
  const [ms, setMs] = useState(() => w.client.timerRemaining());
  useEffect(() => {
    const tick = () => setMs(w.client.timerRemaining());
    tick();
    if (!s.timerRunning) return;
    const t = setInterval(tick, 200);
    return () => clearInterval(t);
  }, [s.timerKey]);
  if (!s.hasTimer) return null;
  const done = ms <= 0;
  const paused = !s.timerRunning && !done;
  const label = `Timer: ${done ? "time is up" : `${spoken(ms)} left`}${paused ? ", paused" : ""}`;
  return (
    <span class={"countdown" + (done ? " done" : "") + (paused ? " paused" : "")} role="timer" aria-label={label} data-testid="timer" data-ms={ms}>
      <span class="countdown-time" aria-hidden="true">{clock(ms)}</span>
      {paused && <span class="countdown-state" aria-hidden="true">paused</span>}
      {done && <span class="countdown-state" aria-hidden="true">time's up</span>}
    </span>
  );
}
