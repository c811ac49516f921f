// Voting sessions in the facilitator bar (FAC-6): open one (VotingDialog), close it
// (the results go to the side panel).
import { op } from "../../sync/ops";
import { openDialog } from "../../ui/dialog";
import { VotingDialog } from "./VotingDialog";
import type { Workshop } from "./workshop";
import { send } from "./workshop";

export function VotingControls({ w }: { w: Workshop }) {
  const s = w.state.value;
  if (s.voting) {
    const voted = s.turnout.length;
    return (
      <div class="fac-group" role="group" aria-label="Voting">
        <span class="muted small-text" data-testid="turnout-count">{voted} voted</span>
        <button class="button primary" data-testid="close-vote" onClick={() => send(w, op.closeVoting())}>Close vote</button>
      </div>
    );
  }
  return (
    <div class="fac-group" role="group" aria-label="Voting">
      <button class="button" data-testid="open-vote" onClick={() => openDialog((close) => <VotingDialog w={w} onClose={close} />)}>Start a vote…</button>
    </div>
  );
}
