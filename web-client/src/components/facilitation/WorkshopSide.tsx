// The workshop's part of the side panel: the open vote, then the results.
import { ResultsPanel } from "./ResultsPanel";
import { VotingPanel } from "./VotingPanel";
import type { Workshop } from "./workshop";

export function WorkshopSide({ w }: { w: Workshop }) {
  return (
    <>
      <VotingPanel w={w} />
      <ResultsPanel w={w} />
    </>
  );
}
