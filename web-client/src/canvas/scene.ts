// The scene: one element per canvas object (group, note, experiment), keyed by id,
// created, updated in place and removed, never cleared and rebuilt. Only the objects
// near the viewport are in the DOM (culling.ts), plus those that must stay (the
// selection, the object being edited, what is being dragged). Vote and comment counts
// are read from the board's index per element (targets.ts names the objects a vote or
// comment change concerns); connectors are lines keyed by id, redrawn when an end
// moves, and culled like the elements: only those whose line's bounding box meets the
// rendered area are in the DOM. A connector runs from the edge of its source to the
// edge of its target, where an arrowhead shows its direction; its label, if any, sits
// at the middle (connectorPath.ts).
import { ObjectType } from "../gen/board_pb";
import type { BoardModel, Obj } from "../sync/board";
import { compareOrder } from "../sync/orderKey";
import { op } from "../sync/ops";
import type { SyncClient } from "../sync/syncClient";
import { promoteErrorText } from "../sync/rejectText";
import { clear, h } from "../ui/dom";
import type { Box } from "./geometry";
import { COLORS, box, isCanvas, str } from "./geometry";
import { contains, intersects, lineVisible, visibleRect } from "./culling";
import { renderedArea } from "./dragGhosts";
import { BadgeTargets } from "./targets";
import type { Viewport } from "./culling";
import type { MarkContext } from "./marks";
import { authorLabel, badges, contextKey, countBadges, dotVotes, marksKey, noteAccess, voteControls } from "./marks";
import { ARROW_ID, arrowDefs, connectorPath } from "./connectorPath";
import "./scene.css";

export interface SceneState {
  selected: readonly string[];
  /** The object under the text editor, if any. */
  editing: string | null;
  /** Objects whose element a drag is moving: their position is not written. */
  dragging: readonly string[];
  writable: boolean;
  /** May this page change object `id` now (not locked for it, FAC-7)? */
  canChange(id: string): boolean;
  /** The workshop's marks (lock, private, anonymous, session votes). */
  marks: MarkContext;
  viewport: Viewport;
}

const GEOMETRY = new Set(["x", "y", "width", "height", "order", "color"]);
const SVG = "http://www.w3.org/2000/svg";

export class Scene {
  readonly els = new Map<string, HTMLElement>();
  private readonly keys = new Map<string, string>();
  private readonly badges = new BadgeTargets();
  private readonly lines = new Map<string, SVGLineElement>();
  private readonly ends = new Map<string, [string, string]>();
  private readonly byEnd = new Map<string, Set<string>>();
  private readonly labels = new Map<string, SVGTextElement>();
  private rect: Box | null = null;

  constructor(
    private readonly links: SVGSVGElement,
    private readonly client: SyncClient,
    private readonly state: () => SceneState,
  ) {
    links.append(arrowDefs());
  }

  private get v(): BoardModel {
    return this.client.view;
  }

  /** Everything may have changed: re-read vote and comment targets, place every element and connector. */
  full(): void {
    this.badges.reset(this.v.objects.values());
    for (const id of [...this.ends.keys()]) if (!this.v.live(id)) this.line(id);
    this.place();
    for (const o of this.v.objects.values()) if (o.type === ObjectType.CONNECTOR && !o.deleted) this.line(o.id);
  }

  /** The connector lines in the DOM, by connector id (for tests). */
  get shownLines(): ReadonlyMap<string, SVGLineElement> {
    return this.lines;
  }

  /** Only `ids` changed (added, updated or removed): touches their elements and what depends on them. */
  changed(ids: ReadonlySet<string>): void {
    const affected = new Set<string>();
    const st = this.state();
    const rect = this.rect ?? visibleRect(st.viewport);
    for (const id of ids) {
      const o = this.v.objects.get(id);
      const type = o?.type;
      const targets = this.badges.changed(id, o); // a vote or comment: the objects whose counts it changes
      if (targets.length) for (const t of targets) affected.add(t);
      else if (type === ObjectType.CONNECTOR || (!o && this.ends.has(id))) this.line(id);
      else if (!o || isCanvas(o)) {
        affected.add(id); // deleted: its votes become inert with it (MODEL-7)
        for (const c of this.byEnd.get(id) ?? []) this.line(c);
      }
    }
    let reorder = false;
    for (const id of affected) {
      const o = this.v.live(id);
      const keep = o && isCanvas(o) && (intersects(box(o), rect) || this.kept(id, st));
      const el = this.els.get(id);
      if (!keep) {
        if (el) this.drop(id);
        continue;
      }
      if (!el || el.dataset.order !== this.orderOf(o)) reorder = true;
      this.update(o, st);
    }
    if (reorder) this.arrange();
  }

