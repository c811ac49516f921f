// Asks to confirm something that cannot be undone from this page (never window.confirm).
import { Dialog } from "./Dialog";

export function ConfirmDialog({ title, text, confirm, testid, onConfirm, onClose }: {
  title: string; text: string; confirm: string; testid: string; onConfirm: () => void; onClose: () => void;
}) {
  return (
    <Dialog title={title} testid={testid} onClose={onClose}>
      <p class="muted">{text}</p>
      <div class="row end">
        <button class="button" type="button" onClick={onClose} data-autofocus>Cancel</button>
        <button class="button danger" type="button" data-testid={`${testid}-go`} onClick={() => {
          onClose();
          onConfirm();
        }}>{confirm}</button>
      </div>
    </Dialog>
  );
}
