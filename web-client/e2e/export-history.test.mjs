// End to end: export, import and history (SPEC EXPORT-*), two people on the real server.
// Alice makes notes and votes, exports the board as JSON and as a Markdown summary (the
// downloaded files are read back), imports the JSON as a new board and finds the same
// notes; on a backlog she exports a CSV and imports a small Jira CSV (columns a backlog
// has no place for are told). History: at an earlier point the board shows the notes
// it had then and nothing can be changed; Bob keeps editing live meanwhile and Alice's
// view of the past does not move until she does; restoring an earlier point opens a
// new board holding that state. Screenshots of the menu, the import dialog and history
// mode at desktop and phone size.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import {
  BOARD_URL, DESKTOP, OUT, PHONE, WAIT, addNote, createBoard, editor, harness, joinByLink, mintInvite, noErrors, note, notePoint, online, until,
} from "./harness.mjs";

const h = harness();
const { url, person } = h;

const seqOf = (page) => page.evaluate(() => Number(window.tandem.confirmed.seq));
const liveHas = (page, text) => page.evaluate((t) => [...window.tandem.view.objects.values()].some((o) => !o.deleted && o.fields.get("text") === t), text);
/** Live notes of the board history mode shows (its client, window.tandemHistory: culling may leave some out of the DOM). */
const pastNotes = (page) => page.evaluate(() => [...window.tandemHistory.view.objects.values()].filter((o) => !o.deleted && o.type === 1).length);
const notesShown = (page) => page.locator("[data-testid=note]").count();

/** Opens the board menu and picks an export; the downloaded file's text. */
async function exportAs(page, format) {
  await page.click("[data-testid=board-menu]");
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: WAIT }), page.click(`[data-testid=export-${format}]`)]);
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), "utf8") };
}

