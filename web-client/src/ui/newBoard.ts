// Opening a board just made by an import or a restore (SPEC EXPORT-*): the membership is
// kept as board creation keeps it (components/Landing.tsx), and a message for the new
// board's page (e.g. the CSV columns left out) waits in sessionStorage for it to show.
import type { Imported } from "../access/transfer";
import type { BoardKindName } from "../access/memberships";
import { memberships } from "../access/memberships";

const NOTICE_KEY = "tandem:notice"; // JSON { board, text }: shown once by that board's page

/** The toast after importing a CSV whose columns did not all fit a backlog; null when all did. */
export function skippedText(columns: readonly string[]): string | null {
  const names = [...new Set(columns.map((c) => c.trim()).filter(Boolean))];
  if (names.length === 0) return null;
  const list = names.length <= 6 ? names.join(", ") : `${names.slice(0, 6).join(", ")} and ${names.length - 6} more`;
  return names.length === 1 ? `Imported. One column has no place in a backlog and was left out: ${list}` :
    `Imported. ${names.length} columns have no place in a backlog and were left out: ${list}`;
}

/** Keeps the membership of the new board and opens it. */
export function openNewBoard(g: Imported, fallback: { title: string; kind: BoardKindName; name: string }, storage: Pick<Storage, "setItem"> | null = session()): void {
  memberships.put(g.boardId, {
    token: g.memberToken, memberId: g.memberId, name: g.name || fallback.name, role: g.role,
    title: g.title ?? fallback.title, kind: g.kind ?? fallback.kind, visited: Date.now(),
  });
  const text = skippedText(g.skippedColumns);
  try {
    if (text) storage?.setItem(NOTICE_KEY, JSON.stringify({ board: g.boardId, text }));
  } catch {
    /* no storage: the board opens without the message */
  }
  location.assign(`/b/${g.boardId}`);
}

/** The message left for `boardId`'s page, taken (shown once); null when none. */
export function takeNotice(boardId: string, storage: Pick<Storage, "getItem" | "setItem"> | null = session()): string | null {
  try {
    const raw = storage?.getItem(NOTICE_KEY);
    if (!raw) return null;
    const n = JSON.parse(raw) as { board?: unknown; text?: unknown };
    if (n.board !== boardId || typeof n.text !== "string") return null;
    storage?.setItem(NOTICE_KEY, ""); // taken: shown once
    return n.text;
  } catch {
    return null;
  }
}

function session(): Storage | null {
  try {
    return typeof sessionStorage === "undefined" ? null : sessionStorage;
  } catch {
    return null;
  }
}
