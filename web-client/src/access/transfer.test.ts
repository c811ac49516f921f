// The transfer API client against a scripted fetch (SPEC EXPORT-*): the requests it
// makes (the member token in a header, never in the URL), the file name and format
// choices, how answers become a membership or a board, and how refusals read.
import { create, toJson } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { BoardExportSchema, BoardKind } from "../gen/board_pb";
import { ApiError } from "./api";
import { TransferApi, downloadName, exportFormats, importFormatOf, imported, transferText } from "./transfer";

interface Call {
  url: string;
  init: RequestInit;
}

function fake(status: number, body: unknown, headers: Record<string, string> = {}) {
  const calls: Call[] = [];
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const api = new TransferApi(async (url, init) => {
    calls.push({ url, init });
    return {
      ok: status >= 200 && status < 300, status,
      headers: { get: (n: string) => headers[n.toLowerCase()] ?? null },
      text: async () => text,
      blob: async () => new Blob([text]),
    };
  });
  return { api, calls };
}

const header = (c: Call, name: string) => (c.init.headers as Record<string, string>)[name];

describe("formats and file names", () => {
  it("offers JSON on every board, Markdown on discovery boards, CSV on backlogs", () => {
    expect(exportFormats("discovery")).toEqual(["json", "markdown"]);
    expect(exportFormats("backlog")).toEqual(["json", "csv"]);
  });

  it("takes the server's file name, else the title, always with the format's extension and no path", () => {
    expect(downloadName('attachment; filename="Retro 12.json"', "x", "json")).toBe("Retro 12.json");
    expect(downloadName("attachment; filename*=UTF-8''R%C3%A9tro.md; filename=\"Retro.md\"", "x", "markdown")).toBe("Rétro.md");
    expect(downloadName("attachment; filename=plain.csv", "x", "csv")).toBe("plain.csv");
    expect(downloadName(null, "Q3 backlog", "csv")).toBe("Q3 backlog.csv");
    expect(downloadName(null, "  ", "markdown")).toBe("board.md");
    expect(downloadName('attachment; filename="../../etc/passwd"', "x", "json")).toBe("etc passwd.json");
  });

  it("knows a file's import format from its name, then its type", () => {
    expect(importFormatOf("board.JSON")).toBe("json");
    expect(importFormatOf("jira-export.csv", "application/vnd.ms-excel")).toBe("csv");
    expect(importFormatOf("export", "text/csv")).toBe("csv");
    expect(importFormatOf("notes.txt", "text/plain")).toBeNull();
  });
});

