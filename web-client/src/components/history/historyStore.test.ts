// The history store: the slider's questions are debounced while it moves, and only the
// newest question's answer is shown whatever order answers come back in.
import { create } from "@bufbuild/protobuf";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BoardExport } from "../../gen/board_pb";
import { BoardExportSchema } from "../../gen/board_pb";
import { HISTORY_DEBOUNCE_MS, HistoryStore } from "./historyStore";
import { timeText } from "./timeText";

const at = (seq: bigint, head = 20n): BoardExport =>
  create(BoardExportSchema, { snapshot: { seq }, headSeq: head, firstSeq: 1n, stateTimeMs: 1000n + seq });

/** A load whose answers the test releases, in any order. */
function scripted() {
  const asked: { seq: bigint | undefined; resolve: (x: BoardExport) => void; reject: (e: unknown) => void }[] = [];
  const load = (seq: bigint | undefined) => new Promise<BoardExport>((resolve, reject) => asked.push({ seq, resolve, reject }));
  return { asked, load };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

describe("HistoryStore", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("enters at the newest point and knows the range", async () => {
    const { asked, load } = scripted();
    const s = new HistoryStore(load, () => "failed");
    s.enter();
    expect(asked.map((a) => a.seq)).toEqual([undefined]);
    expect(s.loading.value).toBe(true);
    asked[0].resolve(at(20n));
    await flush();
    expect(s.range.value).toEqual({ first: 1n, head: 20n });
    expect(s.target.value).toBe(20n);
    expect(s.shownSeq).toBe(20n);
    expect(s.loading.value).toBe(false);
  });

  it("asks once after the slider rests, for where it rests", async () => {
    const { asked, load } = scripted();
    const s = new HistoryStore(load, () => "failed");
    s.enter();
    asked[0].resolve(at(20n));
    await flush();
    for (const seq of [19n, 15n, 11n, 8n]) {
      s.moveTo(seq);
      await vi.advanceTimersByTimeAsync(HISTORY_DEBOUNCE_MS - 50);
    }
    expect(asked.length).toBe(1); // nothing asked while moving
    expect(s.target.value).toBe(8n);
    await vi.advanceTimersByTimeAsync(50);
    expect(asked.map((a) => a.seq)).toEqual([undefined, 8n]);
    s.moveTo(99n); // past the newest: clamped
    s.step(1);
    expect(s.target.value).toBe(20n);
  });

  it("shows the newest question's answer even when an older one arrives later", async () => {
    const { asked, load } = scripted();
    const s = new HistoryStore(load, () => "failed");
    s.enter();
    asked[0].resolve(at(20n));
    await flush();
    s.moveTo(5n);
    await vi.advanceTimersByTimeAsync(HISTORY_DEBOUNCE_MS);
    s.moveTo(9n);
    await vi.advanceTimersByTimeAsync(HISTORY_DEBOUNCE_MS);
    expect(asked.map((a) => a.seq)).toEqual([undefined, 5n, 9n]);
    asked[2].resolve(at(9n, 22n));
    await flush();
    expect(s.shownSeq).toBe(9n);
    asked[1].resolve(at(5n));
    await flush();
    expect(s.shownSeq).toBe(9n); // the late older answer is dropped
    expect(s.range.value?.head).toBe(22n);
    expect(s.loading.value).toBe(false);
  });

  it("keeps showing the last point when a question fails, and says why", async () => {
    const { asked, load } = scripted();
    const s = new HistoryStore(load, (e) => `could not: ${String(e)}`);
    s.enter();
    asked[0].resolve(at(20n));
    await flush();
    s.step(-1);
    await vi.advanceTimersByTimeAsync(HISTORY_DEBOUNCE_MS);
    asked[1].reject("offline");
    await flush();
    expect(s.problem.value).toBe("could not: offline");
    expect(s.shownSeq).toBe(20n);
  });

  it("forgets everything on the way when leaving", async () => {
    const { asked, load } = scripted();
    const s = new HistoryStore(load, () => "failed");
    s.enter();
    asked[0].resolve(at(20n));
    await flush();
    s.moveTo(3n);
    s.leave();
    await vi.advanceTimersByTimeAsync(HISTORY_DEBOUNCE_MS * 2);
    expect(asked.length).toBe(1);
    expect(s.open.value).toBe(false);
    expect(s.shown.value).toBeNull();
  });
});

describe("timeText", () => {
  const now = new Date(2026, 10, 27, 16, 30).getTime();
  it("says today, yesterday, a date, and the year when it is another", () => {
    expect(timeText(new Date(2026, 10, 27, 14, 3).getTime(), now)).toBe("Today 14:03");
    expect(timeText(new Date(2026, 10, 26, 9, 5).getTime(), now)).toBe("Yesterday 09:05");
    expect(timeText(new Date(2026, 10, 2, 14, 3).getTime(), now)).toBe("2 Nov 14:03");
    expect(timeText(new Date(2025, 0, 31, 23, 59).getTime(), now)).toBe("31 Jan 2025 23:59");
    expect(timeText(0, now)).toBe("");
  });
});

describe("HistoryStore.extend", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("lets the slider reach what arrived live without changing the point shown", async () => {
    const { asked, load } = scripted();
    const s = new HistoryStore(load, () => "failed");
    s.extend(30n); // not open: nothing
    s.enter();
    asked[0].resolve(at(20n));
    await flush();
    s.extend(25n);
    expect(s.range.value).toEqual({ first: 1n, head: 25n });
    expect(s.shownSeq).toBe(20n);
    expect(asked.length).toBe(1); // nothing asked
    s.moveTo(99n);
    expect(s.target.value).toBe(25n);
    await vi.advanceTimersByTimeAsync(HISTORY_DEBOUNCE_MS);
    asked[1].resolve(at(25n, 24n)); // an answer knowing less than extend() did keeps the newer head
    await flush();
    expect(s.range.value?.head).toBe(25n);
  });
});
