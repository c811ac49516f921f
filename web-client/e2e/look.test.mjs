// The page's look and its words (issue 11), in Chromium against the real server, with
// two people: screenshots of the landing page, a discovery and a backlog board, the
// Share and the Promote dialogs at desktop and phone size; the toolbar's icon buttons
// named (aria-label) with tooltips; a hint toast not styled as an error; promoting to a
// backlog this browser never opened through a pasted invite link; the title renamed in
// place (ROLE-3) and seen by the other; the status pill while the server is down (the
// change is kept on this device) and after it returns (it was sent); named swatches.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { addNote, createBoard, DESKTOP, editor, harness, joinByLink, mintInvite, noErrors, note, online, OUT, PHONE, until, WAIT } from "./harness.mjs";

const statusText = (page) => page.textContent("[data-testid=status]");
const shot = (page, name) => page.screenshot({ path: join(OUT, `look-${name}.png`) });
const AXE = join(import.meta.dirname, "..", "node_modules", "axe-core", "axe.min.js");

/** axe-core's serious and critical findings inside `selector` (the chrome, not the canvas). */
async function axeProblems(page, selector) {
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async (sel) => {
    const r = await window.axe.run({ include: [...document.querySelectorAll(sel)] }, { resultTypes: ["violations"] });
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }, selector);
  return found;
}



/** Selects the note holding `text` (a click on its text). */
async function select(page, text) {
  await note(page, text).locator("[data-testid=note-text]").click();
  await page.locator("[data-testid=note].selected", { hasText: text }).waitFor({ timeout: WAIT });
}

