// Who is here: one chip per other person connected to the board. With `onFollow`, a
// chip is a button: click it to follow that person's view (FAC-8).
import type { Signal } from "@preact/signals";
import type { PeerChip } from "./boardSignals";

export interface PeersProps {
  peers: Signal<PeerChip[]>;
  onFollow?: (id: string, name: string) => void;
  /** The client id this page follows, if any. */
  following?: string | null;
}

export function Peers({ peers, onFollow, following }: PeersProps) {
  return (
    <div class="peers" data-testid="peers" role="group" aria-label="Who is here">
      {peers.value.map((p) => onFollow
        ? <button key={p.id} type="button" class={"peer" + (following === p.id ? " followed" : "")} style={`--c:${p.color}`} data-testid="peer"
          title={`Follow ${p.name}'s view`} aria-label={`Follow ${p.name}'s view`} aria-pressed={following === p.id}
          onClick={() => onFollow(p.id, p.name)}>{p.name}</button>
        : <span key={p.id} class="peer" style={`--c:${p.color}`} title={p.name}>{p.name}</span>)}
    </div>
  );
}
