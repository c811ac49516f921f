// The workshop's marks on a canvas object (FAC-4..7): a lock icon, who may see a
// private object, the author (none while an anonymous object's names are hidden), and
// during a voting session the Vote button with my votes on it (never a count of the
// others': VIS-2). Counts of plain dot votes leave session votes out.
import { ObjectType } from "../gen/board_pb";
import type { BoardModel, Obj } from "../sync/board";
import { LOCKED, PRIVATE_AUTHOR_ONLY, SESSION } from "../sync/board";
import { newId, op } from "../sync/ops";
import type { SyncClient } from "../sync/syncClient";
import { h } from "../ui/dom";
import { icon } from "../ui/icon";
import { CircleDot, MessageSquare } from "lucide";
import { str } from "./geometry";

export interface SessionMarks {
  id: string;
  maxPerObject: number;
  left: number;
  scope: ReadonlySet<string> | null; // null: every note, group and experiment
}

export interface MarkContext {
  memberId: string;
  facilitator: boolean;
  namesShown: boolean;
  /** Private writing is on: after Reveal nothing is private any more (FAC-4). */
  privateOn: boolean;
  session: SessionMarks | null;
}

export function markContext(client: SyncClient): MarkContext {
  const v = client.view;
  const s = v.votingSession;
  return {
    memberId: client.me.memberId,
    facilitator: client.canFacilitate,
    namesShown: v.namesShown,
    privateOn: v.privateWriting,
    session: s && client.canWrite ? {
      id: s.id, maxPerObject: s.maxPerObject, left: client.myVotesLeft() ?? 0, scope: s.scope.length ? new Set(s.scope) : null,
    } : null,
  };
}

/** The context's part every element's look depends on (its key changes: every element is re-checked). */
export function contextKey(c: MarkContext): string {
  return `${c.facilitator}|${c.namesShown}|${c.privateOn}|${c.session ? `${c.session.id}|${c.session.left}` : ""}`;
}

/** Plain dot votes on `id` (session votes are only the voter's own: never counted here). */
export function dotVotes(v: BoardModel, id: string): number {
  return v.votesOf(id).filter((x) => !x.fields.get(SESSION)).length;
}

/** My votes on `id` in the open session. */
export function mySessionVotes(v: BoardModel, id: string, c: MarkContext): Obj[] {
  if (!c.session) return [];
  return v.votesOf(id).filter((x) => x.fields.get(SESSION) === c.session!.id && x.fields.get("voter") === c.memberId);
}

/** What an object's marks show, as a string: part of the scene's key for its element. */
export function marksKey(v: BoardModel, o: Obj, c: MarkContext): string {
  return `${inScope(o, c)}|${mySessionVotes(v, o.id, c).length}`;
}

function inScope(o: Obj, c: MarkContext): boolean {
  if (!c.session || (c.privateOn && o.fields.has("private_to"))) return false;
  if (o.type !== ObjectType.NOTE && o.type !== ObjectType.GROUP && o.type !== ObjectType.EXPERIMENT) return false;
  return !c.session.scope || c.session.scope.has(o.id);
}

/** The author to show: none while an anonymous object's names are hidden ("Anonymous"). */
export function authorLabel(o: Obj, c: MarkContext): string {
  if (o.fields.get("anonymous") === true && !c.namesShown) return "Anonymous";
  return str(o, "author");
}

/** The lock icon and the private tag, if any. */
export function badges(v: BoardModel, o: Obj, c: MarkContext): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (o.fields.get(LOCKED) === true)
    out.push(h("span", { class: "lock-mark", "data-testid": "locked", role: "img", "aria-label": "Locked by the facilitator", title: "Locked by the facilitator" }, lockIcon()));
  const to = v.privateTo(o.id);
  if (c.privateOn && o.fields.has("private_to")) {
    const mine = to === c.memberId;
    const text = !mine ? `Private: ${str(o, "author") || "a participant"}` : o.fields.get(PRIVATE_AUTHOR_ONLY) === true ? "Only you see this" : "You and facilitators";
    out.push(h("span", { class: "private-mark", "data-testid": "private-mark", title: "Private writing: revealed when the facilitator says so" }, text));
  }
  return out;
}

