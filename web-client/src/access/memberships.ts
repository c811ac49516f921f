// Memberships: the member tokens this browser holds, one per board (SPEC AUTH-1),
// in localStorage. A membership is what opens a board: without one, a board needs
// an invite link. The landing page lists them as "Your boards".
import type { RoleName } from "./roles";
import { isRoleName } from "./roles";

export type BoardKindName = "discovery" | "backlog";

export interface Membership {
  token: string; // the member token (Join.token, Authorization: Bearer)
  memberId: string;
  name: string; // the display name given when joining; the server stamps it as author
  role: RoleName;
  title: string; // as last seen, for the list
  kind: BoardKindName;
  visited: number; // unix ms of the last visit, newest first in the list
}

export type StorageLike = Pick<Storage, "getItem" | "setItem">;

const KEY = "tandem:memberships"; // JSON { [boardId]: Membership }
const NAME_KEY = "tandem:user"; // the display name used last on this browser
export const MAX_NAME_BYTES = 64; // SPEC API-2: a name is 1-64 bytes

function browserStorage(): StorageLike | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null; // storage disabled: memberships live for this page only
  }
}

export class MembershipStore {
  private memory = new Map<string, Membership>(); // when there is no storage

  constructor(private readonly storage: StorageLike | null = browserStorage()) {}

  get(boardId: string): Membership | undefined {
    return this.read().get(boardId);
  }

  /** Every board this browser holds a membership for, most recently visited first. */
  all(): (Membership & { boardId: string })[] {
    return [...this.read()].map(([boardId, m]) => ({ boardId, ...m })).sort((a, b) => b.visited - a.visited);
  }

  put(boardId: string, m: Membership): void {
    const all = this.read();
    all.set(boardId, m);
    this.write(all);
    this.rememberName(m.name);
  }

  /** Changes some fields of a membership held (title, visited); no-op otherwise. */
  update(boardId: string, patch: Partial<Pick<Membership, "title" | "kind" | "visited">>): void {
    const all = this.read();
    const m = all.get(boardId);
    if (!m) return;
    all.set(boardId, { ...m, ...patch });
    this.write(all);
  }

  forget(boardId: string): void {
    const all = this.read();
    if (all.delete(boardId)) this.write(all);
  }

  /** The display name used before on this browser, if any. */
  knownName(): string | null {
    try {
      const n = this.storage?.getItem(NAME_KEY)?.trim();
      return n ? n : null;
    } catch {
      return null;
    }
  }

  rememberName(name: string): void {
    try {
      this.storage?.setItem(NAME_KEY, name);
    } catch {
      /* unavailable: asked again next time */
    }
  }

  private read(): Map<string, Membership> {
    if (!this.storage) return new Map(this.memory);
    try {
      const raw = JSON.parse(this.storage.getItem(KEY) ?? "{}") as Record<string, unknown>;
      const out = new Map<string, Membership>();
      for (const [id, m] of Object.entries(raw)) if (valid(m)) out.set(id, m);
      return out;
    } catch {
      return new Map();
    }
  }

  private write(all: Map<string, Membership>): void {
    if (!this.storage) {
      this.memory = new Map(all);
      return;
    }
    try {
      this.storage.setItem(KEY, JSON.stringify(Object.fromEntries(all)));
    } catch {
      /* storage full: the membership holds for this page only */
    }
  }
}

function valid(m: unknown): m is Membership {
  const o = m as Partial<Membership> | null;
  return !!o && typeof o.token === "string" && o.token !== "" && typeof o.memberId === "string" &&
    typeof o.name === "string" && isRoleName(o.role) && typeof o.title === "string" &&
    (o.kind === "discovery" || o.kind === "backlog") && typeof o.visited === "number";
}

/** Why `name` is not a display name the server takes (API-2), or null when it is. */
export function nameProblem(name: string): string | null {
  const n = name.trim();
  if (!n) return "Enter a name";
  if (new TextEncoder().encode(n).length > MAX_NAME_BYTES) return `At most ${MAX_NAME_BYTES} bytes`;
  if (/[\u0000-\u001f\u007f]/.test(n)) return "No control characters";
  return null;
}

export const memberships = new MembershipStore();
