// End to end: undo that restores (protocol/SPEC.md MODEL-9). Two people on the real
// server: Alice votes and comments on a note and connects it to another; Bob sees it.
// Alice deletes the note and undoes (Ctrl+Z, then the header's Undo button): both see
// the same note (same id) back with its vote, comment, connector and Alice as author.
// Redo (Ctrl+Shift+Z) deletes it again for both. Every step waits on a condition.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { addNote, createBoard, DESKTOP, editor, harness, joinByLink, mintInvite, noErrors, note, notePoint, OUT, PHONE, WAIT } from "./harness.mjs";

const h = harness();
const { url, person } = h;

const clickNote = async (page, text, modifiers = []) => {
  const p = await notePoint(page, text);
  for (const m of modifiers) await page.keyboard.down(m);
  await page.mouse.click(p.x, p.y);
  for (const m of modifiers) await page.keyboard.up(m);
};


/** `page` shows note `text` as `id`, with one vote, one comment, its connector `connector` and `author`. */
async function restored(page, text, { id, connector, author }) {
  const n = page.locator(`[data-testid=note][data-id="${id}"]`);
  await n.waitFor({ timeout: WAIT });
  assert.equal(await n.locator("[data-testid=note-text]").textContent(), text);
  await n.locator("[data-testid=votes]", { hasText: "1" }).waitFor({ timeout: WAIT });
  await n.locator("[data-testid=comments]", { hasText: "1" }).waitFor({ timeout: WAIT });
  await n.locator("[data-testid=author]", { hasText: author }).waitFor({ timeout: WAIT });
  await page.locator(`[data-testid=connector][data-id="${connector}"]`).waitFor({ state: "attached", timeout: WAIT });
  assert.equal(await page.locator("[data-testid=note]", { hasText: text }).count(), 1, "one note, not a copy");
}

/** `page` shows neither the note `id` nor its connector. */
async function gone(page, id, connector) {
  await page.locator(`[data-testid=note][data-id="${id}"]`).waitFor({ state: "detached", timeout: WAIT });
  await page.locator(`[data-testid=connector][data-id="${connector}"]`).waitFor({ state: "detached", timeout: WAIT });
}


describe("undo of a delete restores the same note", () => {
  let alice, bob, id, connector;

  it("sets up: Alice votes, comments and connects a note; Bob sees it", async () => {
    alice = await person(DESKTOP);
    bob = await person(PHONE);
    const a = alice.page, b = bob.page;
    await createBoard(a, url, { name: "Alice", title: "Undo restores" });
    await addNote(a, "Keep this idea");
    await addNote(a, "Another idea");
    await joinByLink(b, await mintInvite(a, "editor"), "Bob");

    await clickNote(a, "Keep this idea");
    await a.click("[data-testid=vote]");
    await note(a, "Keep this idea").locator("[data-testid=votes]", { hasText: "1" }).waitFor({ timeout: WAIT });
    await a.fill("[data-testid=comment-input]", "Worth testing first");
    await a.keyboard.press("Enter");
    await note(a, "Keep this idea").locator("[data-testid=comments]", { hasText: "1" }).waitFor({ timeout: WAIT });
    await clickNote(a, "Keep this idea");
    await clickNote(a, "Another idea", ["Shift"]);
    await a.click("[data-testid=connect]");
    await a.locator("[data-testid=connector]").waitFor({ state: "attached", timeout: WAIT });

    id = await note(a, "Keep this idea").getAttribute("data-id");
    connector = await a.locator("[data-testid=connector]").getAttribute("data-id");
    assert.ok(id && connector);
    await restored(a, "Keep this idea", { id, connector, author: "Alice" });
    await restored(b, "Keep this idea", { id, connector, author: "Alice" });
  });

  it("Ctrl+Z after a delete brings back the same note, for both", async () => {
    const a = alice.page, b = bob.page;
    await clickNote(a, "Keep this idea");
    await a.click("[data-testid=delete]");
    await gone(a, id, connector);
    await gone(b, id, connector);
    await a.locator("[data-testid=canvas]").click({ position: { x: 600, y: 500 } }); // focus on the board, not a field
    await a.keyboard.press("Control+z");
    await restored(a, "Keep this idea", { id, connector, author: "Alice" });
    await restored(b, "Keep this idea", { id, connector, author: "Alice" });
    await a.screenshot({ path: join(OUT, "undo-restored-desktop.png") });
    await b.screenshot({ path: join(OUT, "undo-restored-phone.png") });
  });

  it("redo deletes it again for both; the Undo button brings it back again", async () => {
    const a = alice.page, b = bob.page;
    await a.keyboard.press("Control+Shift+z");
    await gone(a, id, connector);
    await gone(b, id, connector);
    await a.click("[data-testid=undo]");
    await restored(a, "Keep this idea", { id, connector, author: "Alice" });
    await restored(b, "Keep this idea", { id, connector, author: "Alice" });
    // Bob's comment panel on the restored note holds Alice's comment.
    await clickNote(b, "Keep this idea");
    await b.locator("[data-testid=comment]", { hasText: "Worth testing first" }).waitFor({ timeout: WAIT });
    await b.screenshot({ path: join(OUT, "undo-comment-phone.png") });
    noErrors(alice, bob);
  });
});
