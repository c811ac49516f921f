// "Your boards": the boards this browser holds a membership for, each with Forget.
import { useState } from "preact/hooks";
import type { Membership } from "../access/memberships";
import { memberships } from "../access/memberships";

export function YourBoards() {
  const [list, setList] = useState(() => memberships.all());
  const forget = (m: Membership & { boardId: string }) => {
    const name = m.title || m.boardId;
    if (!confirm(`Forget "${name}" on this browser? You will need a new invite link to open it again.`)) return;
    memberships.forget(m.boardId);
    setList(memberships.all());
  };
  return (
    <section class="panel" data-testid="your-boards">
      <h2>Your boards</h2>
      {list.length === 0 ? <p class="muted">None yet. Create one above, or open an invite link someone sent you.</p> : (
        <ul class="boards">
          {list.map((m) => (
            <li key={m.boardId} data-testid="your-board" data-board={m.boardId}>
              <a href={`/b/${m.boardId}`} class="board-link">{m.title || m.boardId}</a>
              <span class="muted">{m.kind}</span>
              <span class={`role-badge role-${m.role}`}>{m.role}</span>
              <button class="button small quiet" title="Forget this board on this browser (you will need a new invite link)"
                aria-label={`Forget ${m.title || m.boardId}`} onClick={() => forget(m)}>Forget</button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
