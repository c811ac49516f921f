// The HTTP API client against a scripted fetch: the requests it makes (paths,
// bodies, the bearer token in a header and never in the URL) and how it reads
// answers and errors (API-1..6).
import { describe, expect, it } from "vitest";
import { BoardTemplate } from "../gen/board_pb";
import { Role } from "../gen/sync_pb";
import { ApiError, BoardApi, inviteLink, isActive } from "./api";
import { mintableRoles, roleName, roleOf } from "./roles";

interface Call {
  url: string;
  init: RequestInit;
}

function fake(status: number, body: unknown) {
  const calls: Call[] = [];
  const api = new BoardApi(async (url, init) => {
    calls.push({ url, init });
    const text = typeof body === "string" ? body : JSON.stringify(body);
    return { ok: status >= 200 && status < 300, status, text: async () => text };
  });
  return { api, calls };
}

const header = (c: Call, name: string) => (c.init.headers as Record<string, string>)[name];

describe("BoardApi", () => {
  it("creates a board with the person's name and reads the membership (API-1)", async () => {
    const { api, calls } = fake(201, {
      board_id: "B1", owner_invite: "t1.inv", member_token: "t1.mem", member_id: "m1", name: "Ada", role: "owner", title: "T", kind: "discovery",
    });
    const g = await api.createBoard({ title: "T", kind: "discovery", template: BoardTemplate.RETRO, name: "Ada" });
    expect(calls[0].url).toBe("/api/boards");
    expect(calls[0].init.method).toBe("POST");
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ title: "T", kind: "discovery", template: "retro", name: "Ada" });
    expect(header(calls[0], "Authorization")).toBeUndefined();
    expect(g).toMatchObject({ boardId: "B1", memberToken: "t1.mem", memberId: "m1", name: "Ada", role: "owner", ownerInvite: "t1.inv" });
  });

  it("sends the admin token when given one, and reports a 403 with the server's text", async () => {
    const { api, calls } = fake(403, { error: "creating boards needs the admin token" });
    const err = await api.createBoard({ title: "T", kind: "backlog", name: "Ada" }, "t1.admin").catch((e) => e);
    expect(header(calls[0], "Authorization")).toBe("Bearer t1.admin");
    expect(JSON.parse(String(calls[0].init.body)).template).toBe("blank");
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(403);
    expect(err.message).toBe("creating boards needs the admin token");
  });

  it("redeems an invite in the body, not the URL (API-2), and reports 401", async () => {
    const ok = fake(200, { board_id: "B1", member_token: "t1.m", member_id: "m2", name: "Bo", role: "viewer" });
    const g = await ok.api.redeem("B1", "t1.invite", "Bo");
    expect(ok.calls[0].url).toBe("/api/boards/B1/members");
    expect(ok.calls[0].url).not.toContain("t1.invite");
    expect(JSON.parse(String(ok.calls[0].init.body))).toEqual({ invite: "t1.invite", name: "Bo" });
    expect(g.role).toBe("viewer");
    const bad = fake(401, { error: "unauthorized" });
    await expect(bad.api.redeem("B1", "x", "Bo")).rejects.toMatchObject({ status: 401 });
  });

  it("lists, creates and revokes invites with the member token in the header (API-4)", async () => {
    const inv = { nonce: "n1", role: "editor", expires_ms: 0, created_ms: 5, created_by: "m1", label: "team", revoked: false, token: "t1.i" };
    const list = fake(200, { invites: [inv] });
    expect(await list.api.listInvites("B1", "t1.mem")).toEqual([
      { nonce: "n1", role: "editor", expiresMs: 0, createdMs: 5, createdBy: "m1", label: "team", revoked: false, token: "t1.i" },
    ]);
    expect(list.calls[0]).toMatchObject({ url: "/api/boards/B1/invites", init: { method: "GET" } });
    expect(header(list.calls[0], "Authorization")).toBe("Bearer t1.mem");
    const made = fake(201, inv);
    await made.api.createInvite("B1", "t1.mem", { role: "viewer", expiresInS: 86400, label: "" });
    expect(JSON.parse(String(made.calls[0].init.body))).toEqual({ role: "viewer", expires_in_s: 86400, label: "" });
    const gone = fake(200, { revoked: true });
    await gone.api.revokeInvite("B1", "t1.mem", "n1");
    expect(gone.calls[0]).toMatchObject({ url: "/api/boards/B1/invites/n1", init: { method: "DELETE" } });
  });

  it("turns a network failure and a non-JSON error page into ApiErrors", async () => {
    const down = new BoardApi(async () => {
      throw new TypeError("Failed to fetch");
    });
    await expect(down.listInvites("B1", "t")).rejects.toMatchObject({ status: 0, message: "Could not reach the server" });
    const proxy = fake(502, "<html>Bad gateway</html>");
    await expect(proxy.api.listInvites("B1", "t")).rejects.toMatchObject({ status: 502, message: "HTTP 502" });
  });
});

describe("links and roles", () => {
  it("makes full invite links and knows which are active", () => {
    expect(inviteLink("http://h:1", "B1", "t1.a.b")).toBe("http://h:1/b/B1?invite=t1.a.b");
    const i = { nonce: "n", role: "viewer" as const, expiresMs: 0, createdMs: 0, createdBy: "", label: "", revoked: false, token: "" };
    expect(isActive(i, 100)).toBe(true);
    expect(isActive({ ...i, revoked: true }, 100)).toBe(false);
    expect(isActive({ ...i, expiresMs: 50 }, 100)).toBe(false);
    expect(isActive({ ...i, expiresMs: 150 }, 100)).toBe(true);
  });

  it("maps role names and what each may mint (ROLE-5, ROLE-6)", () => {
    expect(roleOf("facilitator")).toBe(Role.FACILITATOR);
    expect(roleOf("admin")).toBe(Role.UNSPECIFIED);
    expect(roleName(Role.VIEWER)).toBe("viewer");
    expect(mintableRoles(Role.EDITOR)).toEqual([]);
    expect(mintableRoles(Role.FACILITATOR)).toEqual(["viewer", "editor", "facilitator"]);
    expect(mintableRoles(Role.OWNER)).toEqual(["viewer", "editor", "facilitator", "owner"]);
  });
});
