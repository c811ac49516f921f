// Facilitation (SPEC FAC-*): the workshop state of a board (board.proto `Facilitation`)
// and how the replica applies the facilitation ops and the derived ops to it, as the
// server's model does (server/model/facilitation.cpp). The replica does not validate:
// the server accepted what it applies, and it may not see everything (VIS-*), so every
// function here takes what it gets (missing ops, no author, no member id) and never throws.
import { clone, create, toBinary } from "@bufbuild/protobuf";
import type { Facilitation, Op, PrivateCount, ReadyMember, Timer, Turnout, VotingResult } from "../gen/board_pb";
import { FacilitationSchema, PrivateAudience, ReadyMemberSchema, TimerAction, TimerSchema, VotingSessionSchema } from "../gen/board_pb";

export type { Facilitation };

/** The op kinds that read or write the facilitation state (not objects): FrameChanges.facilitation. */
export function isFacilitationOp(op: Op): boolean {
  switch (op.kind.case) {
    case "setAgenda":
    case "setPhase":
    case "timer":
    case "setReady":
    case "setPrivateWriting":
    case "showNames":
    case "openVoting":
    case "closeVoting":
    case "setFollow":
    case "setOptions":
    case "privateCount":
    case "turnout":
    case "votingResult":
      return true;
    case "setLock":
      return op.kind.value.id === "";
    default:
      return false;
  }
}

export const emptyFacilitation = (): Facilitation => create(FacilitationSchema);
export const cloneFacilitation = (f: Facilitation): Facilitation => clone(FacilitationSchema, f);
/** True when `f` holds nothing (it serializes to no bytes): snapshots leave it out. */
export const isEmptyFacilitation = (f: Facilitation): boolean => toBinary(FacilitationSchema, f).length === 0;

const byId = <T extends { memberId: string }>(a: T, b: T) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0);

/** Sets (or, at 0 / absent, removes) the entry of `memberId` in a list kept by member id. */
function setEntry<T extends { memberId: string }>(list: T[], entry: T | undefined, memberId: string): T[] {
  const out = list.filter((e) => e.memberId !== memberId);
  if (entry) {
    out.push(entry);
    out.sort(byId);
  }
  return out;
}

export const MAX_TIMER_MS = 24n * 3600n * 1000n;
export const MIN_TIMER_MS = 1000n;

/**
 * The timer's arithmetic on the server's clock (FAC-3, facilitation.cpp fac::timer);
 * `now` is the change's server_time_ms. undefined: no timer (all zero).
 */
export function applyTimer(t: Timer | undefined, action: TimerAction, durationMs: bigint, now: bigint): Timer | undefined {
  const timer = t ? clone(TimerSchema, t) : create(TimerSchema);
  const max0 = (v: bigint) => (v < 0n ? 0n : v);
  switch (action) {
    case TimerAction.START:
      timer.durationMs = durationMs;
      timer.running = true;
      timer.endsAtMs = now + durationMs;
      timer.remainingMs = 0n;
      break;
    case TimerAction.PAUSE:
      if (!timer.running) return t; // no-op
      timer.running = false;
      timer.remainingMs = max0(timer.endsAtMs - now);
      timer.endsAtMs = 0n;
      break;
    case TimerAction.RESUME:
      if (timer.running || timer.durationMs === 0n) return t; // no-op: running, or never started
      timer.running = true;
      timer.endsAtMs = now + timer.remainingMs;
      timer.remainingMs = 0n;
      break;
    case TimerAction.ADD:
      timer.durationMs = max0(timer.durationMs + durationMs);
      if (timer.durationMs > 2n * MAX_TIMER_MS) timer.durationMs = 2n * MAX_TIMER_MS;
      if (timer.running) {
        const left = max0(timer.endsAtMs - now);
        timer.endsAtMs = now + max0(left + durationMs);
      } else {
        timer.remainingMs = max0(timer.remainingMs + durationMs);
      }
      break;
    case TimerAction.RESET:
      timer.running = false;
      timer.endsAtMs = 0n;
      timer.remainingMs = timer.durationMs;
      break;
    default:
      return t;
  }
  return toBinary(TimerSchema, timer).length === 0 ? undefined : timer; // one encoding of "no timer"
}

