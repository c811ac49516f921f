// The transfer part of the HTTP API (SPEC EXPORT-*): export a board as a file, import
// one as a new board, read the board's state at a point of its log (history), and
// restore such a point as a new board. As in api.ts, the member token travels in
// `Authorization: Bearer`, never in a URL.
import { fromJson } from "@bufbuild/protobuf";
import type { BoardExport } from "../gen/board_pb";
import { BoardExportSchema } from "../gen/board_pb";
import type { Grant } from "./api";
import { ApiError } from "./api";
import type { BoardKindName } from "./memberships";
import { isRoleName } from "./roles";
import { apiText } from "../sync/rejectText";

export type ExportFormat = "json" | "markdown" | "csv";
export type ImportFormat = "json" | "csv";

/** What a board may be exported as: JSON always, a Markdown summary of discovery boards, a CSV of backlogs. */
export function exportFormats(kind: BoardKindName): ExportFormat[] {
  return kind === "backlog" ? ["json", "csv"] : ["json", "markdown"];
}

export const EXPORT_LABEL: Record<ExportFormat, string> = {
  json: "Whole board (JSON)",
  markdown: "Summary (Markdown)",
  csv: "Spreadsheet (CSV)",
};

const EXTENSION: Record<ExportFormat, string> = { json: "json", markdown: "md", csv: "csv" };

/**
 * The name to save a download under: the server's Content-Disposition (filename* or
 * filename), else the board's title; never a path, always the format's extension.
 */
export function downloadName(disposition: string | null, title: string, format: ExportFormat): string {
  let name = "";
  const star = disposition?.match(/filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/);
  const plain = disposition?.match(/filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/);
  try {
    if (star) name = decodeURIComponent(star[1].trim());
  } catch {
    name = "";
  }
  if (!name && plain) name = (plain[1] ?? plain[2] ?? "").replace(/\\(.)/g, "$1").trim();
  if (!name) name = title.trim() || "board";
  name = name.replace(/[/\\\u0000-\u001f\u007f]+/g, " ").replace(/^[.\s]+/, "").trim() || "board";
  const ext = "." + EXTENSION[format];
  return name.toLowerCase().endsWith(ext) ? name : name + ext;
}

/** Which import a file is, from its name (then its type): null when neither JSON nor CSV. */
export function importFormatOf(fileName: string, type = ""): ImportFormat | null {
  const n = fileName.toLowerCase();
  if (n.endsWith(".json")) return "json";
  if (n.endsWith(".csv")) return "csv";
  if (/json/.test(type)) return "json";
  if (/csv/.test(type)) return "csv";
  return null;
}

export const IMPORT_MAX_BYTES = 16 * 1024 * 1024; // the server's limit for this path (EXPORT-*)

/** Why `f` cannot be imported, or null with its format. */
export function fileProblem(f: { name: string; type: string; size: number }): { problem: string } | { format: ImportFormat } {
  const format = importFormatOf(f.name, f.type);
  if (!format) return { problem: "Choose a .json file exported from Tandem, or a .csv of a backlog" };
  if (f.size === 0) return { problem: "This file is empty" };
  if (f.size > IMPORT_MAX_BYTES) return { problem: "This file is too large: at most 16 MB" };
  return { format };
}

/** A new board made by an import or a restore: the membership, and the CSV columns left out. */
export interface Imported extends Grant {
  skippedColumns: string[];
}

/** The file of an export. */
export interface Download {
  blob: Blob;
  name: string;
}

interface ResponseLike {
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  blob(): Promise<Blob>;
}
type FetchLike = (url: string, init: RequestInit) => Promise<ResponseLike>;

export class TransferApi {
  constructor(
    private readonly fetchFn: FetchLike = (u, i) => fetch(u, i),
    private readonly base = "", // same origin
  ) {}

  /** GET /api/boards/{id}/export: the file, to be saved under `name`. */
  async exportBoard(boardId: string, token: string, format: ExportFormat, title: string): Promise<Download> {
    const res = await this.send(`/api/boards/${encodeURIComponent(boardId)}/export?format=${format}`, { method: "GET", headers: auth(token) });
    return { blob: await res.blob(), name: downloadName(res.headers.get("Content-Disposition"), title, format) };
  }

