// Promote a note: which backlog? The backlogs this browser is an editor (or more) of
// (memberships, ROLE-4), or a pasted link to one: an invite link is redeemed here with
// the person's name (API-2), a board address works when this browser already holds a
// membership of it. Never a raw board id.
import { ListChecks, Link2 } from "lucide";
import { useState } from "preact/hooks";
import { ApiError, api } from "../access/api";
import type { Membership } from "../access/memberships";
import { memberships } from "../access/memberships";
import { canEdit, roleOf } from "../access/roles";
import { promoteTargets } from "../canvas/commands";
import { apiText } from "../sync/rejectText";
import { Icon } from "../ui/icon";
import { ROLE_LABEL, parseBoardLink } from "../ui/share";
import { Dialog } from "./Dialog";

export interface PromoteTarget {
  boardId: string;
  title: string;
}

/** Why a membership cannot take promoted notes, or null when it can. */
function unfit(m: Pick<Membership, "kind" | "role">): string | null {
  if (m.kind !== "backlog") return "That link is to a discovery board, not a backlog";
  if (!canEdit(roleOf(m.role))) return "That link only lets you look at the backlog: ask its owner for an editor link";
  return null;
}

/** The backlog a pasted link names, joining it first when the link is an invite. */
async function resolveLink(text: string, here: string, name: string): Promise<PromoteTarget> {
  const link = parseBoardLink(text, location.origin);
  if (!link) throw new Error("Paste a link to a backlog: an invite link, or the address of a backlog you opened before");
  if (link.boardId === here) throw new Error("That link is to this board: paste a link to a backlog");
  const held = memberships.get(link.boardId);
  if (held) {
    const why = unfit(held);
    if (why) throw new Error(why);
    return { boardId: link.boardId, title: held.title };
  }
  if (!link.invite) throw new Error("This browser has not joined that backlog yet: paste an invite link to it (its Share button makes one)");
  let g;
  try {
    g = await api.redeem(link.boardId, link.invite, name);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) throw new Error("That invite link is not valid any more (it may have expired or been revoked)");
    throw new Error(apiText(e instanceof ApiError ? e.status : 0, "open that link"));
  }
  const m: Membership = {
    token: g.memberToken, memberId: g.memberId, name: g.name, role: g.role,
    title: g.title ?? "", kind: g.kind ?? "discovery", visited: 0, // joined, not visited: listed last
  };
  memberships.put(g.boardId, m);
  const why = unfit(m);
  if (why) throw new Error(why);
  return { boardId: g.boardId, title: m.title };
}

export function PromoteDialog({ boardId, chosen, onChoose, onClose }: {
  boardId: string; chosen: string; onChoose: (t: PromoteTarget) => void; onClose: () => void;
}) {
  const [known] = useState(() => promoteTargets(boardId));
  const [pick, setPick] = useState(() => known.find((k) => k.boardId === chosen)?.boardId ?? known[0]?.boardId ?? "");
  const [link, setLink] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setProblem(null);
    if (!link.trim()) {
      const k = known.find((x) => x.boardId === pick);
      if (!k) return setProblem("Choose a backlog, or paste a link to one");
      return onChoose({ boardId: k.boardId, title: k.title });
    }
    setBusy(true);
    try {
      const name = memberships.get(boardId)?.name ?? memberships.knownName() ?? "Someone"; // as on this board
      onChoose(await resolveLink(link, boardId, name));
    } catch (err) {
      setBusy(false);
      setProblem(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <Dialog title="Promote to a backlog" testid="promote-dialog" onClose={onClose}>
      <form class="stack" onSubmit={submit}>
        {known.length > 0 ? (
          <fieldset class="choices" data-testid="promote-choices">
            <legend><Icon node={ListChecks} size={16} /> Your backlogs</legend>
            {known.map((k) => (
              <label key={k.boardId} class="choice" data-testid="promote-choice">
                <input type="radio" name="backlog" value={k.boardId} checked={pick === k.boardId && !link.trim()}
                  onChange={() => {
                    setPick(k.boardId);
                    setLink("");
                  }} />
                <span class="choice-title">{k.title || "Untitled backlog"}</span>
                <span class={`role-badge role-${k.role}`}>{ROLE_LABEL[k.role]}</span>
              </label>
            ))}
          </fieldset>
        ) : <p class="muted" data-testid="promote-none">You have not opened a backlog in this browser yet. Paste a link to one below.</p>}
        <label class="stack">
          <span><Icon node={Link2} size={16} /> {known.length ? "Or paste a link to another backlog" : "Link to the backlog"}</span>
          <input class="input" data-testid="promote-link" value={link} placeholder="https://…/b/…?invite=…" autocomplete="off"
            {...(known.length ? {} : { "data-autofocus": true })} onInput={(e) => setLink(e.currentTarget.value)} />
          <span class="muted small">An invite link from the backlog's Share button, or its address if you opened it before.</span>
        </label>
        <p class="form-error" data-testid="promote-error" role="alert" hidden={!problem}>{problem ?? ""}</p>
        <div class="row end">
          <button class="button" type="button" onClick={onClose}>Cancel</button>
          <button class="button primary" type="submit" data-testid="promote-go" disabled={busy}>Promote</button>
        </div>
      </form>
    </Dialog>
  );
}