describe("TransferApi", () => {
  it("exports with the member token in the header, not the URL", async () => {
    const { api, calls } = fake(200, "# Retro", { "content-disposition": 'attachment; filename="Retro.md"' });
    const d = await api.exportBoard("B1", "t1.secret", "markdown", "Retro");
    expect(calls[0].url).toBe("/api/boards/B1/export?format=markdown");
    expect(calls[0].url).not.toContain("t1.secret");
    expect(header(calls[0], "Authorization")).toBe("Bearer t1.secret");
    expect(d.name).toBe("Retro.md");
    expect(await d.blob.text()).toBe("# Retro");
  });

  it("imports the file as the body, with format, title and name in the query and no member token", async () => {
    const { api, calls } = fake(201, {
      board_id: "B2", member_token: "t1.m", member_id: "m1", name: "Ada", role: "owner", title: "Q3", kind: "backlog",
      owner_invite: "t1.i", skipped_columns: ["Assignee", "Sprint"],
    });
    const file = new Blob(["Summary,Assignee\nA,B\n"]);
    const g = await api.importBoard(file, "csv", { title: "Q3 plan", name: "Ada" });
    expect(calls[0].url).toBe("/api/boards/import?format=csv&title=Q3+plan&name=Ada");
    expect(calls[0].init.method).toBe("POST");
    expect(calls[0].init.body).toBe(file);
    expect(header(calls[0], "Content-Type")).toBe("text/csv");
    expect(header(calls[0], "Authorization")).toBeUndefined();
    expect(g).toMatchObject({ boardId: "B2", memberToken: "t1.m", role: "owner", kind: "backlog", skippedColumns: ["Assignee", "Sprint"] });
  });

  it("sends the admin token when given one and reports the server's reason for a bad file", async () => {
    const { api, calls } = fake(400, { error: "Row 3: estimate is not a number." });
    const err = await api.importBoard(new Blob(["x"]), "json", { adminToken: "t1.admin" }).catch((e) => e);
    expect(header(calls[0], "Authorization")).toBe("Bearer t1.admin");
    expect(header(calls[0], "Content-Type")).toBe("application/json");
    expect(err).toBeInstanceOf(ApiError);
    expect(transferText(err, "import this file")).toBe("Could not import this file: row 3: estimate is not a number");
  });

  it("reads a history answer as a BoardExport (protobuf's JSON mapping)", async () => {
    const x = create(BoardExportSchema, {
      format: 1, meta: { id: "B1", title: "T", kind: BoardKind.DISCOVERY }, headSeq: 40n, firstSeq: 1n, stateTimeMs: 1_700_000_000_000n,
      snapshot: { seq: 12n, objects: [{ id: "n1", type: 1, fields: [{ name: "text", value: { kind: { case: "text", value: "Hi" } } }] }] },
    });
    const { api, calls } = fake(200, toJson(BoardExportSchema, x));
    const got = await api.history("B1", "t1.m", 12n);
    expect(calls[0].url).toBe("/api/boards/B1/history?seq=12");
    expect(header(calls[0], "Authorization")).toBe("Bearer t1.m");
    expect(got.snapshot?.seq).toBe(12n);
    expect(got.headSeq).toBe(40n);
    expect(got.snapshot?.objects[0].fields[0].value?.kind).toEqual({ case: "text", value: "Hi" });
    const newest = fake(200, toJson(BoardExportSchema, x));
    await newest.api.history("B1", "t1.m");
    expect(newest.calls[0].url).toBe("/api/boards/B1/history");
  });

  it("restores a point as a new board: seq and title in the body", async () => {
    const { api, calls } = fake(201, { board_id: "B3", member_token: "t1.n", member_id: "m1", name: "Ada", role: "owner", title: "Old", kind: "discovery" });
    const g = await api.restore("B1", "t1.m", 7n, "Old", "Ada");
    expect(calls[0].url).toBe("/api/boards/B1/restore");
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ seq: 7, title: "Old", name: "Ada" });
    expect(g).toMatchObject({ boardId: "B3", memberToken: "t1.n", skippedColumns: [] });
  });

  it("turns an unreachable server, an error page and an answer without a board into plain words", async () => {
    const down = new TransferApi(async () => {
      throw new TypeError("Failed to fetch");
    });
    const e0 = await down.exportBoard("B1", "t", "json", "T").catch((e) => e);
    expect(transferText(e0, "export the board")).toMatch(/^Could not reach the server to export the board/);
    const proxy = await fake(502, "<html>Bad gateway</html>").api.exportBoard("B1", "t", "json", "T").catch((e) => e);
    expect(proxy.status).toBe(502);
    expect(transferText(proxy, "export the board")).toMatch(/server had a problem/);
    expect(transferText(new ApiError(403, "forbidden"), "export the board")).toMatch(/your role does not allow it/);
    expect(() => imported({ board_id: "B1" })).toThrow(ApiError);
    expect(imported({ board_id: "B1", token: "t1.x" }, "Ada")).toMatchObject({ memberToken: "t1.x", name: "Ada", role: "owner" });
  });
});

describe("choosing a file to import", () => {
  it("takes .json and .csv files up to the server's limit, and says what is wrong with others", async () => {
    const { fileProblem, IMPORT_MAX_BYTES } = await import("./transfer");
    expect(fileProblem({ name: "b.json", type: "", size: 10 })).toEqual({ format: "json" });
    expect(fileProblem({ name: "jira.csv", type: "text/csv", size: 10 })).toEqual({ format: "csv" });
    expect(fileProblem({ name: "b.png", type: "image/png", size: 10 })).toHaveProperty("problem");
    expect(fileProblem({ name: "b.csv", type: "", size: 0 })).toEqual({ problem: "This file is empty" });
    expect(fileProblem({ name: "b.csv", type: "", size: IMPORT_MAX_BYTES + 1 })).toEqual({ problem: "This file is too large: at most 16 MB" });
  });
});
