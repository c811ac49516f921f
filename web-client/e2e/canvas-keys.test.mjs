// End to end: the discovery canvas's keyboard (src/canvas/keyboard.ts), its clipboard
// (clipboard.ts) and what one sees of the others' selection (peerSelections.ts). Two
// people on the real server: Alice adds notes with N, copies and pastes them, duplicates,
// selects all, clears, nudges with the arrows; Bob sees every change. "?" lists the
// shortcuts. Bob comments on a note and selects it: Alice sees the count and an outline
// in Bob's colour with his name. Tab reaches a note, Enter edits it, Delete deletes it.
// No shortcut fires while typing in a note. Every step waits on a condition.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { createBoard, DESKTOP, editor, harness, joinByLink, mintInvite, noErrors, note, notePoint, OUT, PHONE, until, WAIT } from "./harness.mjs";

const h = harness();
const { url, person } = h;

const count = (page, text) => note(page, text).count();
const mod = "Control";

const clickNote = async (page, text) => {
  const p = await notePoint(page, text);
  await page.mouse.click(p.x, p.y);
};
/** A click on the canvas background (nothing selected, nothing focused), on a free spot near the middle. */
const clickBackground = async (page) => {
  const p = await page.evaluate(() => {
    const c = document.querySelector("[data-testid=canvas]");
    const r = c.getBoundingClientRect();
    for (let d = 0; d < Math.max(r.width, r.height) / 2; d += 20)
      for (const [x, y] of [[d, 0], [-d, 0], [0, d], [0, -d], [d, d], [-d, -d], [d, -d], [-d, d]]) {
        const px = r.left + r.width / 2 + x, py = r.top + r.height / 2 + y;
        const at = document.elementFromPoint(px, py);
        if (at === c || at?.dataset?.testid === "world") return { x: px, y: py };
      }
    return null;
  });
  assert.ok(p, "a free spot on the canvas");
  await page.mouse.click(p.x, p.y);
};
/** N, the text, Enter: a new note; waits until `other` sees it too. */
async function keyNote(page, text, other) {
  await clickBackground(page);
  await page.keyboard.press("n");
  await editor(page).waitFor({ timeout: WAIT });
  await page.keyboard.type(text);
  await page.keyboard.press("Enter");
  await editor(page).waitFor({ state: "detached", timeout: WAIT });
  await note(other, text).waitFor({ timeout: WAIT });
}
const selectedCount = (page) => page.locator(".obj.selected").count();

