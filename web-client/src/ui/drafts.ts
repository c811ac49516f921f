// Drafts: what someone is typing and has not committed yet, kept per board, object
// and field in sessionStorage while they type, so a reload gives it back. A draft of
// a note that does not exist yet ("new") carries what to create it with: the note is
// created with its text when the text is committed, never empty before that.
//
// Also the unload guard: while a draft is open or changes are unsent, leaving the
// page asks first (beforeunload).
import type { Plain } from "../sync/board";

export interface Draft {
  objectId: string;
  field: string;
  /** What the user has typed. */
  value: string;
  /** The field's value when the edit began (what Escape restores). */
  original: string;
  /** A new object, created on commit with `create` plus the text. */
  create?: { type: number; values: Record<string, Plain> };
  at: number;
}

type Store = Pick<Storage, "getItem" | "setItem">;

const keyOf = (boardId: string) => `tandem:drafts:${boardId}`;
const slot = (objectId: string, field: string) => `${objectId}|${field}`;

export class Drafts {
  constructor(private readonly boardId: string, private readonly store: Store | undefined = safeSession()) {}

  private read(): Record<string, Draft> {
    try {
      const raw = this.store?.getItem(keyOf(this.boardId));
      return raw ? (JSON.parse(raw) as Record<string, Draft>) : {};
    } catch {
      return {};
    }
  }

  private write(all: Record<string, Draft>): void {
    try {
      this.store?.setItem(keyOf(this.boardId), JSON.stringify(all));
    } catch {
      // Storage full or denied: the draft lives on in the editor only.
    }
  }

  get(objectId: string, field: string): Draft | undefined {
    return this.read()[slot(objectId, field)];
  }

  save(d: Omit<Draft, "at">): void {
    const all = this.read();
    all[slot(d.objectId, d.field)] = { ...d, at: Date.now() };
    this.write(all);
  }

  drop(objectId: string, field: string): void {
    const all = this.read();
    if (!(slot(objectId, field) in all)) return;
    delete all[slot(objectId, field)];
    this.write(all);
  }

  /** All drafts of the board, the most recent first. */
  list(): Draft[] {
    return Object.values(this.read()).sort((a, b) => b.at - a.at);
  }
}

function safeSession(): Store | undefined {
  try {
    return typeof sessionStorage === "undefined" ? undefined : sessionStorage;
  } catch {
    return undefined;
  }
}

/** Reasons to stay on the page; any returning true makes leaving ask first. */
const guards = new Set<() => boolean>();
let installed = false;

/** Registers a reason to warn before unload; returns its removal. */
export function guardUnload(fn: () => boolean): () => void {
  guards.add(fn);
  if (!installed && typeof window !== "undefined") {
    installed = true;
    window.addEventListener("beforeunload", (e) => {
      if (![...guards].some((g) => g())) return;
      e.preventDefault();
      e.returnValue = ""; // older browsers need it set
    });
  }
  return () => guards.delete(fn);
}

/** The names of the peers whose selection holds `id`: who is most likely changing it. */
export function whoIsOn(peers: Iterable<[string, { member: { userName: string }; presence?: { selection?: string[] } }]>, id: string): string {
  const names = [...peers].filter(([, p]) => p.presence?.selection?.includes(id)).map(([, p]) => p.member.userName || "someone");
  return names.length ? [...new Set(names)].join(", ") : "someone else";
}

/** Who changed an object under someone typing in it: the author of the last edit, else who has it selected. */
export function whoChanged(client: { whoChanged(id: string): string | undefined; peers: Map<string, { member: { userName: string }; presence?: { selection?: string[] } }> }, id: string): string {
  return client.whoChanged(id) ?? whoIsOn(client.peers, id);
}