describe("the page's look and words", () => {
  const h = harness();
  const { url, person } = h;

  for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
    it(`looks like a product at ${size} size: landing, boards, Share and Promote dialogs`, async () => {
      const p = await person(viewport);
      const { page } = p;
      await createBoard(page, url, { name: "Lena Look", title: "Q3 roadmap", button: "new-backlog" });
      await page.fill("[data-testid=new-item]", "Faster checkout");
      await page.keyboard.press("Enter");
      await page.locator("[data-testid=item]").first().waitFor({ timeout: WAIT });
      await shot(page, `backlog-${size}`);
      await createBoard(page, url, { name: "Lena Look", title: "Checkout discovery", button: "template-1" });
      await addNote(page, "People abandon at shipping costs");
      await shot(page, `discovery-${size}`);
      assert.deepEqual(await axeProblems(page, ".board-header, .toolbar"), [], "accessibility of the header and toolbar");

      await page.click("[data-testid=share]");
      await page.locator("[data-testid=invite][data-role=owner]").waitFor({ timeout: WAIT });
      await shot(page, `share-${size}`);
      assert.deepEqual(await axeProblems(page, "[data-testid=share-dialog]"), [], "accessibility of the Share dialog");
      await page.keyboard.press("Escape");
      await page.locator("[data-testid=share-dialog]").waitFor({ state: "detached", timeout: WAIT });

      await select(page, "People abandon");
      await page.click("[data-testid=promote]");
      const dialog = page.locator("[data-testid=promote-dialog]");
      await dialog.waitFor({ timeout: WAIT });
      // The backlog this browser made is offered by its title, never by an id.
      await dialog.locator("[data-testid=promote-choice]", { hasText: "Q3 roadmap" }).waitFor({ timeout: WAIT });
      assert.doesNotMatch(await dialog.textContent(), /\/b\/|[A-Za-z0-9_-]{20,}/, "no board id in the dialog");
      await shot(page, `promote-${size}`);
      assert.deepEqual(await axeProblems(page, "[data-testid=promote-dialog]"), [], "accessibility of the Promote dialog");
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "detached", timeout: WAIT });

      await page.goto(url("/"));
      await page.locator("[data-testid=your-board]", { hasText: "Q3 roadmap" }).waitFor({ timeout: WAIT });
      await page.screenshot({ path: join(OUT, `look-landing-${size}.png`), fullPage: true });
      assert.deepEqual(await axeProblems(page, "main"), [], "accessibility of the landing page");
      // Forget asks in the page (no browser prompt), and the board leaves the list.
      await page.locator("[data-testid=your-board]", { hasText: "Q3 roadmap" }).getByRole("button", { name: "Forget Q3 roadmap" }).click();
      await page.locator("[data-testid=forget-dialog]").waitFor({ timeout: WAIT });
      await page.click("[data-testid=forget-dialog-go]");
      await page.locator("[data-testid=your-board]", { hasText: "Q3 roadmap" }).waitFor({ state: "detached", timeout: WAIT });
      noErrors(p);
    });
  }

  it("names every toolbar button (aria-label, a tooltip with the action) and every colour swatch", async () => {
    const p = await person();
    const { page } = p;
    await createBoard(page, url, { name: "Tom Tools", title: "Toolbar check" });
    const buttons = await page.$$eval("[data-testid=tools] button", (bs) => bs.map((b) => ({
      label: b.getAttribute("aria-label"), tip: b.getAttribute("title"), svg: !!b.querySelector("svg"), text: b.textContent.trim(),
    })));
    assert.ok(buttons.length >= 12, `toolbar buttons: ${buttons.length}`);
    for (const b of buttons) {
      assert.ok(b.label, `a toolbar button without aria-label: ${JSON.stringify(b)}`);
      assert.ok(b.tip, `a toolbar button without tooltip: ${b.label}`);
      assert.doesNotMatch(b.text + b.label, /[●○↶↷⋮✎]/u, "no Unicode glyphs as icons");
    }
    const commands = buttons.filter((b) => b.svg);
    assert.ok(commands.length >= 7, "the commands are icon buttons");
    assert.match(buttons.find((b) => b.label === "Add a note").tip, /\(N\)/, "the tooltip names the shortcut");
    assert.match(buttons.find((b) => b.label === "Delete the selection").tip, /\(Delete\)/);
    const undo = page.locator("[data-testid=undo]");
    assert.equal(await undo.getAttribute("aria-label"), "Undo");
    assert.match(await undo.getAttribute("title"), /Ctrl\+Z/);
    assert.equal(await undo.locator("svg").count(), 1);
    assert.match(await page.locator("[data-testid=redo]").getAttribute("title"), /Ctrl\+Shift\+Z/);

    // Swatches: one distinct colour name each, the one used last pressed.
    const names = await page.$$eval("[data-testid=swatch]", (s) => s.map((b) => b.getAttribute("aria-label")));
    assert.deepEqual(names, ["Yellow", "Pink", "Green", "Blue", "Purple", "Orange"]);
    await addNote(page, "Colour me");
    await page.locator("[data-testid=note]", { hasText: "Colour me" }).locator("[data-testid=note-text]").click();
    await page.click("[data-testid=swatch][aria-label=Blue]");
    assert.equal(await page.getAttribute("[data-testid=swatch][aria-label=Blue]", "aria-pressed"), "true");
    assert.equal(await page.getAttribute("[data-testid=swatch][aria-label=Yellow]", "aria-pressed"), "false");
    await until(() => page.evaluate(() => [...window.tandem.view.objects.values()].some((o) => o.fields.get("color") === "#d6e6ff")), "the note turned blue");
    noErrors(p);
  });

  it("shows a hint as a hint, not as an error", async () => {
    const p = await person();
    const { page } = p;
    await createBoard(page, url, { name: "Hana Hint", title: "Hint check" });
    await page.click("[data-testid=connect]"); // nothing selected: a hint says what to do
    const toast = page.locator("[data-testid=toast]:not([hidden])");
    await toast.waitFor({ timeout: WAIT });
    assert.match(await toast.textContent(), /Select two/);
    assert.equal(await toast.getAttribute("data-kind"), "hint");
    assert.equal(await toast.getAttribute("role"), "status");
    const look = await toast.evaluate((el) => {
      const s = getComputedStyle(el);
      return { bg: s.backgroundColor, border: s.borderLeftColor };
    });
    const reddish = (c) => {
      const [r, g, b] = c.match(/\d+/g).map(Number);
      return r > 180 && g < 120 && b < 120;
    };
    assert.ok(!reddish(look.bg) && !reddish(look.border), `a hint looks like an error: ${JSON.stringify(look)}`);
    await page.screenshot({ path: join(OUT, "look-hint-toast.png") });
    noErrors(p);
  });

  it("promotes to a backlog Alice never opened, through the dialog and a pasted invite link", async () => {
    const alice = await person(), bob = await person();
    await createBoard(bob.page, url, { name: "Bob", title: "Team backlog", button: "new-backlog" });
    const link = await mintInvite(bob.page, "editor", "for discovery");
    await createBoard(alice.page, url, { name: "Alice", title: "Interviews" });
    await addNote(alice.page, "Let guests pay by wallet");
    await select(alice.page, "Let guests pay");
    await alice.page.click("[data-testid=promote]");
    const dialog = alice.page.locator("[data-testid=promote-dialog]");
    await dialog.locator("[data-testid=promote-none]").waitFor({ timeout: WAIT }); // no backlog known here
    // A wrong paste is explained in plain words.
    await dialog.locator("[data-testid=promote-link]").fill("hello");
    await dialog.locator("[data-testid=promote-go]").click();
    await dialog.locator("[data-testid=promote-error]:not([hidden])").waitFor({ timeout: WAIT });
    assert.match(await dialog.locator("[data-testid=promote-error]").textContent(), /Paste a link to a backlog/);
    await dialog.locator("[data-testid=promote-link]").fill(link);
    await dialog.locator("[data-testid=promote-go]").click();
    await dialog.waitFor({ state: "detached", timeout: WAIT });
    await note(alice.page, "Let guests pay").locator("[data-testid=promoted]").waitFor({ timeout: WAIT });
    await bob.page.locator("[data-testid=item-title]").first().waitFor({ timeout: WAIT });
    await until(() => bob.page.$$eval("[data-testid=item-title]", (els) => els.some((e) => e.value === "Let guests pay by wallet")), "Bob sees the promoted item");
    // Promoting it again is refused by the server (ALREADY_PROMOTED): an error, in plain words.
    await select(alice.page, "Let guests pay");
    await alice.page.click("[data-testid=promote]");
    await dialog.locator("[data-testid=promote-choice]", { hasText: "Team backlog" }).waitFor({ timeout: WAIT });
    await dialog.locator("[data-testid=promote-go]").click();
    const error = alice.page.locator("[data-testid=toast][data-kind=error]:not([hidden])");
    await error.waitFor({ timeout: WAIT });
    assert.equal(await error.locator("[data-testid=toast-text]").textContent(), "This note is already in a backlog");
    assert.equal(await error.getAttribute("role"), "alert");
    await alice.page.screenshot({ path: join(OUT, "look-error-toast.png") });
    // Alice's browser now knows the backlog: the next promote lists it by its title.
    await addNote(alice.page, "Remember the card");
    await select(alice.page, "Remember the card");
    await alice.page.click("[data-testid=promote]");
    await dialog.locator("[data-testid=promote-choice]", { hasText: "Team backlog" }).waitFor({ timeout: WAIT });
    await dialog.locator("[data-testid=promote-go]").click();
    await until(() => bob.page.$$eval("[data-testid=item-title]", (els) => els.some((e) => e.value === "Remember the card")), "the second promote");
    noErrors(alice, bob);
  });

  it("renames the title in place for the owner; Bob sees it and is not offered renaming", async () => {
    const alice = await person(), bob = await person();
    await createBoard(alice.page, url, { name: "Alice", title: "Draft title" });
    await joinByLink(bob.page, await mintInvite(alice.page, "editor"), "Bob");
    assert.equal(await bob.page.locator("[data-testid=rename]").count(), 0, "an editor may not rename (ROLE-3)");
    assert.equal(await bob.page.locator("[data-testid=board-title].renamable").count(), 0);
    await alice.page.locator("[data-testid=rename]").waitFor({ timeout: WAIT }); // the pencil shows it is editable
    await alice.page.click("[data-testid=board-title]"); // a plain click edits in place
    const input = alice.page.locator("[data-testid=board-title-input]");
    await input.fill("Something else");
    await input.press("Escape");
    assert.equal(await alice.page.textContent("[data-testid=board-title]"), "Draft title");
    await alice.page.click("[data-testid=rename]");
    await input.fill("Checkout interviews");
    await input.press("Enter");
    await bob.page.locator("[data-testid=board-title]", { hasText: "Checkout interviews" }).waitFor({ timeout: WAIT });
    noErrors(alice, bob);
  });

  it("says changes are kept on this device while the server is down, and that they were sent after", async () => {
    const alice = await person(), bob = await person();
    await createBoard(alice.page, url, { name: "Alice", title: "Restart check" });
    await joinByLink(bob.page, await mintInvite(alice.page, "editor"), "Bob");
    const port = h.server.port;
    await h.server.stop();
    await alice.page.locator('[data-testid=status]:not([data-status="online"])').waitFor({ timeout: WAIT });
    await until(async () => /changes are kept on this device/.test(await statusText(alice.page)), "the pill promises to keep changes");
    await addNote(alice.page, "Written while the server was down");
    await until(async () => /1 change kept on this device, sent when back online/.test(await statusText(alice.page)), "the pill counts the kept change");
    await alice.page.screenshot({ path: join(OUT, "look-offline-pill.png") });
    await h.server.start(port);
    await online(alice.page);
    await until(async () => /^Live · 1 change sent$/.test(await statusText(alice.page)), "the pill says it was sent");
    const toast = alice.page.locator("[data-testid=toast][data-kind=success]:not([hidden])");
    await toast.waitFor({ timeout: WAIT });
    assert.match(await toast.textContent(), /the change you made while away was sent/);
    await note(bob.page, "Written while the server was down").waitFor({ timeout: WAIT });
    await alice.page.screenshot({ path: join(OUT, "look-sent-pill.png") });
    noErrors(alice, bob);
  });
});
