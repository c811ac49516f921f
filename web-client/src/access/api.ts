// The server's HTTP API (SPEC API-1..6): creating boards, redeeming invites and
// managing invite links. Member tokens travel in `Authorization: Bearer`, never in
// a URL (the server logs URLs).
import { BoardTemplate } from "../gen/board_pb";
import type { BoardKindName } from "./memberships";
import type { RoleName } from "./roles";
import { isRoleName } from "./roles";

/** What creating a board or redeeming an invite gives: one member of one board. */
export interface Grant {
  boardId: string;
  memberToken: string;
  memberId: string;
  name: string;
  role: RoleName;
  title?: string;
  kind?: BoardKindName;
  ownerInvite?: string; // creation only: a link that makes more owners
}

export interface Invite {
  nonce: string;
  role: RoleName;
  expiresMs: number; // 0 = never
  createdMs: number;
  createdBy: string;
  label: string;
  revoked: boolean;
  token: string;
}

export interface NewBoard {
  title: string;
  kind: BoardKindName;
  template?: BoardTemplate;
  name: string;
}

export interface NewInvite {
  role: RoleName;
  expiresInS: number; // 0 = never
  label: string;
}

/** An answer other than success. `status` 0: the server was not reached. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = "ApiError";
  }
}

export const TEMPLATE_NAMES: Record<BoardTemplate, string> = {
  [BoardTemplate.UNSPECIFIED]: "blank",
  [BoardTemplate.PROBLEM_FRAMING]: "problem_framing",
  [BoardTemplate.OPPORTUNITY_SOLUTION_EXPERIMENT]: "opportunity_solution_experiment",
  [BoardTemplate.AFFINITY_MAP]: "affinity_map",
  [BoardTemplate.RETRO]: "retro",
};

type FetchLike = (url: string, init: RequestInit) => Promise<Pick<Response, "ok" | "status" | "text">>;

export class BoardApi {
  constructor(
    private readonly fetchFn: FetchLike = (u, i) => fetch(u, i),
    private readonly base = "", // same origin
  ) {}

  /** API-1. `adminToken` when the server lets only admins create boards. */
  async createBoard(b: NewBoard, adminToken?: string): Promise<Grant> {
    const body = { title: b.title, kind: b.kind, template: TEMPLATE_NAMES[b.template ?? BoardTemplate.UNSPECIFIED], name: b.name };
    return grant(await this.call("POST", "/api/boards", body, adminToken));
  }

  /** API-2: redeem an invite token for a member token. */
  async redeem(boardId: string, invite: string, name: string): Promise<Grant> {
    return grant(await this.call("POST", `/api/boards/${boardId}/members`, { invite, name }));
  }

  /** API-4 */
  async listInvites(boardId: string, token: string): Promise<Invite[]> {
    const r = (await this.call("GET", `/api/boards/${boardId}/invites`, undefined, token)) as { invites?: unknown[] };
    return (r.invites ?? []).map(invite);
  }

  async createInvite(boardId: string, token: string, n: NewInvite): Promise<Invite> {
    return invite(await this.call("POST", `/api/boards/${boardId}/invites`, { role: n.role, expires_in_s: n.expiresInS, label: n.label }, token));
  }

  async revokeInvite(boardId: string, token: string, nonce: string): Promise<void> {
    await this.call("DELETE", `/api/boards/${boardId}/invites/${encodeURIComponent(nonce)}`, undefined, token);
  }

  private async call(method: string, path: string, body?: unknown, token?: string): Promise<unknown> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (token) headers.Authorization = `Bearer ${token}`;
    let res;
    try {
      res = await this.fetchFn(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, "Could not reach the server");
    }
    const text = await res.text().catch(() => "");
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      /* not JSON: a proxy's error page */
    }
    if (!res.ok) {
      const err = (json as { error?: unknown } | null)?.error;
      throw new ApiError(res.status, typeof err === "string" && err ? err : `HTTP ${res.status}`);
    }
    if (json === null || typeof json !== "object") throw new ApiError(res.status, "The server's answer was not JSON");
    return json;
  }
}

function grant(j: unknown): Grant {
  const o = j as Record<string, unknown>;
  if (typeof o.board_id !== "string" || typeof o.member_token !== "string" || typeof o.member_id !== "string" ||
      typeof o.name !== "string" || !isRoleName(o.role))
    throw new ApiError(200, "The server's answer lacks the membership");
  return {
    boardId: o.board_id, memberToken: o.member_token, memberId: o.member_id, name: o.name, role: o.role,
    title: typeof o.title === "string" ? o.title : undefined,
    kind: o.kind === "backlog" || o.kind === "discovery" ? o.kind : undefined,
    ownerInvite: typeof o.owner_invite === "string" ? o.owner_invite : undefined,
  };
}

function invite(j: unknown): Invite {
  const o = (j ?? {}) as Record<string, unknown>;
  const n = (v: unknown) => (typeof v === "number" ? v : Number(v ?? 0) || 0);
  return {
    nonce: String(o.nonce ?? ""),
    role: isRoleName(o.role) ? o.role : "viewer",
    expiresMs: n(o.expires_ms), createdMs: n(o.created_ms),
    createdBy: String(o.created_by ?? ""), label: String(o.label ?? ""),
    revoked: o.revoked === true, token: String(o.token ?? ""),
  };
}

/** The link that lets someone join `boardId` with an invite (SPEC API-6). */
export function inviteLink(origin: string, boardId: string, token: string): string {
  return `${origin}/b/${boardId}?invite=${encodeURIComponent(token)}`;
}

/** Whether an invite can still be redeemed at `nowMs` (AUTH-5: expiry bounds redemption). */
export function isActive(i: Invite, nowMs: number): boolean {
  return !i.revoked && (i.expiresMs === 0 || i.expiresMs > nowMs);
}

export const api = new BoardApi();