/** The Vote button (and my votes, with a way to take one back) during a session, on objects in its scope. */
export function voteControls(client: SyncClient, o: Obj, c: MarkContext): HTMLElement | null {
  if (!inScope(o, c)) return null;
  const s = c.session!;
  const mine = mySessionVotes(client.view, o.id, c);
  const full = s.left <= 0 || mine.length >= s.maxPerObject;
  const name = str(o, "text") || str(o, "title") || "this item";
  const vote = h("button", {
    class: "button small vote-button", "data-testid": "vote-button", disabled: full,
    "aria-label": `Vote for ${name.slice(0, 60)}`, title: full ? (s.left <= 0 ? "You used all your votes" : `At most ${s.maxPerObject} on one item`) : "Give one vote",
    onclick: () => client.submit([op.addVote(newId(), o.id)]),
  }, "+ Vote");
  const back = mine.length ? h("button", {
    class: "button small quiet", "data-testid": "unvote-button", "aria-label": `Take back a vote from ${name.slice(0, 60)}`,
    onclick: () => client.submit([op.removeVote(mine[mine.length - 1].id)]),
  }, "−") : null;
  const count = mine.length
    ? h("span", { class: "my-votes", "data-testid": "my-votes", title: `${mine.length} of your votes` }, icon(CircleDot, 12), `${mine.length} yours`)
    : null;
  return h("div", { class: "vote-row" }, vote, back, count);
}

/** The counts on an element: dot votes and comments, each an icon and the count (read as "2 votes", "2 comments"). */
export function countBadges(votes: number, comments: number): HTMLElement | null {
  const voteWords = `${votes} vote${votes === 1 ? "" : "s"}`;
  const voteBadge = votes
    ? h("span", { class: "votes count", "data-testid": "votes", title: voteWords }, icon(CircleDot, 12), String(votes), h("span", { class: "sr-text" }, voteWords.slice(String(votes).length)))
    : null;
  const words = `${comments} comment${comments === 1 ? "" : "s"}`;
  const commentBadge = comments
    ? h("span", { class: "comments count", "data-testid": "comments", title: words }, icon(MessageSquare, 12), String(comments), h("span", { class: "sr-text" }, words.slice(String(comments).length)))
    : null;
  return commentBadge && voteBadge ? h("span", { class: "counts" }, commentBadge, voteBadge) : commentBadge ?? voteBadge;
}

/** A note in the keyboard's tab order, named for screen readers by its text and author. */
export function noteAccess(el: HTMLElement, o: Obj, c: MarkContext): void {
  const author = authorLabel(o, c);
  const text = str(o, "text").trim().slice(0, 200) || "Empty";
  el.tabIndex = 0;
  el.setAttribute("role", "group");
  el.setAttribute("aria-roledescription", "note");
  el.setAttribute("aria-label", author ? `${text}, note by ${author}` : `${text}, note`);
}

const SVG = "http://www.w3.org/2000/svg";

/** A padlock drawn in SVG (no emoji font is assumed). */
export function lockIcon(): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 12 14");
  svg.setAttribute("width", "11");
  svg.setAttribute("height", "13");
  svg.setAttribute("aria-hidden", "true");
  const body = document.createElementNS(SVG, "rect");
  for (const [k, v] of Object.entries({ x: "1", y: "6", width: "10", height: "7.5", rx: "1.5", fill: "currentColor" })) body.setAttribute(k, v);
  const shackle = document.createElementNS(SVG, "path");
  for (const [k, v] of Object.entries({ d: "M3.2 6V4.2a2.8 2.8 0 0 1 5.6 0V6", fill: "none", stroke: "currentColor", "stroke-width": "1.6" })) shackle.setAttribute(k, v);
  svg.append(shackle, body);
  return svg;
}
