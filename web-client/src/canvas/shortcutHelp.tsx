// The "?" dialog: every keyboard shortcut of the discovery canvas (keyboard.ts), in the
// page's one modal (components/Dialog.tsx through ui/dialog.ts).
import { Dialog } from "../components/Dialog";
import { openDialog } from "../ui/dialog";

const MOD = /Mac|iPhone|iPad/.test(navigator.platform) ? "⌘" : "Ctrl";

/** What each key does, in the order the dialog lists them; `edit`: only for those who may change the board. */
export const SHORTCUTS: readonly { keys: string; what: string; edit: boolean }[] = [
  { keys: "N", what: "Add a note", edit: true },
  { keys: "Enter", what: "Edit the note in focus", edit: true },
  { keys: "Tab / Shift+Tab", what: "Go to the next or previous note", edit: false },
  { keys: `${MOD}+C`, what: "Copy the selection", edit: false },
  { keys: `${MOD}+X`, what: "Cut the selection", edit: true },
  { keys: `${MOD}+V`, what: "Paste (copied notes, or text as a new note)", edit: true },
  { keys: `${MOD}+D`, what: "Duplicate the selection", edit: true },
  { keys: `${MOD}+A`, what: "Select everything", edit: false },
  { keys: "Escape", what: "Clear the selection", edit: false },
  { keys: "Arrow keys", what: "Move the selection a little", edit: true },
  { keys: "Shift+Arrow keys", what: "Move the selection further", edit: true },
  { keys: "Delete / Backspace", what: "Delete the selection", edit: true },
  { keys: `${MOD}+Z`, what: "Undo", edit: true },
  { keys: `${MOD}+Shift+Z`, what: "Redo", edit: true },
  { keys: "+ / −", what: "Zoom in or out", edit: false },
  { keys: "Shift+1", what: "Zoom to fit the board", edit: false },
  { keys: `Shift+0 / ${MOD}+0`, what: "Zoom to 100%", edit: false },
  { keys: "?", what: "Show this list", edit: false },
];

let open: { close(): void } | null = null;

/** Opens the list (once: a second "?" while it is open does nothing); `canEdit` false: only what a viewer can use. */
export function openShortcutHelp(canEdit: boolean): void {
  if (open) return;
  const d = openDialog((close) => (
    <Dialog title="Keyboard shortcuts" testid="shortcut-help" onClose={() => { open = null; close(); }}>
      <p class="muted">{canEdit
        ? "They work on the board when you are not typing in a note or a field."
        : "You can view this board. These keys work when you are not typing in a field."}</p>
      <table class="shortcut-table">
        <tbody>
          {SHORTCUTS.filter((s) => canEdit || !s.edit).map(({ keys, what }) => (
            <tr key={keys}>
              <td><kbd>{keys}</kbd></td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  ));
  open = { close: () => { open = null; d.close(); } };
}
