// Private writing (FAC-4): who sees the notes being written now, and how many each
// person has written so far ("Alice: 3 notes"), for everyone.
import type { Workshop } from "./workshop";
import { plural } from "./workshop";

function noticeText(facilitator: boolean, participant: boolean, authorOnly: boolean): string {
  if (facilitator)
    return authorOnly ? "Private writing: each person's notes are hidden from everyone else, you too, until you reveal them"
      : "Private writing: participants see only their own notes; you see everyone's";
  if (participant) return authorOnly ? "Private writing: only you see your notes" : "Private writing: only you and the facilitators see your notes";
  return "Private writing: notes appear when the facilitator reveals them";
}

export function PrivateNotice({ w }: { w: Workshop }) {
  const s = w.state.value;
  if (!s.privateWriting) return null;
  return (
    <div class="workshop-banner private-notice" data-testid="private-notice" role="status">
      <strong>{noticeText(s.facilitator, s.participant, s.authorOnly)}</strong>
      {s.privateCounts.length > 0 && (
        <ul class="private-counts" aria-label="Notes written so far">
          {s.privateCounts.map((c) => <li key={c.name} data-testid="private-count">{c.name}: {plural(c.count, "note")}</li>)}
        </ul>
      )}
    </div>
  );
}
