// The page's cost per remote frame, in Debian's Chromium (docs/PERFORMANCE.md, "In the
// page"): `npm run bench:page` (TANDEM_WEB_ROOT=DIR for another build of the page,
// TANDEM_BIN for another server; `--sizes 1000` to run one board size only).
//
// The real server, two browser contexts (Alice, Bob) on one discovery board of N notes
// (a vote on every 5th note, a comment on every 10th), Bob's viewport at its default.
// Measured IN BOB'S PAGE, per WebSocket message: from the message's arrival (a listener
// that runs before the client's own) to the end of every subscriber and of the
// microtasks they queued (a subscriber added last queues the end mark):
// - one remote change: Alice edits one note's text; mean over many, one at a time;
// - burst of 300: Alice submits 300 edits at once; from the first message's arrival to
//   the end of the message whose work applied and rendered the last (wall time: it
//   includes the waits for the server's frames), the script time of those messages
//   (their sum), and the longest main-thread task meanwhile (the longest message task,
//   or a 'longtask' entry, over 50 ms);
// - cursor update: Alice moves her cursor; per presence message.
// Each scenario runs 3 times (RUNS); printed: median and range (min – max), and the CPU
// that other processes used meanwhile (machine busy time from /proc/stat minus this
// process tree's: node, the server, Chromium).
import { readFileSync, readdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { Server, WAIT, createBoard, joinByLink, mintInvite } from "../e2e/harness.mjs";

const args = process.argv.slice(2);
const sizesArg = args.indexOf("--sizes");
const SIZES = sizesArg >= 0 ? args[sizesArg + 1].split(",").map(Number) : [1000, 10000];
const RUNS = 3;
const SINGLES = 40; // one remote change: changes per run
const CURSORS = 60; // cursor updates per run
const BURST = 300;
const COLS = 100;

// ---- CPU accounting -------------------------------------------------------------
const HZ = 100; // USER_HZ on Linux
function machineBusy() {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  return (f[0] + f[1] + f[2] + f[5] + f[6]) / HZ; // user nice system irq softirq (as bench/run3.sh)
}
/** CPU seconds of this process and all its descendants (live ones, from /proc). */
function treeCpu() {
  const kids = new Map();
  const stat = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, "utf8");
      const rest = s.slice(s.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(rest[1]);
      stat.set(Number(d), (Number(rest[11]) + Number(rest[12])) / HZ); // utime stime
      if (!kids.has(ppid)) kids.set(ppid, []);
      kids.get(ppid).push(Number(d));
    } catch { /* gone */ }
  }
  let total = 0;
  const todo = [process.pid];
  while (todo.length) {
    const p = todo.pop();
    total += stat.get(p) ?? 0;
    todo.push(...(kids.get(p) ?? []));
  }
  return total;
}
/** Measures `fn`, returning its result and the CPU seconds other processes used meanwhile. */
async function withOthers(fn) {
  const m0 = machineBusy(), t0 = treeCpu();
  const result = await fn();
  const others = machineBusy() - m0 - (treeCpu() - t0);
  return { result, others: Math.max(0, others) };
}

// ---- In Bob's page ------------------------------------------------------------
/** Init script: times every WebSocket message's task (before the client's own handler). */
function instrument() {
  const b = (window.__bench = { armed: false, t0: 0, end: 0, records: [], long: [], objects: 0, presence: 0 });
  const flush = () => {
    if (b.t0 && b.end && b.armed) b.records.push({ start: b.t0, end: b.end, ms: b.end - b.t0, objects: b.objects, presence: b.presence });
    b.t0 = b.end = b.objects = b.presence = 0;
  };
  b.flush = flush;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...a) {
      super(...a);
      this.addEventListener("message", () => {
        flush();
        b.t0 = performance.now();
      });
    }
  };
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (b.armed) b.long.push({ start: e.startTime, ms: e.duration }); })
      .observe({ type: "longtask", buffered: false });
  } catch { /* no longtask support */ }
}

/** After the page is live: a subscriber added last, marking the end of each message's work. */
function listen() {
  const b = window.__bench;
  window.tandem.subscribe((ch) => {
    if (!b.t0) return;
    b.objects += ch.objects.size;
    b.presence += ch.presence.size;
    b.end = performance.now();
    queueMicrotask(() => { if (b.t0) b.end = performance.now(); }); // after the microtasks subscribers queued
  });
}