describe("keyboard and clipboard on the discovery canvas", () => {
  let alice, bob, viewerLink;

  it("sets up a board; N adds notes, and no shortcut fires while typing in one", async () => {
    alice = await person(DESKTOP);
    bob = await person(DESKTOP);
    await createBoard(alice.page, url, { name: "Alice", title: "Keys" });
    await joinByLink(bob.page, await mintInvite(alice.page, "editor"), "Bob");
    viewerLink = await mintInvite(alice.page, "viewer");
    const a = alice.page, b = bob.page;

    // In the editor every key is text: n, ?, Delete, arrows, Ctrl+A are the editor's own.
    await clickBackground(a);
    await a.keyboard.press("n");
    await editor(a).waitFor({ timeout: WAIT });
    await a.keyboard.type("Alpha n?");
    await a.keyboard.press("ArrowLeft");
    await a.keyboard.press("Delete"); // deletes the "?" in the text, not a note
    await a.keyboard.press(`${mod}+a`);
    await a.keyboard.press("ArrowRight");
    await a.keyboard.press("Backspace");
    await a.keyboard.press("Backspace"); // "Alpha"
    assert.equal(await editor(a).inputValue(), "Alpha");
    assert.equal(await a.locator("[data-testid=shortcut-help]").count(), 0, "? typed into the note opened no help");
    assert.equal(await a.locator("[data-testid=note-editor]").count(), 1, "n typed into the note opened no second note");
    await a.keyboard.press("Enter");
    await note(b, "Alpha").waitFor({ timeout: WAIT });
    await keyNote(a, "Beta", b);
    assert.equal(await count(b, "Alpha") + await count(b, "Beta"), 2);

    // Nor in the comment box: Bob types an n there and no note opens.
    await clickNote(b, "Beta");
    await b.fill("[data-testid=comment-input]", "");
    await b.locator("[data-testid=comment-input]").pressSequentially("no n here");
    assert.equal(await editor(b).count(), 0);
    await b.locator("[data-testid=comment-input]").fill("");
    noErrors(alice, bob);
  });

  it("Ctrl+C, Ctrl+V: two new notes with the same text, seen by Bob; Ctrl+D duplicates", async () => {
    const a = alice.page, b = bob.page;
    await clickNote(a, "Alpha");
    await a.keyboard.down("Shift");
    await clickNote(a, "Beta");
    await a.keyboard.up("Shift");
    assert.equal(await selectedCount(a), 2);
    await a.keyboard.press(`${mod}+c`);
    await a.keyboard.press(`${mod}+v`);
    await until(async () => (await count(b, "Alpha")) === 2 && (await count(b, "Beta")) === 2, "Bob sees the pasted notes");
    // The pasted copies are new objects, and they are what is selected now.
    const ids = await a.locator("[data-testid=note]").evaluateAll((els) => els.map((e) => e.dataset.id));
    assert.equal(new Set(ids).size, 4);
    const selected = await a.locator(".obj.selected").evaluateAll((els) => els.map((e) => e.dataset.id));
    assert.equal(selected.length, 2);
    await a.screenshot({ path: join(OUT, "keys-pasted.png") });

    await a.keyboard.press(`${mod}+d`);
    await until(async () => (await count(b, "Alpha")) === 3 && (await count(b, "Beta")) === 3, "Bob sees the duplicates");
    noErrors(alice, bob);
  });

  it("Ctrl+A selects everything, Escape clears it", async () => {
    const a = alice.page;
    await clickBackground(a);
    assert.equal(await selectedCount(a), 0);
    await a.keyboard.press(`${mod}+a`);
    const all = await a.locator(".obj").count();
    await until(async () => (await selectedCount(a)) === all && all >= 6, "everything selected");
    await a.keyboard.press("Escape");
    await until(async () => (await selectedCount(a)) === 0, "nothing selected");
  });

  it("arrow keys move the selected note (Shift: further); Bob sees the new place", async () => {
    const a = alice.page, b = bob.page;
    await keyNote(a, "Gamma", b);
    await clickNote(a, "Gamma");
    const id = await note(a, "Gamma").getAttribute("data-id");
    const at = (p) => p.locator(`[data-id="${id}"]`).evaluate((el) => [parseFloat(el.style.left), parseFloat(el.style.top)]);
    const [x, y] = await at(b);
    await a.keyboard.press("ArrowRight");
    await a.keyboard.press("Shift+ArrowDown");
    await until(async () => { const [nx, ny] = await at(b); return nx === x + 10 && ny === y + 50; }, "Bob sees the note moved 10 right, 50 down");
    noErrors(alice, bob);
  });

  it("? opens the list of shortcuts; Escape closes it", async () => {
    const a = alice.page;
    await clickBackground(a);
    await a.keyboard.press("?");
    const dialog = a.locator("[data-testid=shortcut-help]");
    await dialog.waitFor({ timeout: WAIT });
    for (const text of ["Copy the selection", "Duplicate the selection", "Add a note", "Select everything"]) await dialog.getByText(text).waitFor({ timeout: WAIT });
    await a.screenshot({ path: join(OUT, "keys-help-desktop.png") });
    await a.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached", timeout: WAIT });
  });

  it("Bob comments on a note and selects it: Alice sees the count and an outline in Bob's colour with his name", async () => {
    const a = alice.page, b = bob.page;
    await clickNote(b, "Gamma");
    await b.fill("[data-testid=comment-input]", "Worth a test");
    await b.keyboard.press("Enter");
    // His own panel shows it at once, and the box keeps the focus for the next one.
    await b.locator("[data-testid=comment]", { hasText: "Worth a test" }).waitFor({ timeout: WAIT });
    assert.equal(await b.evaluate(() => document.activeElement?.dataset.testid), "comment-input");
    const badge = note(a, "Gamma").locator("[data-testid=comments]");
    await badge.filter({ hasText: "1" }).waitFor({ timeout: WAIT });
    assert.equal(await badge.locator("svg").count(), 1, "an icon beside the count");
    assert.equal(await badge.getAttribute("title"), "1 comment");

    const id = await note(a, "Gamma").getAttribute("data-id");
    const outline = a.locator(`[data-testid=peer-selection][data-for="${id}"]`);
    await outline.waitFor({ timeout: WAIT });
    assert.equal(await outline.locator("span").textContent(), "Bob");
    assert.equal(await outline.locator("span").getAttribute("title"), "Selected by Bob");
    // In Bob's colour: the one his cursor has on Alice's page.
    await b.mouse.move(400, 400);
    await a.locator("[data-testid=cursor]", { hasText: "Bob" }).waitFor({ timeout: WAIT });
    const [mine, his] = await a.evaluate((id) => [
      getComputedStyle(document.querySelector(`[data-testid=peer-selection][data-for="${id}"]`)).borderTopColor,
      getComputedStyle(document.querySelector("[data-testid=cursor]")).backgroundColor,
    ], id);
    assert.equal(mine, his);
    await a.screenshot({ path: join(OUT, "keys-peer-selection-desktop.png") });

    // Bob clears his selection: the outline goes.
    await clickBackground(b);
    await outline.waitFor({ state: "detached", timeout: WAIT });
    noErrors(alice, bob);
  });

  it("Tab reaches a note (named by its text and author, with a focus ring); Enter edits it, Delete deletes it", async () => {
    const a = alice.page, b = bob.page;
    await clickBackground(a);
    const focusedNote = () => a.evaluate(() => {
      const el = document.activeElement;
      return el?.dataset?.testid === "note" ? { id: el.dataset.id, label: el.getAttribute("aria-label"), outline: getComputedStyle(el).outlineStyle } : null;
    });
    let got = null;
    for (let i = 0; i < 60 && !got; i++) {
      await a.keyboard.press("Tab");
      got = await focusedNote();
    }
    assert.ok(got, "Tab reaches a note");
    assert.match(got.label, /, note by Alice$/);
    assert.equal(got.outline, "solid", "a visible focus ring");
    await a.locator(`[data-id="${got.id}"].selected`).waitFor({ timeout: WAIT }); // focus selects it
    await a.screenshot({ path: join(OUT, "keys-focus-desktop.png") });

    await a.keyboard.press("Enter");
    await editor(a).waitFor({ timeout: WAIT });
    await editor(a).fill("Edited from the keyboard");
    await a.keyboard.press("Enter");
    await note(b, "Edited from the keyboard").waitFor({ timeout: WAIT });

    // The focus is back on the note: Tab goes on to the next one, Delete deletes it.
    await a.waitForFunction((id) => document.activeElement?.dataset?.id === id, got.id, { timeout: WAIT });
    await a.keyboard.press("Tab");
    const next = await focusedNote();
    assert.ok(next && next.id !== got.id, "Tab goes on to the next note");
    await a.locator(`[data-id="${next.id}"].selected`).waitFor({ timeout: WAIT });
    await a.keyboard.press("Delete");
    await b.locator(`[data-id="${next.id}"]`).waitFor({ state: "detached", timeout: WAIT });
    noErrors(alice, bob);
  });

  it("a paste of plain text makes a note of it; a copy pastes into another board of this browser", async () => {
    const a = alice.page, b = bob.page;
    await clickBackground(a);
    await a.evaluate(() => {
      const data = new DataTransfer();
      data.setData("text/plain", "Pasted from an email");
      document.body.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await note(b, "Pasted from an email").waitFor({ timeout: WAIT });

    await clickNote(a, "Gamma");
    await a.keyboard.press(`${mod}+c`);
    await createBoard(a, url, { name: "Alice", title: "Another board" });
    await clickBackground(a);
    await a.keyboard.press(`${mod}+v`);
    await note(a, "Gamma").waitFor({ timeout: WAIT });
    assert.equal(await count(a, "Gamma"), 1);
    noErrors(alice, bob);
  });

  it("looks right on a phone", async () => {
    const carol = await person(PHONE);
    await joinByLink(carol.page, viewerLink, "Carol");
    await clickNote(bob.page, "Gamma");
    await carol.page.locator("[data-testid=peer-selection]").first().waitFor({ timeout: WAIT });
    await carol.page.screenshot({ path: join(OUT, "keys-phone.png") });
    await carol.page.keyboard.press("?");
    await carol.page.locator("[data-testid=shortcut-help]").waitFor({ timeout: WAIT });
    // A viewer is shown only what a viewer can do.
    await carol.page.locator("[data-testid=shortcut-help]").getByText("Copy the selection").waitFor({ timeout: WAIT });
    assert.equal(await carol.page.locator("[data-testid=shortcut-help]").getByText("Add a note").count(), 0);
    await carol.page.screenshot({ path: join(OUT, "keys-help-phone.png") });
    noErrors(alice, bob, carol);
  });
});
