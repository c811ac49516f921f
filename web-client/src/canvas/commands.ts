// What the toolbar does to the board: add a group or an experiment, connect, vote,
// unvote, recolour, delete, promote a note into a backlog (ROLE-4).
import { ObjectType } from "../gen/board_pb";
import { memberships } from "../access/memberships";
import { canEdit, roleOf } from "../access/roles";
import { newId, op } from "../sync/ops";
import type { Op } from "../gen/board_pb";
import type { SyncClient } from "../sync/syncClient";

/** Backlog boards a note can be promoted into: editor or above there too (ROLE-4). */
export function promoteTargets(exceptBoard: string) {
  return memberships.all().filter((m) => m.kind === "backlog" && m.boardId !== exceptBoard && canEdit(roleOf(m.role)));
}

export interface CommandContext {
  client: SyncClient;
  boardId: string;
  selected: string[];
  center(): { x: number; y: number };
  lastKey(): string;
  backlogChoice(): string;
  /** May this page change object `id` (not locked for it, FAC-7)? */
  canChange(id: string): boolean;
}

export function makeCommands(c: CommandContext) {
  const { client, selected } = c;
  const v = () => client.view;
  const flash = (msg: string) => client.flash(msg);
  return {
    addGroup() {
      const p = c.center();
      client.submit([op.create(newId(), ObjectType.GROUP, { title: "Group", x: Math.round(p.x - 200), y: Math.round(p.y - 150), width: 400, height: 300, color: "#eef2ff", order: c.lastKey() })]);
    },
    addExperiment() {
      const p = c.center();
      client.submit([op.create(newId(), ObjectType.EXPERIMENT, { hypothesis: "We believe that…", metric: "We will know when…", result: "pending", x: Math.round(p.x - 110), y: Math.round(p.y - 75), width: 220, height: 150, order: c.lastKey() })]);
    },
    connect() {
      if (selected.length !== 2) return flash("Select two objects to connect");
      client.submit([op.create(newId(), ObjectType.CONNECTOR, { from: selected[0], to: selected[1] })]);
    },
    vote() {
      const ops = selected.filter((id) => v().live(id)).map((id) => op.addVote(newId(), id));
      if (ops.length) client.submit(ops);
    },
    unvote() {
      const ops: Op[] = [];
      const want = new Set(selected);
      const done = new Set<string>();
      for (const vo of v().objects.values()) {
        // VOTE-1: a vote's voter is the member id; RemoveVote takes only one's own (VOTE-2).
        const t = String(vo.fields.get("target") ?? "");
        if (vo.deleted || vo.type !== ObjectType.VOTE || !want.has(t) || done.has(t) || !v().live(t)) continue;
        if (vo.fields.get("voter") !== client.me.memberId) continue;
        done.add(t);
        ops.push(op.removeVote(vo.id));
      }
      if (ops.length) client.submit(ops);
    },
    recolour(col: string) {
      const ops = selected.filter((id) => v().live(id) && c.canChange(id)).map((id) => op.update(id, { color: col }));
      if (ops.length) client.submit(ops);
    },
    removeSelected() {
      if (!client.canWrite) return;
      const locked = selected.filter((id) => v().live(id) && !c.canChange(id));
      if (locked.length) flash(`${locked.length === 1 ? "One item is" : `${locked.length} items are`} locked by the facilitator: left as is`);
      const ops = selected.filter((id) => v().live(id) && v().live(id)!.type !== ObjectType.VOTE && c.canChange(id)).map((id) => op.delete(id));
      selected.length = 0;
      if (ops.length) client.submit(ops);
    },
    promote() {
      const note = selected.length === 1 ? v().live(selected[0]) : undefined;
      if (!note || note.type !== ObjectType.NOTE) return flash("Select one note to promote");
      const targets = promoteTargets(c.boardId);
      if (targets.length === 0) return flash("Open or create a backlog board first");
      const target = targets.find((t) => t.boardId === c.backlogChoice()) ?? (targets.length === 1 ? targets[0] : undefined);
      if (!target) return flash("Choose the backlog to promote into");
      client.submit([op.promote(note.id, target.boardId, newId(), target.token)]);
    },
  };
}
