// What the end-to-end tests share: the real server (TANDEM_BIN) on a fresh data
// folder, Debian's Chromium through playwright-core (never a downloaded browser),
// one browser context per person, and the steps every test repeats: creating a
// board on the landing page, minting an invite link, joining by one.
import { execFileSync, spawn } from "node:child_process";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
export const BIN = process.env.TANDEM_BIN ?? join(root, "build", "server", "tandem");
export const OUT = process.env.TANDEM_E2E_OUT ?? join(root, "build", "e2e-screenshots");
// TANDEM_WEB_ROOT: another build of the page (e.g. `vite build --outDir DIR`).
const WEB_ROOT = process.env.TANDEM_WEB_ROOT ?? join(root, "web-client", "dist");
export const WAIT = 15000; // ms: the longest any one step may take
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export const BOARD_URL = /\/b\/[A-Za-z0-9_-]+$/; // a board, with no query left (no ?invite=)

/** A server on its own data folder; `args` are extra flags (e.g. --create-boards admin). */
export class Server {
  constructor(args = [], bin = BIN) {
    this.args = args;
    this.bin = bin;
    this.data = mkdtempSync(join(tmpdir(), "tandem-e2e-"));
    this.child = null;
    this.port = 0;
  }

  start(fixedPort = 0) {
    return new Promise((resolveStart, reject) => {
      const child = spawn(this.bin, ["--port", String(fixedPort), "--data", this.data, "--web-root", WEB_ROOT, ...this.args],
        { stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      const timer = setTimeout(() => reject(new Error("server did not start: " + out)), WAIT);
      child.stdout.on("data", (d) => {
        out += d;
        const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
        if (m && !this.child) {
          clearTimeout(timer);
          this.child = child;
          this.port = Number(m[1]);
          resolveStart(this);
        }
      });
      child.on("exit", (code) => reject(new Error(`server exited with ${code}: ${out}`)));
    });
  }

  stop() {
    return new Promise((resolveStop) => {
      const child = this.child;
      this.child = null;
      if (!child || child.exitCode !== null) return resolveStop();
      child.removeAllListeners("exit");
      child.on("exit", () => resolveStop());
      child.kill("SIGTERM");
    });
  }

  /** Restarts on the same port and data folder. */
  async restart() {
    const port = this.port;
    await this.stop();
    await this.start(port);
  }

  url(path) {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** The token that creates boards under --create-boards admin (`tandem admin-token`). */
  adminToken() {
    return execFileSync(BIN, ["admin-token", "--data", this.data], { encoding: "utf8" }).trim();
  }

  remove() {
    rmSync(this.data, { recursive: true, force: true });
  }
}

/** Starts a server and a browser before the file's tests, and ends both after. */
/** `bin`: another server binary (e.g. the test build with a failing disk on demand). */
export function harness(serverArgs = [], { bin = BIN } = {}) {
  const h = { server: new Server(serverArgs, bin), browser: null, contexts: [] };
  h.url = (path) => h.server.url(path);
  /** A person: a browser context of their own (own localStorage, so own memberships). */
  h.person = async (viewport = DESKTOP) => {
    const context = await h.browser.newContext({ viewport });
    h.contexts.push(context);
    const page = await context.newPage();
    const errors = []; // uncaught exceptions in the page: a test may assert there are none
    const unloads = []; // beforeunload prompts seen (accepted: leaving goes on)
    page.on("pageerror", (e) => {
      errors.push(e);
      console.error("page error:", e);
    });
    page.on("dialog", (d) => {
      // A listener turns Playwright's auto-dismiss off: answer every dialog. A dismissed
      // beforeunload would cancel the navigation, so it is accepted (and recorded).
      if (d.type() === "beforeunload") {
        unloads.push(d.message());
        d.accept().catch(() => {});
      } else d.dismiss().catch(() => {});
    });
    return { context, page, errors, unloads };
  };
  before(async () => {
    mkdirSync(OUT, { recursive: true });
    await h.server.start();
    h.browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
    });
  });
  after(async () => {
    for (const c of h.contexts) await c.close().catch(() => {});
    await h.browser?.close();
    await h.server.stop();
    h.server.remove();
  });
  return h;
}

export const online = (page) => page.locator('[data-testid=status][data-status="online"]').waitFor({ timeout: WAIT });

/**
 * Creates a board on the landing page as `name` (API-1) and waits until it is live.
 * `button`: the landing page's test id, "template-0".."template-4" or "new-backlog".
 */
export async function createBoard(page, url, { name, title, button = "template-0" }) {
  await page.goto(url("/"));
  await page.fill("[data-testid=user-name]", name);
  await page.fill("[data-testid=new-title]", title);
  await page.click(`[data-testid=${button}]`);
  await page.waitForURL(BOARD_URL, { timeout: WAIT });
  await online(page);
  return page.url();
}

/** An invite link for the board open in `page`, minted over the API with the page's own member token (API-4). */
export async function mintInvite(page, role, label = "e2e") {
  return page.evaluate(async ({ role, label }) => {
    const id = location.pathname.split("/")[2];
    const m = JSON.parse(localStorage.getItem("tandem:memberships"))[id];
    const r = await fetch(`/api/boards/${id}/invites`, {
      method: "POST",
      headers: { Authorization: `Bearer ${m.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ role, expires_in_s: 0, label }),
    });
    if (r.status !== 201) throw new Error(`mint ${role}: ${r.status} ${await r.text()}`);
    return `${location.origin}/b/${id}?invite=${(await r.json()).token}`;
  }, { role, label });
}

/** Opens an invite link, gives `name` in the join dialog, and waits until the board is live. */
export async function joinByLink(page, link, name) {
  await page.goto(link);
  await page.locator("[data-testid=join-dialog]").waitFor({ timeout: WAIT });
  await page.fill("[data-testid=join-name]", name);
  await page.click("[data-testid=join-go]");
  await page.waitForURL(BOARD_URL, { timeout: WAIT });
  await online(page);
}

/**
 * Counts the Submit messages a page sends over its WebSocket: a ClientMessage
 * whose first byte is the tag of field 2 (submit), length-delimited: 0x12.
 */
export function countSubmits(page) {
  const counter = { submits: 0, frames: 0 };
  page.on("websocket", (ws) => ws.on("framesent", (f) => {
    counter.frames++;
    const p = f.payload;
    if (typeof p !== "string" && p.length > 0 && p[0] === 0x12) counter.submits++;
  }));
  return counter;
}

/** Resolves with Date.now() at the first TCP connect that `port` accepts (polled every 5 ms). */
export async function portAnswers(port, timeout = WAIT) {
  const { connect } = await import("node:net");
  const end = Date.now() + timeout;
  for (;;) {
    const at = await new Promise((res) => {
      const s = connect({ host: "127.0.0.1", port }, () => {
        const t = Date.now();
        s.destroy();
        res(t);
      });
      s.on("error", () => res(null));
    });
    if (at !== null) return at;
    if (Date.now() > end) throw new Error(`port ${port} did not answer`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Opens `page`'s URL in a new page of its context with a copy of its sessionStorage:
 * what a browser's "Duplicate tab" gives (same origin storage and locks, a copy of
 * the session storage). `initScript` runs first in the new page, if given.
 */
export async function duplicateTab(page, initScript) {
  const copy = await page.evaluate(() => JSON.stringify(Object.entries(sessionStorage)));
  const dup = await page.context().newPage();
  dup.on("pageerror", (e) => console.error("page error:", e));
  if (initScript) await dup.addInitScript(initScript);
  await dup.addInitScript((entries) => {
    if (sessionStorage.length === 0) for (const [k, v] of JSON.parse(entries)) sessionStorage.setItem(k, v);
  }, copy);
  await dup.goto(page.url());
  return dup;
}

/**
 * Records every WebSocket frame `page` receives (binary payloads as Buffers), from now
 * on: attach before the page opens the board. `has(text)` says whether any frame held
 * the UTF-8 bytes of `text` (protobuf strings travel as plain UTF-8).
 */
export function recordReceived(page) {
  const frames = [];
  page.on("websocket", (ws) => ws.on("framereceived", (f) => frames.push(typeof f.payload === "string" ? Buffer.from(f.payload) : Buffer.from(f.payload))));
  return { frames, has: (text) => frames.some((b) => b.includes(Buffer.from(text, "utf8"))) };
}

/** Polls `check` (async, truthy when done) until it holds or `timeout` passes. */
export async function until(check, what, timeout = WAIT) {
  const end = Date.now() + timeout;
  for (;;) {
    const got = await check();
    if (got) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50)); // a polling interval, not a synchronisation
  }
}

/**
 * A point of the note holding `text` that a click reaches: not covered by another note
 * (notes may overlap) nor on one of its buttons. `top`: how far below the note's top edge
 * to start looking (past a header row of marks, for example).
 */
export async function notePoint(page, text, { top = 6 } = {}) {
  const el = page.locator("[data-testid=note]", { hasText: text }).first();
  await el.waitFor({ timeout: WAIT });
  const p = await el.evaluate((n, top) => {
    const r = n.getBoundingClientRect();
    for (let y = r.top + top; y < r.bottom - 6; y += 6)
      for (let x = r.left + 6; x < r.right - 14; x += 6) {
        const at = document.elementFromPoint(x, y);
        if (at?.closest("[data-testid=note]") === n && !at.closest("button")) return { x, y };
      }
    return null;
  }, top);
  if (!p) throw new Error(`no visible point of the note "${text}"`);
  return p;
}

/** The note holding `text`, and the note editor (canvas/editing.ts). */
export const note = (page, text) => page.locator("[data-testid=note]", { hasText: text });
export const editor = (page) => page.locator("[data-testid=note-editor]");

/** Adds a note of `text` with the toolbar's "+ Note" and waits until it is shown. */
export async function addNote(page, text) {
  await page.click("[data-testid=add-note]");
  await editor(page).fill(text);
  await page.keyboard.press("Enter");
  await editor(page).waitFor({ state: "detached", timeout: WAIT });
  await note(page, text).waitFor({ timeout: WAIT });
}

/** No uncaught exception in any of these people's pages. */
export function noErrors(...people) {
  for (const p of people) assert.deepEqual(p.errors.map(String), [], "an uncaught exception in the page");
}
