// Editing the backlog's status columns (ROLE-3: facilitators and owners) in a small
// dialog, not a browser prompt: one field per column, add, remove, Save sends one
// UpdateBoard. The server takes 1 to 12 columns of 1-64 bytes each (MODEL-8).
import { ArrowDown, ArrowUp, Plus, Trash2 } from "lucide";
import { useState } from "preact/hooks";
import { Dialog } from "../../components/Dialog";
import { Icon } from "../icon";

const MAX_COLUMNS = 12;
const MAX_NAME_BYTES = 64;
const bytes = (s: string) => new TextEncoder().encode(s).length;

/** What is wrong with `names` (trimmed), in plain words; "" when they may be saved. */
export function columnsProblem(names: readonly string[]): string {
  const t = names.map((n) => n.trim());
  if (t.length === 0) return "Keep at least one column.";
  if (t.length > MAX_COLUMNS) return `A board has at most ${MAX_COLUMNS} columns.`;
  if (t.some((n) => n === "")) return "Every column needs a name.";
  if (t.some((n) => bytes(n) > MAX_NAME_BYTES)) return "A column name is too long.";
  if (new Set(t).size !== t.length) return "Two columns have the same name.";
  return "";
}

export function ColumnsDialog({ columns, onSave, onClose }: { columns: readonly string[]; onSave: (names: string[]) => void; onClose: () => void }) {
  const [names, setNames] = useState<string[]>(() => [...columns]);
  const problem = columnsProblem(names);
  const set = (i: number, v: string) => setNames(names.map((x, j) => (j === i ? v : x)));
  const swap = (i: number, j: number) => {
    const next = [...names];
    [next[i], next[j]] = [next[j], next[i]];
    setNames(next);
  };
  const save = () => {
    if (problem) return;
    onSave(names.map((n) => n.trim()));
    onClose();
  };
  return (
    <Dialog title="Status columns" testid="columns-dialog" onClose={onClose}>
      <p class="muted">The columns items move through, in order. An item whose column is removed shows in no column until it gets another.</p>
      <ol class="columns-edit">
        {names.map((n, i) => (
          <li key={i} class="row" data-testid="column-row">
            <input class="input grow" aria-label={`Name of column ${i + 1}`} value={n} data-testid="column-name" data-autofocus={i === 0 ? true : undefined}
              onInput={(e) => set(i, (e.target as HTMLInputElement).value)} onKeyDown={(e) => e.key === "Enter" && save()} />
            <button type="button" class="button icon-only quiet" title="Move up" aria-label={`Move column ${i + 1} up`} disabled={i === 0} onClick={() => swap(i, i - 1)}><Icon node={ArrowUp} size={16} /></button>
            <button type="button" class="button icon-only quiet" title="Move down" aria-label={`Move column ${i + 1} down`} disabled={i === names.length - 1} onClick={() => swap(i, i + 1)}><Icon node={ArrowDown} size={16} /></button>
            <button type="button" class="button icon-only quiet" title="Remove" aria-label={`Remove column ${i + 1}`} data-testid="remove-column"
              disabled={names.length <= 1} onClick={() => setNames(names.filter((_, j) => j !== i))}><Icon node={Trash2} size={16} /></button>
          </li>
        ))}
      </ol>
      <p class="error-text" role="alert" data-testid="columns-problem" hidden={!problem}>{problem}</p>
      <div class="row">
        <button type="button" class="button" data-testid="add-column" disabled={names.length >= MAX_COLUMNS} onClick={() => setNames([...names, ""])}>
          <Icon node={Plus} size={16} /> Add column
        </button>
        <div class="spacer" />
        <button type="button" class="button" onClick={onClose}>Cancel</button>
        <button type="button" class="button primary" data-testid="save-columns" disabled={!!problem} onClick={save}>Save</button>
      </div>
    </Dialog>
  );
}
