// History mode's bar (over the board drawn as it was): a named slider through the
// board's log from the oldest point kept to the newest (SPEC EXPORT-*, LOG-3), the time
// of the point in words, one change back and forth, "Back to live", and "Restore as a
// new board from here". The board below is read-only while this bar is up.
import { ChevronLeft, ChevronRight, CopyPlus, History, Radio } from "lucide";
import { useEffect, useRef } from "preact/hooks";
import { Icon } from "../../ui/icon";
import type { HistoryStore } from "./historyStore";
import { timeText } from "./timeText";
import "./history.css";

export interface HistoryBarProps {
  store: HistoryStore;
  onBack: () => void;
  onRestore: (seq: bigint) => void;
  now?: () => number;
}

export function HistoryBar({ store, onBack, onRestore, now = Date.now }: HistoryBarProps) {
  const range = store.range.value;
  const target = store.target.value;
  const shown = store.shown.value;
  const when = shown ? timeText(Number(shown.stateTimeMs), now()) : "";
  const shownSeq = store.shownAt.value;
  const settled = shownSeq !== null && shownSeq === target && !store.loading.value;
  const where = range ? `Change ${target} of ${range.head}` : "Loading the board's history…";
  const slider = useRef<HTMLInputElement>(null);
  useEffect(() => slider.current?.focus(), [range !== null]); // once the range is known: scrub with the arrow keys
  return (
    <section class="history-bar" data-testid="history-bar" aria-label="Board history">
      <div class="history-line">
        <strong class="history-name"><Icon node={History} size={16} /><span>History</span></strong>
        <span class="history-when" data-testid="history-time" aria-live="polite">{when}</span>
        <span class="muted history-where" data-testid="history-where">{where}</span>
        <span class="muted history-state" data-testid="history-state" data-settled={settled ? "1" : "0"}>
          {settled ? "Read-only: this is how the board looked then" : "Loading…"}
        </span>
      </div>
      <div class="history-line">
        <button type="button" class="button icon-only" data-testid="history-earlier" aria-label="One change earlier" title="One change earlier"
          disabled={!range || target <= range.first} onClick={() => store.step(-1)}><Icon node={ChevronLeft} /></button>
        <input ref={slider} type="range" class="history-slider" data-testid="history-slider" aria-label="Point in the board's history"
          min={range ? Number(range.first) : 0} max={range ? Number(range.head) : 0} step={1} value={Number(target)}
          disabled={!range} aria-valuetext={`${where}${when ? `, ${when}` : ""}`}
          onInput={(e) => store.moveTo(BigInt(e.currentTarget.value))} />
        <button type="button" class="button icon-only" data-testid="history-later" aria-label="One change later" title="One change later"
          disabled={!range || target >= range.head} onClick={() => store.step(1)}><Icon node={ChevronRight} /></button>
      </div>
      <div class="history-line history-actions">
        <button type="button" class="button primary" data-testid="history-live" onClick={onBack}><Icon node={Radio} size={16} /><span>Back to live</span></button>
        <button type="button" class="button" data-testid="history-restore" disabled={!settled} onClick={() => shownSeq !== null && onRestore(shownSeq)}>
          <Icon node={CopyPlus} size={16} /><span>Restore as a new board from here</span></button>
      </div>
      <p class="form-error" role="alert" data-testid="history-problem" hidden={!store.problem.value}>{store.problem.value ?? ""}</p>
    </section>
  );
}