  /**
   * POST /api/boards/import: a new board from a file. No member token: creating boards is
   * open, or needs the admin token (API-1). `name`: who the importer is on the new board.
   */
  async importBoard(file: Blob, format: ImportFormat, opts: { title?: string; name?: string; adminToken?: string } = {}): Promise<Imported> {
    const q = new URLSearchParams({ format });
    if (opts.title?.trim()) q.set("title", opts.title.trim());
    if (opts.name?.trim()) q.set("name", opts.name.trim());
    const headers: Record<string, string> = { "Content-Type": format === "json" ? "application/json" : "text/csv" };
    if (opts.adminToken) headers.Authorization = `Bearer ${opts.adminToken}`;
    const res = await this.send(`/api/boards/import?${q}`, { method: "POST", headers, body: file });
    return imported(await json(res), opts.name);
  }

  /** GET /api/boards/{id}/history: the board as it was at `seq` (the newest when undefined). */
  async history(boardId: string, token: string, seq?: bigint, signal?: AbortSignal): Promise<BoardExport> {
    const q = seq === undefined ? "" : `?seq=${seq}`;
    const res = await this.send(`/api/boards/${encodeURIComponent(boardId)}/history${q}`, { method: "GET", headers: auth(token), signal });
    try {
      return fromJson(BoardExportSchema, (await json(res)) as never, { ignoreUnknownFields: true });
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw new ApiError(res.status, "The server's answer was not a board");
    }
  }

  /** POST /api/boards/{id}/restore: a new board holding the state at `seq`. */
  async restore(boardId: string, token: string, seq: bigint, title: string, name?: string): Promise<Imported> {
    const res = await this.send(`/api/boards/${encodeURIComponent(boardId)}/restore`, {
      method: "POST", headers: { ...auth(token), "Content-Type": "application/json" },
      body: JSON.stringify(name ? { seq: Number(seq), title, name } : { seq: Number(seq), title }),
    });
    return imported(await json(res), name);
  }

  private async send(path: string, init: RequestInit): Promise<ResponseLike> {
    let res: ResponseLike;
    try {
      res = await this.fetchFn(this.base + path, init);
    } catch (e) {
      if ((e as { name?: string })?.name === "AbortError") throw e;
      throw new ApiError(0, "Could not reach the server");
    }
    if (!res.ok) {
      const text = await res.text().catch(() => "");
      let err: unknown;
      try {
        err = (JSON.parse(text) as { error?: unknown }).error;
      } catch {
        /* not JSON: a proxy's error page */
      }
      throw new ApiError(res.status, typeof err === "string" && err ? err : `HTTP ${res.status}`);
    }
    return res;
  }
}

/**
 * A failed transfer for an action ("import the file"): the server's own reason when it
 * refused what was sent (400, 413: what is wrong with the file), else apiText's words.
 */
export function transferText(e: unknown, action: string): string {
  const status = e instanceof ApiError ? e.status : 0;
  if ((status === 400 || status === 413) && e instanceof ApiError && e.message && !/^HTTP \d+$/.test(e.message)) {
    const why = e.message.trim().replace(/\.$/, "");
    return `Could not ${action}: ${/^[A-Z][a-z]/.test(why) ? why.charAt(0).toLowerCase() + why.slice(1) : why}`;
  }
  if (status === 413) return `Could not ${action}: the file is too large`;
  return apiText(status, action);
}

const auth = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });

async function json(res: ResponseLike): Promise<unknown> {
  try {
    return JSON.parse(await res.text());
  } catch {
    throw new ApiError(res.status, "The server's answer was not JSON");
  }
}

/** API-1's body (plus skipped_columns for a CSV import) as a membership. */
export function imported(j: unknown, name = ""): Imported {
  const o = (j ?? {}) as Record<string, unknown>;
  const token = typeof o.member_token === "string" ? o.member_token : typeof o.token === "string" ? o.token : "";
  if (typeof o.board_id !== "string" || !o.board_id || !token) throw new ApiError(201, "The server's answer lacks the new board");
  const skipped = Array.isArray(o.skipped_columns) ? o.skipped_columns.filter((c): c is string => typeof c === "string") : [];
  return {
    boardId: o.board_id, memberToken: token,
    memberId: typeof o.member_id === "string" ? o.member_id : "",
    name: typeof o.name === "string" && o.name ? o.name : name,
    role: isRoleName(o.role) ? o.role : "owner",
    title: typeof o.title === "string" ? o.title : undefined,
    kind: o.kind === "backlog" || o.kind === "discovery" ? o.kind : undefined,
    ownerInvite: typeof o.owner_invite === "string" ? o.owner_invite : undefined,
    skippedColumns: skipped,
  };
}

/** Saves `d` through a temporary link (the token stayed in the request's header). */
export function saveDownload(d: Download): void {
  const url = URL.createObjectURL(d.blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = d.name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000); // after the browser took the file
}

export const transfer = new TransferApi();