  /**
   * Pan or zoom: adds and removes elements when the view leaves the area already
   * rendered, or when a zoom in made that area more than twice as wide as needed.
   */
  cull(): void {
    const st = this.state();
    if (this.rect && contains(this.rect, visibleRect(st.viewport, 0)) && this.rect.w <= 2 * visibleRect(st.viewport).w) return;
    this.place();
    for (const id of this.ends.keys()) this.line(id);
  }

  /** Local state (selection, editor) changed: re-marks the elements that are in the DOM. */
  marks(): void {
    const st = this.state();
    for (const [id, el] of this.els) {
      el.classList.toggle("selected", st.selected.includes(id));
      el.classList.toggle("under-edit", st.editing === id);
    }
  }

  private kept(id: string, st: SceneState): boolean {
    return st.selected.includes(id) || st.editing === id || st.dragging.includes(id);
  }

  private orderOf(o: Obj): string {
    return `${o.type === ObjectType.GROUP ? 0 : 1}|${String(o.fields.get("order") ?? "")}`;
  }

  /** The elements that should be in the DOM, updated and in board order (groups first). */
  private place(): void {
    const st = this.state();
    this.rect = visibleRect(st.viewport);
    renderedArea(this.client, this.rect); // the peers' drag ghosts are culled to it too
    const seen = new Set<string>();
    for (const o of this.v.objects.values()) {
      if (o.deleted || !isCanvas(o)) continue;
      if (!intersects(box(o), this.rect) && !this.kept(o.id, st)) continue;
      this.update(o, st);
      seen.add(o.id);
    }
    for (const id of [...this.els.keys()]) if (!seen.has(id)) this.drop(id);
    this.arrange();
  }

  /**
   * Puts the elements in the DOM in board order, moving only the misplaced: the groups
   * before the connectors (a line and its arrowhead are not hidden under a lane), the
   * notes and experiments after them.
   */
  private arrange(): void {
    const list = [...this.els.keys()].map((id) => this.v.live(id)!).filter(Boolean);
    const rank = (o: Obj) => (o.type === ObjectType.GROUP ? 0 : 1);
    list.sort((a, b) => rank(a) - rank(b) || compareOrder(String(a.fields.get("order") ?? ""), a.id, String(b.fields.get("order") ?? ""), b.id));
    let next: Element = this.links;
    for (let i = list.length - 1; i >= 0; i--) {
      if (rank(list[i]) !== 0) continue;
      const el = this.els.get(list[i].id)!;
      if (el.nextSibling !== next) next.before(el);
      next = el;
    }
    let prev: Element = this.links;
    for (const o of list) {
      if (rank(o) === 0) continue;
      const el = this.els.get(o.id)!;
      if (prev.nextSibling !== el) prev.after(el);
      prev = el;
    }
  }

  private drop(id: string): void {
    this.els.get(id)?.remove();
    this.els.delete(id);
    this.keys.delete(id);
  }

  /** Creates, moves or removes the line of connector `id`: removed when inert or outside the rendered area. */
  private line(id: string): void {
    const c = this.v.live(id);
    const old = this.ends.get(id);
    const ends: [string, string] | undefined = c ? [str(c, "from"), str(c, "to")] : undefined;
    if (old && (!ends || old[0] !== ends[0] || old[1] !== ends[1])) for (const e of old) this.byEnd.get(e)?.delete(id);
    if (ends) {
      this.ends.set(id, ends);
      for (const e of ends) {
        let s = this.byEnd.get(e);
        if (!s) this.byEnd.set(e, (s = new Set()));
        s.add(id);
      }
    } else this.ends.delete(id);
    const a = ends && this.v.live(ends[0]), b = ends && this.v.live(ends[1]);
    let line = this.lines.get(id);
    const ba = a && box(a), bb = b && box(b);
    // Inert (one end is deleted, MODEL-7), or culled: its line's box is outside the rendered area.
    if (!ba || !bb || !lineVisible(ba, bb, this.rect ?? visibleRect(this.state().viewport))) {
      line?.remove();
      this.lines.delete(id);
      this.labels.get(id)?.remove();
      this.labels.delete(id);
      return;
    }
    if (!line) {
      line = document.createElementNS(SVG, "line");
      line.setAttribute("data-testid", "connector");
      line.setAttribute("data-id", id);
      line.setAttribute("marker-end", `url(#${ARROW_ID})`);
      this.lines.set(id, line);
      this.links.append(line);
    }
    const p = connectorPath(ba, bb);
    line.setAttribute("x1", String(p.x1));
    line.setAttribute("y1", String(p.y1));
    line.setAttribute("x2", String(p.x2));
    line.setAttribute("y2", String(p.y2));
    this.label(id, c ? str(c, "label") : "", (p.x1 + p.x2) / 2, (p.y1 + p.y2) / 2);
  }

