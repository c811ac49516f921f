// The history mode's state: the range of the log a slider may reach (first_seq ..
// head_seq, SPEC EXPORT-*), the point asked for, and the board as it was at the newest
// answer. Moving the slider asks again after a pause (debounced); an answer to an older
// question is dropped, so the newest question wins whatever order answers arrive in.
import type { Signal } from "@preact/signals";
import { signal } from "@preact/signals";
import type { BoardExport } from "../../gen/board_pb";

/** Asks the server for the board at `seq` (the newest when undefined). */
export type HistoryLoad = (seq: bigint | undefined, abort: AbortSignal) => Promise<BoardExport>;

export const HISTORY_DEBOUNCE_MS = 200; // a slider dragged across sends one question, not one per step

export interface HistoryRange {
  first: bigint;
  head: bigint;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(t: unknown): void;
}

const browserTimers: Timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (t) => clearTimeout(t as number) };

export class HistoryStore {
  /** In history mode (the live board is put away). */
  readonly open: Signal<boolean> = signal(false);
  /** The point the slider is at. */
  readonly target: Signal<bigint> = signal(0n);
  /** What the slider may reach, from the newest answer; null until the first. */
  readonly range: Signal<HistoryRange | null> = signal(null);
  /** The board at the point of the newest answer. */
  readonly shown: Signal<BoardExport | null> = signal(null);
  /** The point `shown` was asked for. */
  readonly shownAt: Signal<bigint | null> = signal(null);
  /** A question is on its way (or waits for the slider to rest). */
  readonly loading: Signal<boolean> = signal(false);
  /** Why the last question failed, in plain words; null when it did not. */
  readonly problem: Signal<string | null> = signal(null);

  private asked = 0; // the number of the newest question: answers to older ones are dropped
  private timer: unknown = null;
  private abort: AbortController | null = null;

  constructor(
    private readonly load: HistoryLoad,
    private readonly describe: (e: unknown) => string,
    private readonly timers: Timers = browserTimers,
    private readonly debounceMs = HISTORY_DEBOUNCE_MS,
  ) {}

  /** Enters history mode at the newest point. */
  enter(): void {
    if (this.open.value) return;
    this.open.value = true;
    this.shown.value = null;
    this.shownAt.value = null;
    this.range.value = null;
    void this.ask(undefined);
  }

  /** Back to live: forgets every question on its way. */
  leave(): void {
    this.cancel();
    this.asked++;
    this.open.value = false;
    this.loading.value = false;
    this.problem.value = null;
    this.shown.value = null;
    this.shownAt.value = null;
  }

  /** The slider moved to `seq`: asked once it rests for the debounce time. */
  moveTo(seq: bigint): void {
    const r = this.range.value;
    if (!this.open.value || !r) return;
    const s = seq < r.first ? r.first : seq > r.head ? r.head : seq;
    this.target.value = s;
    this.loading.value = true;
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = this.timers.set(() => {
      this.timer = null;
      void this.ask(s);
    }, this.debounceMs);
  }

  /**
   * The live board reached `head` (the page's client hears of every change): the slider may
   * go that far. The board shown does not change until the person moves.
   */
  extend(head: bigint): void {
    const r = this.range.peek();
    if (this.open.peek() && r && head > r.head) this.range.value = { first: r.first, head };
  }

  /** One change earlier (-1) or later (+1). */
  step(by: -1 | 1): void {
    this.moveTo(this.target.value + BigInt(by));
  }

  /** The point shown now (the one the newest answer was asked for), or null before the first. */
  get shownSeq(): bigint | null {
    return this.shownAt.value;
  }

  private cancel(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
    this.abort?.abort();
    this.abort = null;
  }

  private async ask(seq: bigint | undefined): Promise<void> {
    const n = ++this.asked;
    this.abort?.abort(); // the older question's answer would be dropped anyway
    const abort = (this.abort = typeof AbortController === "undefined" ? null : new AbortController());
    this.loading.value = true;
    try {
      const x = await this.load(seq, abort?.signal ?? new AbortController().signal);
      if (n !== this.asked) return;
      const seqOf = x.snapshot?.seq ?? x.headSeq;
      const known = this.range.peek()?.head ?? 0n; // extend() may know of a newer head than this answer
      this.range.value = { first: x.firstSeq, head: x.headSeq > known ? x.headSeq : known };
      if (seq === undefined) this.target.value = seqOf;
      this.shownAt.value = seq ?? seqOf;
      this.shown.value = x;
      this.problem.value = null;
    } catch (e) {
      if (n !== this.asked) return;
      if ((e as { name?: string })?.name === "AbortError") return;
      this.problem.value = this.describe(e);
    } finally {
      if (n === this.asked && this.timer === null) this.loading.value = false;
      if (this.abort === abort) this.abort = null;
    }
  }
}
