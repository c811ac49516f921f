// Results of closed voting sessions (FAC-6) in the side panel, newest first, each
// ordered by count (the server's order), with the voters' names when the vote was named.
import type { ResultView } from "./workshopState";
import type { Workshop } from "./workshop";
import { plural } from "./workshop";

function Result({ r, open }: { r: ResultView; open: boolean }) {
  return (
    <details class="result-block" open={open} data-testid="result">
      <summary><strong>{r.title || "Vote"}</strong> · {plural(r.voters, "voter")}{r.anonymous ? " · anonymous" : ""}</summary>
      {r.tallies.length === 0 ? <p class="muted">No votes were given.</p> : (
        <ol class="tallies">
          {r.tallies.map((t) => (
            <li key={t.target} data-testid="result-row" data-target={t.target} data-count={t.count}>
              <span class="tally-count">{t.count}</span>
              <span class="tally-label">{t.label}</span>
              {t.voters.length > 0 && <span class="tally-voters muted">{t.voters.join(", ")}</span>}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}

export function ResultsPanel({ w }: { w: Workshop }) {
  const results = w.state.value.results;
  if (results.length === 0) return null;
  const newest = [...results].reverse();
  return (
    <section class="workshop-card results-panel" data-testid="results" aria-label="Voting results">
      <h3>Results</h3>
      {newest.map((r, i) => <Result key={r.id} r={r} open={i === 0} />)}
    </section>
  );
}