// ---- Building the board (Alice's page) ----------------------------------------
async function addBoard(page, n) {
  await page.evaluate(({ n, COLS }) => {
    const text = (v) => ({ kind: { case: "text", value: v } });
    const numv = (v) => ({ kind: { case: "number", value: v } });
    const f = (o) => Object.entries(o).map(([name, value]) => ({ name, value }));
    const ops = [];
    for (let i = 0; i < n; i++) {
      const x = 400 + (i % COLS) * 200, y = 300 + Math.floor(i / COLS) * 150;
      ops.push({ kind: { case: "create", value: { id: `note-${i}`, type: 1, fields: f({ text: text(`n${i}`), color: text("#fff4b8"), x: numv(x), y: numv(y), width: numv(160), height: numv(120) }) } } });
      if (i % 5 === 0) ops.push({ kind: { case: "addVote", value: { id: `vote-${i}`, target: `note-${i}` } } });
      if (i % 10 === 0) ops.push({ kind: { case: "create", value: { id: `comment-${i}`, type: 5, fields: f({ target: text(`note-${i}`), text: text(`c${i}`) }) } } });
    }
    for (let i = 0; i < ops.length; i += 900) window.tandem.submit(ops.slice(i, i + 900), false);
  }, { n, COLS });
  await page.waitForFunction((n) => window.tandem.pending.length === 0 && window.tandem.view.objects.has(`note-${n - 1}`), n, { timeout: WAIT * 8 });
}

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toFixed(3));
function report(name, unit, runs) {
  const v = runs.map((r) => r.value), o = runs.map((r) => r.others);
  const s = [...v].sort((a, b) => a - b);
  console.log(`${name.padEnd(46)} ${fmt(median(v)).padStart(8)} ${unit.padEnd(9)} (range ${fmt(s[0])} – ${fmt(s[s.length - 1])})` +
    `   other CPU ${median(o).toFixed(2)} s (range ${Math.min(...o).toFixed(2)} – ${Math.max(...o).toFixed(2)})`);
}

async function scenarioSingle(alice, bob, i0) {
  await bob.evaluate(() => { window.__bench.records = []; window.__bench.armed = true; });
  for (let i = 0; i < SINGLES; i++) {
    const id = `note-${(i0 + i * 37) % 1000}`, text = `single ${i0}-${i}`;
    await alice.evaluate(({ id, text }) => window.tandem.submit([{ kind: { case: "update", value: { id, fields: [{ name: "text", value: { kind: { case: "text", value: text } } }] } } }]), { id, text });
    await bob.waitForFunction(({ id, text }) => window.tandem.view.objects.get(id)?.fields.get("text") === text, { id, text }, { timeout: WAIT });
  }
  const recs = await bob.evaluate(() => { const b = window.__bench; b.flush(); b.armed = false; return b.records.filter((r) => r.objects > 0); });
  return recs.reduce((s, r) => s + r.ms, 0) / recs.length;
}

async function scenarioBurst(alice, bob, n, run) {
  const ids = Array.from({ length: BURST }, (_, i) => `note-${Math.floor((i * n) / BURST + run) % n}`);
  const tag = `burst ${run}`;
  await bob.evaluate(({ ids, tag }) => {
    const b = window.__bench;
    b.records = []; b.long = []; b.armed = true; b.done = 0;
    const last = ids[ids.length - 1];
    b.unsub = window.tandem.subscribe(() => {
      // Alice's changes are sequenced in order: the last one applied means all are.
      if (!b.done && window.tandem.view.objects.get(last)?.fields.get("text") === `${tag} ${ids.length - 1}`) b.done = b.t0;
    });
  }, { ids, tag });
  await alice.evaluate(({ ids, tag }) => {
    ids.forEach((id, i) => window.tandem.submit([{ kind: { case: "update", value: { id, fields: [{ name: "text", value: { kind: { case: "text", value: `${tag} ${i}` } } }] } } }]));
  }, { ids, tag });
  await bob.waitForFunction(() => window.__bench.done, null, { timeout: WAIT * 4 });
  if (!(await bob.evaluate(({ ids, tag }) => ids.every((id, i) => window.tandem.view.objects.get(id)?.fields.get("text") === `${tag} ${i}`), { ids, tag })))
    throw new Error("Bob's page does not show the whole burst");
  return bob.evaluate(() => {
    const b = window.__bench;
    b.flush(); b.armed = false; b.unsub();
    const recs = b.records.filter((r) => r.objects > 0);
    const lastRec = recs.find((r) => r.start === b.done);
    const first = recs[0];
    return {
      total: lastRec.end - first.start,
      script: recs.filter((r) => r.start <= b.done).reduce((s, r) => s + r.ms, 0),
      messages: recs.filter((r) => r.start <= b.done).length,
      longest: Math.max(...recs.map((r) => r.ms), ...b.long.map((l) => l.ms)),
    };
  });
}