/** What is left on `t` at server time `serverNowMs`, in ms (never below 0); 0 without a timer. */
export function timerLeft(t: Timer | undefined, serverNowMs: number): number {
  if (!t) return 0;
  if (!t.running) return Math.max(0, Number(t.remainingMs));
  return Math.max(0, Number(t.endsAtMs) - serverNowMs);
}

/** Who sent a change, as the facilitation state names members. */
export interface Sender {
  memberId: string; // SequencedChange.author_id, else the author (old logs, filtered changes)
  name: string;
  clientId: string;
  timeMs: bigint;
}

/**
 * Applies one facilitation op (isFacilitationOp) to `f`, in place. Ops on objects
 * (setLock of an object, revealed, authors) are the board's (board.ts).
 */
export function applyFacilitationOp(f: Facilitation, op: Op, s: Sender): void {
  const k = op.kind;
  switch (k.case) {
    case "setAgenda": {
      f.agenda = k.value.phases.map((p) => ({ ...p }));
      if (f.phaseId !== "" && !f.agenda.some((p) => p.id === f.phaseId)) f.phaseId = "";
      return;
    }
    case "setPhase":
      f.phaseId = k.value.phaseId;
      f.ready = [];
      f.namesShown = false;
      return;
    case "timer":
      f.timer = applyTimer(f.timer, k.value.action, k.value.durationMs, s.timeMs);
      return;
    case "setReady": {
      if (!s.memberId) return; // a filtered change: nobody to mark
      const entry: ReadyMember | undefined = k.value.ready ? create(ReadyMemberSchema, { memberId: s.memberId, name: s.name }) : undefined;
      f.ready = setEntry(f.ready, entry, s.memberId);
      return;
    }
    case "setPrivateWriting":
      f.privateWriting = k.value.on;
      f.privateAudience = k.value.on ? k.value.audience : PrivateAudience.UNSPECIFIED;
      if (!k.value.on) f.privateCounts = []; // revealed: the counts drop to none (FAC-4)
      return;
    case "showNames":
      f.namesShown = k.value.on;
      return;
    case "openVoting":
      f.voting = create(VotingSessionSchema, { settings: { ...k.value, scope: [...k.value.scope] }, openedMs: s.timeMs });
      f.turnout = [];
      return;
    case "closeVoting":
      f.voting = undefined;
      f.turnout = [];
      return;
    case "setLock":
      if (k.value.id === "") f.locked = k.value.locked;
      return;
    case "setFollow":
      f.followClientId = k.value.on ? s.clientId : "";
      f.followName = k.value.on ? s.name : "";
      return;
    case "setOptions":
      if (k.value.dotVotes !== undefined) f.dotVotesOff = !k.value.dotVotes;
      return;
    case "privateCount": {
      const pc: PrivateCount = k.value;
      f.privateCounts = setEntry(f.privateCounts, pc.count > 0 ? { ...pc } : undefined, pc.memberId);
      return;
    }
    case "turnout": {
      const t: Turnout = k.value;
      f.turnout = setEntry(f.turnout, t.used > 0 ? { ...t } : undefined, t.memberId);
      return;
    }
    case "votingResult": {
      const r: VotingResult = k.value;
      f.results = [...f.results, { ...r, tallies: r.tallies.map((t) => ({ ...t, voters: [...t.voters] })) }];
      return;
    }
    default:
      return;
  }
}

/** The current phase, if any. */
export function currentPhase(f: Facilitation) {
  return f.phaseId ? f.agenda.find((p) => p.id === f.phaseId) : undefined;
}