  /** The label of connector `id` at (x, y), or none when it has no text. */
  private label(id: string, text: string, x: number, y: number): void {
    let el = this.labels.get(id);
    if (!text) {
      el?.remove();
      this.labels.delete(id);
      return;
    }
    if (!el) {
      el = document.createElementNS(SVG, "text");
      el.setAttribute("class", "connector-label");
      el.setAttribute("data-testid", "connector-label");
      this.labels.set(id, el);
      this.links.append(el);
    }
    if (el.textContent !== text) el.textContent = text;
    el.setAttribute("x", String(x));
    el.setAttribute("y", String(y));
  }

  /** Brings the element of `o` up to date; its content is rebuilt only when what it shows changed. */
  private update(o: Obj, st: SceneState): HTMLElement {
    let el = this.els.get(o.id);
    if (!el) {
      el = h("div", { "data-id": o.id });
      this.els.set(o.id, el);
    }
    const b = box(o);
    if (!st.dragging.includes(o.id)) {
      el.style.left = `${b.x}px`;
      el.style.top = `${b.y}px`;
      el.style.width = `${b.w}px`;
      el.style.height = `${b.h}px`;
    }
    el.dataset.order = this.orderOf(o);
    el.style.background = str(o, "color") || (o.type === ObjectType.NOTE ? COLORS[0] : "");
    const votes = dotVotes(this.v, o.id);
    const comments = this.v.commentsOf(o.id).length;
    const editing = st.editing === o.id;
    const writable = st.writable && st.canChange(o.id);
    const key = `${renderKey(o)}${votes}|${comments}|${editing}|${writable}|${contextKey(st.marks)}|${marksKey(this.v, o, st.marks)}`;
    if (this.keys.get(o.id) !== key) {
      this.keys.set(o.id, key);
      clear(el); // never holds the editor: that lives outside the scene
      this.content(el, o, votes, comments, writable, st.marks);
      el.classList.toggle("locked", o.fields.get("locked") === true);
      el.classList.toggle("private", st.marks.privateOn && o.fields.has("private_to"));
    }
    el.classList.toggle("selected", st.selected.includes(o.id));
    el.classList.toggle("under-edit", editing);
    return el;
  }

  private content(el: HTMLElement, o: Obj, votes: number, comments: number, writable: boolean, marks: MarkContext): void {
    const badge = countBadges(votes, comments);
    const resize = writable ? [h("div", { class: "resize" })] : [];
    const tags = badges(this.v, o, marks);
    const voting = voteControls(this.client, o, marks);
    if (o.type === ObjectType.NOTE) {
      el.className = "obj note";
      el.dataset.testid = "note";
      noteAccess(el, o, marks); // focusable, with a name (keyboard.ts)
      if (tags.length) el.append(h("div", { class: "marks" }, ...tags));
      el.append(h("div", { class: "note-text", "data-testid": "note-text" }, str(o, "text")));
      if (voting) el.append(voting);
      const author = authorLabel(o, marks);
      el.append(h("div", { class: "note-foot" }, author ? h("span", { class: "muted", "data-testid": "author" }, author) : null, badge));
      if (str(o, "promoted_item"))
        el.append(h("a", { class: "link", href: `/b/${str(o, "promoted_board")}`, "data-testid": "promoted" }, "In the backlog"));
      if (str(o, "promote_error")) el.append(h("div", { class: "error" }, promoteErrorText(str(o, "promote_error"))));
      el.append(...resize);
    } else if (o.type === ObjectType.GROUP) {
      el.className = "obj group";
      el.dataset.testid = "group";
      el.append(h("div", { class: "group-title" }, str(o, "title"), badge, ...tags, voting), ...resize);
    } else {
      el.className = "obj experiment";
      el.dataset.testid = "experiment";
      if (tags.length) el.append(h("div", { class: "marks" }, ...tags));
      const result = h("select", { class: "result", "data-result": str(o, "result"), disabled: !writable },
        ...["pending", "validated", "invalidated"].map((r) => h("option", { value: r, selected: str(o, "result") === r }, r)));
      result.addEventListener("change", () => this.client.submit([op.update(o.id, { result: result.value })]));
      el.append(h("div", { class: "label" }, "Hypothesis"), h("div", {}, str(o, "hypothesis")),
        h("div", { class: "label" }, "Metric"), h("div", {}, str(o, "metric")));
      el.append(h("div", { class: "note-foot" }, result, badge), ...(voting ? [voting] : []), ...resize);
    }
  }
}

/** What an element shows besides its geometry and colour. */
function renderKey(o: Obj): string {
  let k = "";
  for (const [name, val] of o.fields) if (!GEOMETRY.has(name)) k += `${name}=${String(val)}\u0000`;
  return k;
}