/** Imports `file` ({ name, mimeType, buffer }) from the landing page; resolves on the new board, live. */
async function importFile(page, file, { title = "", shot = "" } = {}) {
  await page.goto(url("/"));
  await page.click("[data-testid=import-board]");
  await page.locator("[data-testid=import-dialog]").waitFor({ timeout: WAIT });
  await page.setInputFiles("[data-testid=import-file]", file);
  await page.locator("[data-testid=import-file-name]", { hasText: file.name }).waitFor({ timeout: WAIT });
  if (title) await page.fill("[data-testid=import-title]", title);
  if (shot) await screenshots(page, shot);
  const before = page.url();
  await page.click("[data-testid=import-go]");
  await page.waitForURL((u) => BOARD_URL.test(u.pathname) && u.href !== before, { timeout: WAIT });
  await online(page);
}

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** Serious and critical WCAG 2 A/AA violations axe-core finds on the page (as a11y.test.mjs checks). */
async function axeProblems(page) {
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}x, e.g. ${v.nodes[0]?.target?.join(" ")})`);
}

/** A screenshot at desktop and at phone size (then back to desktop), each checked with axe. */
async function screenshots(page, name) {
  for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: join(OUT, `${name}-${size}.png`) });
    assert.deepEqual(await axeProblems(page), [], `${name} at ${size} size`);
  }
  await page.setViewportSize(DESKTOP);
}

/** Waits until the history bar shows the point it was asked for, read-only. */
const settled = (page) => page.locator("[data-testid=history-state][data-settled='1']").waitFor({ timeout: WAIT });

async function dotVote(page, text) {
  const p = await notePoint(page, text);
  await page.mouse.click(p.x, p.y);
  await page.click("[data-testid=vote]");
  await note(page, text).locator("[data-testid=votes]").waitFor({ timeout: WAIT });
}

describe("export, import and history", () => {
  let alice, bob, boardUrl;
  const seqs = {};

  it("Alice makes notes and votes; Bob joins as an editor", async () => {
    alice = await person();
    bob = await person();
    boardUrl = await createBoard(alice.page, url, { name: "Alice", title: "Launch retro" });
    seqs.empty = await seqOf(alice.page);
    await addNote(alice.page, "Alpha idea");
    seqs.alpha = await seqOf(alice.page);
    await addNote(alice.page, "Beta idea");
    await addNote(alice.page, "Gamma idea");
    await dotVote(alice.page, "Beta idea");
    seqs.voted = await seqOf(alice.page);
    await joinByLink(bob.page, await mintInvite(alice.page, "editor"), "Bob");
    await note(bob.page, "Gamma idea").waitFor({ timeout: WAIT });
  });

  it("exports the board as JSON and as a Markdown summary from the board menu", async () => {
    const a = alice.page;
    await a.click("[data-testid=board-menu]");
    await a.locator("[data-testid=export-markdown]").waitFor({ timeout: WAIT });
    assert.equal(await a.locator("[data-testid=export-csv]").count(), 0, "no CSV of a discovery board");
    await screenshots(a, "export-menu");
    await a.keyboard.press("Escape");
    await a.locator("[data-testid=board-menu-list]").waitFor({ state: "detached", timeout: WAIT });

    const json = await exportAs(a, "json");
    assert.match(json.name, /\.json$/);
    const x = JSON.parse(json.text);
    assert.equal(x.meta.title, "Launch retro");
    const texts = x.snapshot.objects.filter((o) => !o.deleted).flatMap((o) => o.fields.filter((f) => f.name === "text").map((f) => f.value.text));
    for (const t of ["Alpha idea", "Beta idea", "Gamma idea"]) assert.ok(texts.includes(t), `the export holds "${t}"`);
    assert.equal(x.snapshot.objects.filter((o) => o.type === "OBJECT_TYPE_VOTE" && !o.deleted).length, 1, "the vote is exported");
    h.exported = json;

    const md = await exportAs(a, "markdown");
    assert.match(md.name, /\.md$/);
    assert.match(md.text, /Launch retro/);
    for (const t of ["Alpha idea", "Beta idea", "Gamma idea"]) assert.ok(md.text.includes(t), `the summary lists "${t}"`);
    assert.ok(md.text.indexOf("Beta idea") < md.text.indexOf("Alpha idea"), "the voted note comes first");
    noErrors(alice);
  });

  it("imports the JSON export as a new board with the same notes", async () => {
    const a = alice.page;
    await importFile(a, { name: h.exported.name, mimeType: "application/json", buffer: Buffer.from(h.exported.text) },
      { title: "Launch retro, copy", shot: "import-dialog" });
    assert.notEqual(a.url(), boardUrl);
    for (const t of ["Alpha idea", "Beta idea", "Gamma idea"]) await note(a, t).waitFor({ timeout: WAIT });
    await note(a, "Beta idea").locator("[data-testid=votes]").waitFor({ timeout: WAIT });
    await until(async () => (await a.locator("[data-testid=board-title]").first().innerText()) === "Launch retro, copy", "the title given");
    // The new board is Alice's: it is in her list.
    await a.goto(url("/"));
    await a.locator("[data-testid=your-board]", { hasText: "Launch retro, copy" }).waitFor({ timeout: WAIT });
  });

  it("tells why a broken file was refused, and makes no board", async () => {
    const a = alice.page;
    await a.goto(url("/"));
    const boards = await a.locator("[data-testid=your-board]").count();
    await a.click("[data-testid=import-board]");
    await a.setInputFiles("[data-testid=import-file]", { name: "broken.json", mimeType: "application/json", buffer: Buffer.from("{ not json") });
    await a.click("[data-testid=import-go]");
    const err = a.locator("[data-testid=import-error]");
    await err.waitFor({ timeout: WAIT });
    assert.match(await err.innerText(), /^Could not import this file/);
    assert.equal(new URL(a.url()).pathname, "/");
    await a.click("[data-testid=import-dialog-close]");
    assert.equal(await a.locator("[data-testid=your-board]").count(), boards);
  });

  it("history shows the board as it was, read-only, while Bob edits live", async () => {
    const a = alice.page, b = bob.page;
    await a.goto(boardUrl);
    await online(a);
    await note(a, "Gamma idea").waitFor({ timeout: WAIT });
    await a.click("[data-testid=board-menu]");
    await a.click("[data-testid=menu-history]");
    await a.locator("[data-testid=history-bar]").waitFor({ timeout: WAIT });
    await settled(a);
    const slider = a.locator("[data-testid=history-slider]");
    assert.equal(Number(await slider.getAttribute("max")), await seqOf(a));
    // Back to the point right after the first note, by keyboard: Home, then Right until there.
    await slider.focus();
    await a.keyboard.press("Home");
    const first = Number(await slider.inputValue());
    for (let s = first; s < seqs.alpha; s++) await a.keyboard.press("ArrowRight");
    assert.equal(Number(await slider.inputValue()), seqs.alpha);
    await settled(a);
    await until(async () => (await pastNotes(a)) === 1, "one note at that point");
    assert.equal(await notesShown(a), 1);
    await note(a, "Alpha idea").waitFor({ timeout: WAIT });
    assert.match(await a.locator("[data-testid=history-time]").innerText(), /^Today \d\d:\d\d$/);

    // Nothing can be changed: no tools, no editor on a double-click, Delete deletes nothing, no undo.
    assert.equal(await a.locator("[data-testid=add-note]").isVisible(), false);
    assert.equal(await a.locator("[data-testid=undo]").isVisible(), false);
    const p = await notePoint(a, "Alpha idea");
    await a.mouse.dblclick(p.x, p.y);
    await a.keyboard.press("Delete");
    await a.keyboard.press("Control+z");
    assert.equal(await editor(a).count(), 0, "no editor opens in history");
    assert.equal(await a.evaluate(() => window.tandem.pendingCount), 0, "nothing was sent");
    assert.equal(await pastNotes(a), 1);
    await screenshots(a, "history-mode");

    // Bob adds a note live: Alice's client gets it, her view of the past stays put.
    await addNote(b, "Delta live");
    await until(() => liveHas(a, "Delta live"), "Alice's client receiving Bob's note");
    await until(async () => Number(await slider.getAttribute("max")) === (await seqOf(a)), "the slider reaching the newest change");
    assert.equal(await pastNotes(a), 1, "the past does not move by itself");
    assert.equal(await note(a, "Delta live").count(), 0);
    // She moves to the newest point (End): Bob's note is there.
    await slider.focus();
    await a.keyboard.press("End");
    await settled(a);
    await until(async () => (await pastNotes(a)) === 4, "Bob's note at the newest point");
    await a.click("[data-testid=zoom-fit]");
    await note(a, "Delta live").waitFor({ timeout: WAIT });

    // Back to live: the live board, editable again.
    await a.click("[data-testid=history-live]");
    await a.locator("[data-testid=history-bar]").waitFor({ state: "detached", timeout: WAIT });
    await a.locator("[data-testid=add-note]").waitFor({ timeout: WAIT });
    await addNote(a, "Epsilon after");
    await note(b, "Epsilon after").waitFor({ timeout: WAIT });
    noErrors(alice, bob);
  });

  it("restores an earlier point as a new board holding that state", async () => {
    const a = alice.page;
    await a.click("[data-testid=board-menu]");
    await a.click("[data-testid=menu-history]");
    await settled(a);
    await a.locator("[data-testid=history-slider]").fill(String(seqs.voted));
    await settled(a);
    await until(async () => (await pastNotes(a)) === 3, "three notes at that point");
    await a.click("[data-testid=history-restore]");
    await a.locator("[data-testid=restore-dialog]").waitFor({ timeout: WAIT });
    await screenshots(a, "history-restore");
    await a.fill("[data-testid=restore-title]", "Retro as voted");
    await a.click("[data-testid=restore-go]");
    await a.waitForURL((u) => BOARD_URL.test(u.pathname) && u.href !== boardUrl, { timeout: WAIT });
    await online(a);
    for (const t of ["Alpha idea", "Beta idea", "Gamma idea"]) await note(a, t).waitFor({ timeout: WAIT });
    await note(a, "Beta idea").locator("[data-testid=votes]").waitFor({ timeout: WAIT });
    assert.equal(await a.evaluate(() => [...window.tandem.view.objects.values()].filter((o) => !o.deleted && o.type === 1).length), 3, "nothing after that point");
    await until(() => a.evaluate(() => window.tandem.view.title === "Retro as voted"), "the new board's title");
    noErrors(alice);
  });

  it("exports a backlog as CSV and imports a Jira CSV, telling the columns left out", async () => {
    const a = alice.page;
    await createBoard(a, url, { name: "Alice", title: "Q3 backlog", button: "new-backlog" });
    for (const t of ["First item", "Second, with a comma", "Third \"quoted\""]) {
      await a.fill("[data-testid=new-item]", t);
      await a.press("[data-testid=new-item]", "Enter");
    }
    await until(async () => (await a.locator("[data-testid=item]").count()) === 3, "three items");
    await a.click("[data-testid=board-menu]");
    assert.equal(await a.locator("[data-testid=export-markdown]").count(), 0, "no Markdown summary of a backlog");
    await a.keyboard.press("Escape");
    const csv = await exportAs(a, "csv");
    assert.match(csv.name, /\.csv$/);
    const lines = csv.text.replace(/^\uFEFF/, "").trim().split(/\r?\n/);
    assert.match(lines[0].toLowerCase(), /title/);
    assert.ok(lines.findIndex((l) => l.includes("First item")) < lines.findIndex((l) => l.includes("\"Second, with a comma\"")), "in the backlog's order, quoted");
    assert.ok(csv.text.includes("\"Third \"\"quoted\"\"\""), "quotes doubled (RFC 4180)");

    const jira = [
      "Summary,Issue key,Issue Type,Status,Priority,Custom field (Story Points),Sprint,Labels,Labels,Description",
      "Sign-up page,PROJ-1,Story,To Do,High,3,Sprint 7,web,growth,\"Email and password, then a welcome\"",
      "Password reset,PROJ-2,Story,In Progress,Medium,2,Sprint 7,web,,",
      "Audit log,PROJ-3,Task,Done,Low,5,Sprint 6,,,\"Who did what, when\"",
    ].join("\r\n");
    await importFile(a, { name: "jira-export.csv", mimeType: "text/csv", buffer: Buffer.from("\uFEFF" + jira) }, { title: "From Jira" });
    await until(async () => (await a.locator("[data-testid=item]").count()) === 3, "the three Jira issues");
    const titles = await a.locator("[data-testid=item-title]").evaluateAll((els) => els.map((e) => e.value ?? e.textContent));
    assert.deepEqual(titles.map((t) => t.trim()), ["Sign-up page", "Password reset", "Audit log"], "in the file's order");
    const toast = a.locator("[data-testid=toast-text]");
    await until(async () => /left out: .*Sprint/.test(await toast.innerText()), "the toast naming the columns left out");
    await screenshots(a, "import-jira-backlog");
    noErrors(alice);
  });
});