async function scenarioCursor(alice, bob) {
  await bob.evaluate(() => { window.__bench.records = []; window.__bench.armed = true; });
  for (let i = 0; i < CURSORS; i++) {
    const x = 500 + i, y = 400 + i;
    // Past the client's presence interval (33 ms), so each update goes out at once, not on a timer.
    await alice.evaluate(({ x, y }) => new Promise((r) => setTimeout(r, 40)).then(() => window.tandem.setPresence({ cursor: { x, y } })), { x, y });
    await bob.waitForFunction(({ x, y }) => [...window.tandem.peers.values()].some((p) => p.presence?.cursor?.x === x && p.presence?.cursor?.y === y), { x, y }, { timeout: WAIT });
  }
  const recs = await bob.evaluate(() => { const b = window.__bench; b.flush(); b.armed = false; return b.records.filter((r) => r.presence > 0 && r.objects === 0); });
  return recs.reduce((s, r) => s + r.ms, 0) / recs.length;
}

const server = new Server(["--durability", "wal"]);
await server.start();
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});
console.log(`chromium ${browser.version()}, node ${process.version}, ${RUNS} runs per scenario; web root ${process.env.TANDEM_WEB_ROOT ?? "web-client/dist"}`);
try {
  for (const n of SIZES) {
    const viewport = { width: 1280, height: 800 };
    const ctxA = await browser.newContext({ viewport }), ctxB = await browser.newContext({ viewport });
    const alice = await ctxA.newPage(), bob = await ctxB.newPage();
    for (const p of [alice, bob]) p.on("pageerror", (e) => console.error("page error:", e));
    await bob.addInitScript(instrument);
    const url = (path) => server.url(path);
    await createBoard(alice, url, { name: "Alice", title: `Bench ${n}` });
    await addBoard(alice, n);
    await joinByLink(bob, await mintInvite(alice, "editor"), "Bob");
    await bob.waitForFunction((n) => window.tandem.view.objects.has(`note-${n - 1}`), n, { timeout: WAIT * 4 });
    await bob.locator("[data-id=note-0]").waitFor({ timeout: WAIT });
    await bob.evaluate(listen);
    const shown = await bob.evaluate(() => document.querySelectorAll("[data-testid=note]").length);
    console.log(`\n${n} notes (+ ${n / 5} votes, ${n / 10} comments); ${shown} notes in Bob's DOM`);
    await scenarioSingle(alice, bob, 999); // warm-up
    const single = [], burst = [], burstScript = [], longest = [], cursor = [];
    for (let r = 0; r < RUNS; r++) {
      const s = await withOthers(() => scenarioSingle(alice, bob, r * 11));
      single.push({ value: s.result, others: s.others });
    }
    for (let r = 0; r < RUNS; r++) {
      const s = await withOthers(() => scenarioBurst(alice, bob, n, r));
      burst.push({ value: s.result.total, others: s.others });
      burstScript.push({ value: s.result.script, others: s.others });
      longest.push({ value: s.result.longest, others: s.others });
      console.log(`  burst run ${r + 1}: ${fmt(s.result.total)} ms to the last, ${fmt(s.result.script)} ms of script in ${s.result.messages} messages, longest task ${fmt(s.result.longest)} ms`);
    }
    await scenarioCursor(alice, bob); // warm-up
    for (let r = 0; r < RUNS; r++) {
      const s = await withOthers(() => scenarioCursor(alice, bob));
      cursor.push({ value: s.result, others: s.others });
    }
    report(`one remote change, ${n} notes`, "ms/change", single);
    report(`burst of ${BURST}, first arrival to last rendered`, "ms", burst);
    report(`  of which script (sum of message tasks)`, "ms", burstScript);
    report(`longest task in the burst`, "ms", longest);
    report(`cursor update`, "ms/update", cursor);
    await ctxA.close();
    await ctxB.close();
  }
} finally {
  await browser.close();
  await server.stop();
  server.remove();
}
