// The open voting session (FAC-6) in the side panel: my votes left of the budget and
// how to vote; no counts while it is open (VIS-2). Facilitators see who voted how much.
import type { Workshop } from "./workshop";
import { plural } from "./workshop";

export function VotingPanel({ w }: { w: Workshop }) {
  const s = w.state.value;
  const v = s.voting;
  if (!v) return null;
  const used = v.votesPerPerson - v.left;
  return (
    <section class="workshop-card voting-panel" data-testid="voting-panel" aria-label="Voting">
      <h3>{v.title || "Vote"} <span class="badge open-badge">open</span></h3>
      {s.participant ? (
        <>
          <p class="votes-left" data-testid="votes-left" aria-live="polite"><strong>{v.left}</strong> of {v.votesPerPerson} votes left</p>
          <div class="budget" aria-hidden="true">{Array.from({ length: v.votesPerPerson }, (_, i) => <span key={i} class={i < used ? "dot used" : "dot"} />)}</div>
          <p class="muted">Press <strong>+ Vote</strong> on {v.scopeSize ? "the marked items" : "any note"}{v.maxPerObject < v.votesPerPerson ? `, at most ${v.maxPerObject} on one` : ""}. Counts stay hidden until the vote closes.</p>
        </>
      ) : (
        <p class="muted">{v.scopeSize ? plural(v.scopeSize, "item") : "Every note"} in the vote · {plural(v.votesPerPerson, "vote")} each{v.anonymous ? " · anonymous" : ""}. Counts stay hidden until the vote closes.</p>
      )}
      {s.facilitator && (
        <ul class="turnout" data-testid="turnout" aria-label="Votes used">
          {s.turnout.length === 0 ? <li class="muted">Nobody has voted yet</li>
            : s.turnout.map((t) => <li key={t.name}>{t.name}: {t.used} of {v.votesPerPerson}</li>)}
        </ul>
      )}
    </section>
  );
}
