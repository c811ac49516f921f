// "Your boards": the boards this browser holds a membership for, each with Forget.
import { Trash2 } from "lucide";
import { createElement } from "preact";
import { useState } from "preact/hooks";
import type { Membership } from "../access/memberships";
import { memberships } from "../access/memberships";
import { openDialog } from "../ui/dialog";
import { Icon } from "../ui/icon";
import { ROLE_LABEL } from "../ui/share";
import { ConfirmDialog } from "./ConfirmDialog";

const titleOf = (m: Membership) => m.title || (m.kind === "backlog" ? "Untitled backlog" : "Untitled board");

export function YourBoards() {
  const [list, setList] = useState(() => memberships.all());
  const forget = (m: Membership & { boardId: string }) => {
    const name = titleOf(m);
    openDialog((close) => createElement(ConfirmDialog, {
      title: `Forget “${name}”?`, testid: "forget-dialog", confirm: "Forget",
      text: "It leaves this browser's list. You will need a new invite link to open it again.",
      onClose: close,
      onConfirm: () => {
        memberships.forget(m.boardId);
        setList(memberships.all());
      },
    }));
  };
  return (
    <section class="panel" data-testid="your-boards">
      <h2>Your boards</h2>
      {list.length === 0 ? <p class="muted">None yet. Create one above, or open an invite link someone sent you.</p> : (
        <ul class="boards">
          {list.map((m) => (
            <li key={m.boardId} data-testid="your-board" data-board={m.boardId}>
              <a href={`/b/${m.boardId}`} class="board-link">{titleOf(m)}</a>
              <span class="muted">{m.kind === "backlog" ? "Backlog" : "Discovery"}</span>
              <span class={`role-badge role-${m.role}`}>{ROLE_LABEL[m.role]}</span>
              <button class="button small quiet" title="Forget this board on this browser (you will need a new invite link)"
                aria-label={`Forget ${titleOf(m)}`} onClick={() => forget(m)}><Icon node={Trash2} size={14} /><span>Forget</span></button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
