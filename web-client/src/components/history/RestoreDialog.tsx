// "Restore as a new board from here": asks the new board's title, then makes a board
// holding the state at that point (SPEC EXPORT-*) and opens it. The board looked at
// stays as it is.
import { useRef, useState } from "preact/hooks";
import { transferText } from "../../access/transfer";
import { Dialog } from "../Dialog";
import "./history.css";

export interface RestoreDialogProps {
  defaultTitle: string;
  when: string; // the point's time in words
  restore: (title: string) => Promise<void>;
  onClose: () => void;
}

export function RestoreDialog({ defaultTitle, when, restore, onClose }: RestoreDialogProps) {
  const title = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const go = async (e: Event) => {
    e.preventDefault();
    const t = title.current!.value.trim();
    if (!t) {
      setProblem("Give the new board a title");
      title.current!.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await restore(t);
    } catch (err) {
      setProblem(transferText(err, "make the new board"));
      setBusy(false);
    }
  };
  return (
    <Dialog title="Restore as a new board" testid="restore-dialog" onClose={onClose}>
      <form class="fields transfer-form" onSubmit={go}>
        <p class="muted">A new board starts with everything as it was then{when ? ` (${when})` : ""}. This board stays as it is.</p>
        <label><span>Title of the new board</span>
          <input ref={title} class="input" data-testid="restore-title" defaultValue={defaultTitle} maxLength={200} data-autofocus /></label>
        <p class="form-error" role="alert" data-testid="restore-error" hidden={!problem}>{problem ?? ""}</p>
        <div class="row end">
          <button type="button" class="button" onClick={onClose}>Cancel</button>
          <button type="submit" class="button primary" data-testid="restore-go" disabled={busy}>{busy ? "Making it…" : "Make the new board"}</button>
        </div>
      </form>
    </Dialog>
  );
}
