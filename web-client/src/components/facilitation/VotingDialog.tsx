// Setting up a voting session (FAC-6): title, votes per person, most on one item,
// scope (everything, or the current selection), anonymous or named.
import { useState } from "preact/hooks";
import { op } from "../../sync/ops";
import { Dialog } from "../Dialog";
import type { Workshop } from "./workshop";
import { send, shortId } from "./workshop";

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(n) || lo));

export function VotingDialog({ w, onClose }: { w: Workshop; onClose: () => void }) {
  const selected = w.selection.peek();
  const [title, setTitle] = useState("");
  const [per, setPer] = useState(3);
  const [max, setMax] = useState(3);
  const [scope, setScope] = useState<"all" | "selection">("all");
  const [anonymous, setAnonymous] = useState(false);
  const open = () => {
    const votes = clamp(per, 1, 100);
    send(w, op.openVoting({
      id: shortId("v"), title: title.trim(), votesPerPerson: votes, maxPerObject: clamp(max, 1, votes),
      scope: scope === "selection" ? [...selected] : [], anonymous,
    }));
    onClose();
  };
  const num = (set: (n: number) => void) => (e: Event) => set(Number((e.target as HTMLInputElement).value));
  return (
    <Dialog title="Start a vote" testid="vote-dialog" onClose={onClose}>
      <label class="stack">What are we voting on?
        <input class="input" maxLength={200} value={title} placeholder="e.g. Which problem first?" data-testid="vote-title" data-autofocus
          onInput={(e) => setTitle((e.target as HTMLInputElement).value)} /></label>
      <div class="row">
        <label class="stack grow">Votes per person
          <input class="input" type="number" min="1" max="100" value={per} data-testid="vote-per-person" onInput={num(setPer)} /></label>
        <label class="stack grow">Most on one item
          <input class="input" type="number" min="1" max={per} value={max} data-testid="vote-max" onInput={num(setMax)} /></label>
      </div>
      <fieldset class="stack plain">
        <legend>Vote on</legend>
        <label class="check"><input type="radio" name="scope" checked={scope === "all"} onChange={() => setScope("all")} /> Every note</label>
        <label class="check"><input type="radio" name="scope" checked={scope === "selection"} disabled={selected.length === 0} data-testid="vote-scope-selection"
          onChange={() => setScope("selection")} /> The {selected.length} selected item{selected.length === 1 ? "" : "s"}</label>
      </fieldset>
      <label class="check"><input type="checkbox" checked={anonymous} data-testid="vote-anonymous" onChange={(e) => setAnonymous((e.target as HTMLInputElement).checked)} /> Anonymous: results show no names</label>
      <div class="row end">
        <button class="button" onClick={onClose}>Cancel</button>
        <button class="button primary" data-testid="vote-go" onClick={open}>Open the vote</button>
      </div>
    </Dialog>
  );
}
