// The Share dialog (owners and facilitators, SPEC ROLE-5/6): the board's active
// invite links, each with Copy and Revoke, and a form that makes a new one.
import { useEffect, useState } from "preact/hooks";
import type { Invite } from "../access/api";
import { ApiError, api, inviteLink, isActive } from "../access/api";
import type { RoleName } from "../access/roles";
import { canManageOwnerInvites, mintableRoles, roleOf } from "../access/roles";
import { apiText } from "../sync/rejectText";
import { DAY_S, EXPIRY_CHOICES, ROLE_HINT, ROLE_LABEL } from "../ui/share";
import { Dialog } from "./Dialog";
import { InviteRow } from "./InviteRow";

/** A failed API call in plain words (never the server's text). */
const message = (e: unknown, action: string) => apiText(e instanceof ApiError ? e.status : 0, action);

export function ShareDialog({ boardId, token, myRole, onClose }: { boardId: string; token: string; myRole: RoleName; onClose: () => void }) {
  const role = roleOf(myRole);
  const [invites, setInvites] = useState<Invite[] | null>(null); // null: loading
  const [problem, setProblem] = useState<string | null>(null);
  const [fresh, setFresh] = useState(""); // the nonce just made: highlighted
  const [making, setMaking] = useState(false);
  const refresh = async () => {
    try {
      setInvites(await api.listInvites(boardId, token));
    } catch (e) {
      setInvites([]);
      setProblem(message(e, "load the links"));
    }
  };
  useEffect(() => void refresh(), []);

  const revoke = async (nonce: string) => {
    try {
      await api.revokeInvite(boardId, token, nonce);
      await refresh();
      return true;
    } catch (e) {
      setProblem(message(e, "revoke the link"));
      return false;
    }
  };
  const create = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const field = (n: string) => form.elements.namedItem(n) as HTMLInputElement;
    setProblem(null);
    setMaking(true);
    try {
      const inv = await api.createInvite(boardId, token, {
        role: field("role").value as RoleName, expiresInS: Number(field("expiry").value), label: field("label").value.trim(),
      });
      setFresh(inv.nonce);
      field("label").value = "";
      await refresh();
    } catch (err) {
      setProblem(message(err, "create the link"));
    } finally {
      setMaking(false);
    }
  };

  const now = Date.now();
  // Owner links only to owners: a facilitator cannot revoke them (ROLE-6), nor should use them.
  const active = (invites ?? []).filter((i) => isActive(i, now) && (i.role !== "owner" || canManageOwnerInvites(role)))
    .sort((a, b) => b.createdMs - a.createdMs);
  return (
    <Dialog title="Share this board" testid="share-dialog" wide onClose={onClose}>
      <p class="muted">Anyone with a link joins with its role. Revoking a link also removes everyone who joined through it.</p>
      <div class="invites" data-testid="invite-list">
        {invites === null ? <p class="muted">Loading links…</p>
          : active.length === 0 ? <p class="muted" data-testid="no-invites">No active links. Create one below.</p>
            : active.map((i) => <InviteRow key={i.nonce} invite={i} link={inviteLink(location.origin, boardId, i.token)}
              fresh={i.nonce === fresh} now={now} onRevoke={() => revoke(i.nonce)} />)}
      </div>
      <h3>New link</h3>
      <form class="invite-form" onSubmit={create}>
        <select class="input" name="role" data-testid="invite-role" aria-label="Role">
          {mintableRoles(role).map((r) => <option key={r} value={r} selected={r === "editor"}>{`${ROLE_LABEL[r]}: ${ROLE_HINT[r]}`}</option>)}
        </select>
        <select class="input" name="expiry" data-testid="invite-expiry" aria-label="Expires">
          {EXPIRY_CHOICES.map(([label, s]) => <option key={s} value={s} selected={s === 7 * DAY_S}>{label === "Never" ? "Never expires" : `Expires in ${label}`}</option>)}
        </select>
        <input class="input grow" name="label" placeholder="Label (optional), e.g. Design team" maxLength={200} data-testid="invite-label" aria-label="Label (optional)" />
        <button class="button primary" type="submit" data-testid="invite-create" disabled={making}>Create link</button>
      </form>
      <p class="form-error" data-testid="share-error" role="alert" hidden={!problem}>{problem ?? ""}</p>
    </Dialog>
  );
}
