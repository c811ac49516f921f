// The workshop as the page chrome shows it (SPEC FAC-*): plain values read from the
// sync client, compared before a re-render, fed on frames whose FrameChanges touch the
// facilitation state, presence (who is here) or status (role), and on a local change
// of the selection or of who this page follows.
import type { Signal } from "@preact/signals";
import { signal } from "@preact/signals";
import { PrivateAudience } from "../../gen/board_pb";
import { Role } from "../../gen/sync_pb";
import type { FrameChanges } from "../../sync/frameChanges";
import type { SyncClient } from "../../sync/syncClient";

export interface PhaseView {
  id: string;
  name: string;
  anonymous: boolean;
}

export interface ResultView {
  id: string;
  title: string;
  anonymous: boolean;
  voters: number;
  tallies: { target: string; label: string; count: number; voters: string[] }[];
}

export interface VotingView {
  id: string;
  title: string;
  votesPerPerson: number;
  maxPerObject: number;
  scopeSize: number; // 0: everything votable
  anonymous: boolean;
  left: number;
}

export interface WorkshopState {
  facilitator: boolean;
  participant: boolean; // may edit, not a facilitator: the Ready button is theirs
  agenda: PhaseView[];
  phase: PhaseView | null;
  readyNames: string[];
  meReady: boolean;
  present: number; // participants here (editors), for "3 of 5 ready"
  privateWriting: boolean;
  authorOnly: boolean;
  privateCounts: { name: string; count: number }[];
  namesShown: boolean;
  voting: VotingView | null;
  turnout: { name: string; used: number }[];
  results: ResultView[];
  boardLocked: boolean;
  dotVotes: boolean;
  followingMe: boolean; // this client is the one everyone follows
  timerKey: string; // changes when the timer changes: the countdown re-reads it
  hasTimer: boolean;
  timerRunning: boolean;
}

export function readWorkshop(client: SyncClient): WorkshopState {
  const v = client.view;
  const f = v.facilitation;
  const phase = v.phase;
  const voting = v.votingSession;
  const t = v.timer;
  const label = (id: string) => {
    const o = v.objects.get(id);
    const text = o ? String(o.fields.get("text") ?? o.fields.get("title") ?? o.fields.get("hypothesis") ?? "") : "";
    return o?.deleted ? `${text || id} (deleted)` : text || "(untitled)";
  };
  return {
    facilitator: client.canFacilitate,
    participant: client.canWrite && !client.canFacilitate,
    agenda: v.agenda.map((p) => ({ id: p.id, name: p.name, anonymous: p.anonymous })),
    phase: phase ? { id: phase.id, name: phase.name, anonymous: phase.anonymous } : null,
    readyNames: v.ready.map((r) => r.name || "Someone"),
    meReady: v.isReady(client.me.memberId),
    present: participantsHere(client),
    privateWriting: v.privateWriting,
    authorOnly: f.privateAudience === PrivateAudience.AUTHOR,
    privateCounts: privateCounts(client),
    namesShown: v.namesShown,
    voting: voting ? {
      id: voting.id, title: voting.title, votesPerPerson: voting.votesPerPerson, maxPerObject: voting.maxPerObject,
      scopeSize: voting.scope.length, anonymous: voting.anonymous, left: client.myVotesLeft() ?? 0,
    } : null,
    turnout: v.turnout.map((x) => ({ name: x.name || "Someone", used: x.used })),
    results: v.results.map((r) => ({
      id: r.id, title: r.title, anonymous: r.anonymous, voters: r.voters,
      tallies: r.tallies.map((x) => ({ target: x.target, label: label(x.target), count: x.count, voters: [...x.voters] })),
    })),
    boardLocked: v.boardLocked,
    dotVotes: v.dotVotes,
    followingMe: f.followClientId !== "" && f.followClientId === client.clientId,
    timerKey: t ? `${t.running}|${t.endsAtMs}|${t.remainingMs}|${t.durationMs}` : "",
    hasTimer: !!t && t.durationMs > 0n,
    timerRunning: !!t?.running,
  };
}

/** Live private objects per person (FAC-4), from the server's PrivateCount ops (mine come in my acks, ACK-4). */
function privateCounts(client: SyncClient): { name: string; count: number }[] {
  return client.view.privateCounts.map((c) => ({ name: c.name || "Someone", count: c.count })).sort((a, b) => a.name.localeCompare(b.name));
}

/** Distinct members here who may edit and do not facilitate (this page's member included). */
function participantsHere(client: SyncClient): number {
  const ids = new Set<string>();
  if (client.role === Role.EDITOR) ids.add(client.me.memberId);
  for (const p of client.peers.values()) if (p.member.role === Role.EDITOR) ids.add(p.member.memberId || p.member.clientId);
  return ids.size;
}

export interface WorkshopSignals {
  state: Signal<WorkshopState>;
  update(changes?: FrameChanges): void;
}

export function workshopSignals(client: SyncClient): WorkshopSignals {
  const state = signal(readWorkshop(client));
  let last = JSON.stringify(state.peek());
  return {
    state,
    update(changes) {
      if (changes && !changes.all && !changes.facilitation && !changes.status && changes.presence.size === 0 && !votesTouched(client, changes)) return;
      const next = readWorkshop(client);
      const key = JSON.stringify(next);
      if (key === last) return;
      last = key;
      state.value = next;
    },
  };
}

/** A change of my own session votes (the budget left) or of a result's labels. */
function votesTouched(client: SyncClient, changes: FrameChanges): boolean {
  if (!client.view.votingSession && client.view.results.length === 0) return false;
  return changes.objects.size > 0;
}
