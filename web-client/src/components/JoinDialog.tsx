// Join this board: asks an invited person's display name (prefilled with the one
// used before here) and redeems the invite with it (SPEC API-2).
import { useState } from "preact/hooks";
import type { Grant } from "../access/api";
import { ApiError, api } from "../access/api";
import { memberships, nameProblem } from "../access/memberships";
import { apiText } from "../sync/rejectText";
import { Dialog } from "./Dialog";

export function JoinDialog({ boardId, invite, onJoined, onInvalid }: {
  boardId: string; invite: string; onJoined: (g: Grant) => void; onInvalid: () => void;
}) {
  const [name, setName] = useState(memberships.knownName() ?? "");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const bad = nameProblem(name);
    if (bad) return setProblem(bad);
    setBusy(true);
    try {
      onJoined(await api.redeem(boardId, invite, name.trim()));
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.status === 401) return onInvalid();
      setProblem(apiText(err instanceof ApiError ? err.status : 0, "join the board"));
    }
  };
  return (
    <Dialog title="Join this board" testid="join-dialog" closable={false} onClose={() => {}}>
      <form class="stack" onSubmit={submit}>
        <p class="muted">You were invited to a board. The others will see this name on your notes and cursor.</p>
        <label class="stack">Your name
          <input class="input" value={name} maxLength={64} autocomplete="name" data-testid="join-name" data-autofocus
            onInput={(e) => setName(e.currentTarget.value)} onFocus={(e) => e.currentTarget.select()} />
        </label>
        <p class="form-error" data-testid="join-error" role="alert" hidden={!problem}>{problem ?? ""}</p>
        <div class="row end">
          <a href="/" class="button">Cancel</a>
          <button class="button primary" type="submit" data-testid="join-go" disabled={busy}>Join board</button>
        </div>
      </form>
    </Dialog>
  );
}
