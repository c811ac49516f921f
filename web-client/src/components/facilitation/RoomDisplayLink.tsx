// The room display link (FAC-8): a viewer invite minted over the API (API-4) with
// `&display=1`, copied to the clipboard and shown to copy by hand.
import { useState } from "preact/hooks";
import { ApiError, api, inviteLink } from "../../access/api";
import { apiText } from "../../sync/rejectText";
import type { Workshop } from "./workshop";

export function RoomDisplayLink({ w }: { w: Workshop }) {
  const [link, setLink] = useState("");
  const [note, setNote] = useState("");
  const make = async () => {
    setNote("Making the link…");
    try {
      const inv = await api.createInvite(w.boardId, w.token, { role: "viewer", expiresInS: 0, label: "Room display" });
      const url = `${inviteLink(location.origin, w.boardId, inv.token)}&display=1`;
      setLink(url);
      const copied = await navigator.clipboard?.writeText(url).then(() => true, () => false);
      setNote(copied ? "Copied: open it on the room's screen" : "Copy this link and open it on the room's screen");
    } catch (e) {
      setNote(apiText(e instanceof ApiError ? e.status : 0, "make the link")); // plain words, not the server's
    }
  };
  return (
    <div class="fac-group room-display" role="group" aria-label="Room display">
      <button class="button" data-testid="room-display" onClick={make}>Room display link</button>
      {link && <input class="input link-text" readOnly value={link} aria-label="Room display link" data-testid="room-display-link"
        onFocus={(e) => (e.target as HTMLInputElement).select()} />}
      {note && <span class="muted small-text" role="status" data-testid="room-display-note">{note}</span>}
    </div>
  );
}
