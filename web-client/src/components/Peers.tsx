// Who is here: one chip per other person connected to the board.
import type { Signal } from "@preact/signals";
import type { PeerChip } from "./boardSignals";

export function Peers({ peers }: { peers: Signal<PeerChip[]> }) {
  return (
    <div class="peers" data-testid="peers" role="group" aria-label="Who is here">
      {peers.value.map((p) => <span key={p.id} class="peer" style={`--c:${p.color}`} title={p.name}>{p.name}</span>)}
    </div>
  );
}
