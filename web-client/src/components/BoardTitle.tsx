// The board's title; facilitators and owners rename it in place (ROLE-3): double-click
// it or press the pencil, Enter saves, Escape cancels.
import { useEffect, useRef, useState } from "preact/hooks";

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
        onKeyDown={(e) => {
          if (e.key === "Enter") done(true);
          else if (e.key === "Escape") done(false);
        }}
        onBlur={() => done(true)} />
    );
  }
  return (
    <>
      <h1 class={"board-title" + (canRename ? " renamable" : "")} data-testid="board-title" title={canRename ? "Double-click to rename" : ""}
        onDblClick={() => canRename && setEditing(true)}>{title}</h1>
      {canRename && <button class="button small quiet icon" data-testid="rename" aria-label="Rename board" title="Rename board" onClick={() => setEditing(true)}>✎</button>}
    </>
  );
}
