// The board's title. For those whose role may rename it (facilitators and owners,
// ROLE-3) it looks editable: a click on it or on the pencil edits it in place, Enter
// saves, Escape cancels. For the others it is plain text.
import { Pencil } from "lucide";
import { useEffect, useRef, useState } from "preact/hooks";
import { Icon } from "../ui/icon";

export function BoardTitle({ title, canRename, onRename }: { title: string; canRename: boolean; onRename: (t: string) => void }) {
  const [editing, setEditing] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const closed = useRef(false); // Enter or Escape ended it: the blur that follows does nothing
  useEffect(() => {
    if (editing) {
      closed.current = false;
      input.current?.select();
    }
  }, [editing]);
  if (editing && canRename) {
    const done = (save: boolean) => {
      if (closed.current) return;
      closed.current = true;
      const t = input.current?.value.trim() ?? "";
      setEditing(false);
      if (save && t && t !== title) onRename(t);
    };
    return (
      <input ref={input} class="input board-title-input" data-testid="board-title-input" aria-label="Board title" maxLength={200} value={title}
        title="Enter saves, Escape cancels"
        onKeyDown={(e) => {
          if (e.key === "Enter") done(true);
          else if (e.key === "Escape") {
            e.stopPropagation();
            done(false);
          }
        }}
        onBlur={() => done(true)} />
    );
  }
  if (!canRename) return <h1 class="board-title" data-testid="board-title">{title}</h1>;
  return (
    <div class="board-title-wrap">
      <h1 class="board-title renamable" data-testid="board-title" title="Click to rename the board"
        onClick={() => setEditing(true)}>{title}</h1>
      <button type="button" class="button quiet icon-only" data-testid="rename" aria-label="Rename board" title="Rename board" onClick={() => setEditing(true)}>
        <Icon node={Pencil} size={16} />
      </button>
    </div>
  );
}
