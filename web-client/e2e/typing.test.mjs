// End to end: typing is sacred. Two people (two browser contexts) on the real
// server: what one types is never lost, moved, committed early or deleted because of
// what the other does meanwhile. Bob types in a note while Alice votes on it, moves
// it and edits another note; Alice changes the very text Bob is typing (Bob keeps his
// draft, with a hint); Escape cancels; in a backlog, Bob types a title while Alice
// adds and drags items; a reload while typing gives the draft back and nobody ever
// sees an empty note. Every step waits on a condition, never on time. Any uncaught
// exception in either page fails the test.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { addNote, createBoard, editor, harness, joinByLink, mintInvite, noErrors, note, notePoint, online, OUT, WAIT } from "./harness.mjs";

const h = harness();
const { url, person } = h;

const dblclickNote = async (page, text) => {
  const p = await notePoint(page, text);
  await page.mouse.dblclick(p.x, p.y);
};
const clickNote = async (page, text) => {
  const p = await notePoint(page, text);
  await page.mouse.click(p.x, p.y);
};

/** The focused element is the note editor and holds `value`. */
async function stillTyping(page, value) {
  const got = await page.evaluate(() => {
    const a = document.activeElement;
    return { testid: a?.dataset?.testid ?? a?.tagName, value: a?.value };
  });
  assert.deepEqual(got, { testid: "note-editor", value });
}

/** Records, in the page, whether a note with no text is ever shown (window.__emptyNoteSeen). */
async function watchEmptyNotes(page) {
  await page.evaluate(() => {
    window.__emptyNoteSeen = false;
    const check = () => {
      for (const t of document.querySelectorAll("[data-testid=note-text]")) if (t.textContent === "") window.__emptyNoteSeen = true;
    };
    check();
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}



describe("typing in a discovery board", () => {
  let alice, bob;

  it("sets up a board with two notes, Bob joins by link", async () => {
    alice = await person();
    bob = await person();
    await createBoard(alice.page, url, { name: "Alice", title: "Typing is sacred" });
    await addNote(alice.page, "Alpha");
    await addNote(alice.page, "Beta");
    await joinByLink(bob.page, await mintInvite(alice.page, "editor"), "Bob");
    await note(bob.page, "Alpha").waitFor({ timeout: WAIT });
    await note(bob.page, "Beta").waitFor({ timeout: WAIT });
    await watchEmptyNotes(alice.page);
  });

  it("(a) keeps Bob's typing while Alice votes on the note, moves it and edits another one", async () => {
    const a = alice.page, b = bob.page;
    await dblclickNote(b, "Alpha");
    await editor(b).waitFor({ timeout: WAIT });
    await b.keyboard.press("End");
    let typed = "Alpha";
    const type = async (s) => {
      await b.keyboard.type(s, { delay: 15 });
      typed += s;
      await stillTyping(b, typed);
    };
    await type(" is the");
    // Backspace in the editor edits the text; it never deletes the (selected) note.
    await b.keyboard.type("xx");
    await b.keyboard.press("Backspace");
    await b.keyboard.press("Backspace");
    await stillTyping(b, typed);

    // Alice votes on it: Bob sees the vote arrive under his editor.
    await clickNote(a, "Alpha");
    await a.click("[data-testid=vote]");
    await note(b, "Alpha").locator("[data-testid=votes]", { hasText: "1" }).waitFor({ timeout: WAIT });
    await stillTyping(b, typed);
    await type(" first note");

    // Alice drags it 150px right: Bob's editor follows it, still focused, text intact.
    const before = await b.locator("[data-testid=editor]").evaluate((el) => el.style.left);
    const box = await note(a, "Alpha").boundingBox();
    await a.mouse.move(box.x + box.width / 2, box.y + 20);
    await a.mouse.down();
    await a.mouse.move(box.x + box.width / 2 + 150, box.y + 40, { steps: 6 });
    await a.mouse.up();
    await b.waitForFunction((l) => document.querySelector("[data-testid=editor]")?.style.left !== l, before, { timeout: WAIT });
    const [edLeft, noteLeft] = await b.evaluate(() => [
      document.querySelector("[data-testid=editor]").style.left,
      document.querySelector("[data-testid=note].under-edit").style.left]);
    assert.equal(edLeft, noteLeft, "the editor sits on its note");
    await stillTyping(b, typed);
    await type(", written by Bob");

    // Alice edits ANOTHER note meanwhile.
    await dblclickNote(a, "Beta");
    await editor(a).fill("Beta, edited by Alice");
    await a.keyboard.press("Enter");
    await note(b, "Beta, edited by Alice").waitFor({ timeout: WAIT });
    await stillTyping(b, typed);

    // And while Bob types on, Alice votes again and moves it back, at the same time.
    const more = " while Alice was busy";
    await Promise.all([
      b.keyboard.type(more, { delay: 25 }),
      (async () => {
        await a.click("[data-testid=unvote]");
        const bx = await note(a, "Alpha").boundingBox();
        await a.mouse.move(bx.x + bx.width / 2, bx.y + 20);
        await a.mouse.down();
        await a.mouse.move(bx.x + bx.width / 2 - 150, bx.y + 20, { steps: 4 });
        await a.mouse.up();
      })(),
    ]);
    typed += more;
    await stillTyping(b, typed);

    await b.keyboard.press("Enter"); // commits (Shift+Enter would be a new line)
    await editor(b).waitFor({ state: "detached", timeout: WAIT });
    for (const p of [a, b]) {
      await note(p, typed).waitFor({ timeout: WAIT });
      assert.equal(await p.locator("[data-testid=note]").count(), 2, "nothing was deleted, nothing added");
      await note(p, "Beta, edited by Alice").waitFor({ timeout: WAIT });
    }
    await b.locator("[data-testid=status]", { hasText: /^Live$/ }).waitFor({ timeout: WAIT });
    noErrors(alice, bob);
  });

  it("(b) keeps Bob's draft when Alice changes the same text, with a hint; Bob's commit wins", async () => {
    const a = alice.page, b = bob.page;
    await dblclickNote(b, "Beta, edited by Alice");
    await editor(b).waitFor({ timeout: WAIT });
    await b.keyboard.press("End");
    await b.keyboard.type(" and Bob's version", { delay: 10 });
    const mine = "Beta, edited by Alice and Bob's version";
    await stillTyping(b, mine);

    await dblclickNote(a, "Beta, edited by Alice");
    await editor(a).fill("Alice rewrote this");
    await a.keyboard.press("Enter");
    await note(a, "Alice rewrote this").waitFor({ timeout: WAIT });

    // Who changed it: the author of the change (SequencedChange.author).
    const hint = b.locator("[data-testid=edit-hint][data-kind=conflict]", { hasText: "Changed by Alice" });
    await hint.waitFor({ timeout: WAIT });
    await stillTyping(b, mine);
    await b.screenshot({ path: join(OUT, "typing-changed-by-alice.png") });

    await b.keyboard.type(", final", { delay: 10 });
    await b.keyboard.press("Enter");
    for (const p of [a, b]) {
      await note(p, mine + ", final").waitFor({ timeout: WAIT });
      assert.equal(await note(p, "Alice rewrote this").count(), 0);
    }
    noErrors(alice, bob);
  });

  it("(c) cancels with Escape: the text is restored, nothing is sent, no page error", async () => {
    const a = alice.page, b = bob.page;
    await b.locator("[data-testid=status]", { hasText: /^Live$/ }).waitFor({ timeout: WAIT });
    await dblclickNote(b, "Alpha");
    await editor(b).waitFor({ timeout: WAIT });
    await b.keyboard.press("Control+a");
    await b.keyboard.type("This must not be saved", { delay: 5 });
    await b.keyboard.press("Escape");
    await editor(b).waitFor({ state: "detached", timeout: WAIT });
    await note(b, "Alpha is the first note").waitFor({ timeout: WAIT });
    assert.equal(await b.evaluate(() => window.tandem.pending.length), 0, "Escape sent nothing");
    assert.equal(await note(b, "This must not be saved").count(), 0);
    assert.equal(await note(a, "This must not be saved").count(), 0);
    // A new note cancelled with Escape never existed, for anyone.
    await b.click("[data-testid=add-note]");
    await b.keyboard.type("Never mind", { delay: 5 });
    await b.keyboard.press("Escape");
    await editor(b).waitFor({ state: "detached", timeout: WAIT });
    assert.equal(await b.locator("[data-testid=note]").count(), 2);
    assert.equal(await b.evaluate(() => window.tandem.pending.length), 0);
    assert.equal(await a.evaluate(() => window.__emptyNoteSeen), false, "Alice saw an empty note");
    noErrors(alice, bob);
  });

  it("(e) gives the draft back after a reload, and Alice never sees an empty note", async () => {
    const a = alice.page, b = bob.page;
    // A new note, never committed, then a reload.
    await b.click("[data-testid=add-note]");
    await editor(b).waitFor({ timeout: WAIT });
    await b.keyboard.type("Half a thought", { delay: 10 });
    const unloadsBefore = bob.unloads.length;
    await b.reload();
    assert.equal(bob.unloads.length, unloadsBefore + 1, "leaving with a draft open asks first (beforeunload)");
    await online(b);
    await editor(b).waitFor({ timeout: WAIT });
    assert.equal(await editor(b).inputValue(), "Half a thought");
    await b.locator("[data-testid=edit-hint][data-kind=restored]").waitFor({ timeout: WAIT });
    assert.equal(await a.locator("[data-testid=note]").count(), 2, "the uncommitted note is not on the board");
    await b.keyboard.press("End");
    await b.keyboard.type(", finished after the reload", { delay: 10 });
    await b.keyboard.press("Enter");
    await note(a, "Half a thought, finished after the reload").waitFor({ timeout: WAIT });

    // An existing note being edited, then a reload: the draft comes back into it.
    await dblclickNote(b, "Alpha is the first note");
    await editor(b).waitFor({ timeout: WAIT });
    await b.keyboard.press("End");
    await b.keyboard.type(" (draft)", { delay: 10 });
    await b.reload();
    await online(b);
    await editor(b).waitFor({ timeout: WAIT });
    assert.equal(await editor(b).inputValue(), "Alpha is the first note, written by Bob while Alice was busy (draft)");
    assert.equal(await note(a, "(draft)").count(), 0, "a draft is not committed by a reload");
    await b.keyboard.press("Enter");
    await note(a, "(draft)").waitFor({ timeout: WAIT });

    assert.equal(await a.evaluate(() => window.__emptyNoteSeen), false, "Alice saw an empty note");
    assert.equal(await a.locator("[data-testid=note]").count(), 3);
    noErrors(alice, bob);
  });
});

describe("typing in a discovery board, the note deleted meanwhile", () => {
  it("(f) keeps Bob's text as a new note when Alice deletes the note he is typing in", async () => {
    const alice = await person();
    const bob = await person();
    const a = alice.page, b = bob.page;
    await createBoard(a, url, { name: "Alice", title: "Deleted underneath" });
    await addNote(a, "Short-lived");
    await joinByLink(b, await mintInvite(a, "editor"), "Bob");
    await dblclickNote(b, "Short-lived");
    await editor(b).waitFor({ timeout: WAIT });
    await b.keyboard.press("End");
    await b.keyboard.type(" but Bob's words stay", { delay: 10 });
    await clickNote(a, "Short-lived");
    await a.keyboard.press("Delete"); // Alice types in nothing: Delete deletes her selection
    await a.locator("[data-testid=note]").waitFor({ state: "detached", timeout: WAIT });
    await b.locator("[data-testid=edit-hint][data-kind=conflict]", { hasText: "Deleted by Alice" }).waitFor({ timeout: WAIT });
    await stillTyping(b, "Short-lived but Bob's words stay");
    await b.keyboard.press("Enter");
    await note(a, "Short-lived but Bob's words stay").waitFor({ timeout: WAIT });
    assert.equal(await a.locator("[data-testid=note]").count(), 1);
    noErrors(alice, bob);
  });
});

describe("typing in a backlog", () => {
  it("(d) keeps every key of Bob's title while Alice adds and drags items", async () => {
    const alice = await person();
    const bob = await person();
    const a = alice.page, b = bob.page;
    await createBoard(a, url, { name: "Alice", title: "Typing backlog", button: "new-backlog" });
    const titles = (p) => p.locator("[data-testid=item-title]").evaluateAll((els) => els.map((e) => e.value));
    const waitTitles = (p, pred, arg) => p.waitForFunction(pred, arg, { timeout: WAIT });
    const add = async (t) => {
      await a.fill("[data-testid=new-item]", t);
      await a.press("[data-testid=new-item]", "Enter");
      await waitTitles(a, (t) => [...document.querySelectorAll("[data-testid=item-title]")].some((e) => e.value === t), t);
    };
    for (const t of ["One", "Two", "Three"]) await add(t);
    await joinByLink(b, await mintInvite(a, "editor"), "Bob");
    await waitTitles(b, () => document.querySelectorAll("[data-testid=item-title]").length === 3);

    const bobsField = b.locator("[data-testid=item-title]").nth(1); // "Two"
    await bobsField.click();
    await b.keyboard.press("End");
    let typed = "Two";
    const focused = async () => {
      const got = await b.evaluate(() => ({ testid: document.activeElement?.dataset?.testid, value: document.activeElement?.value }));
      assert.deepEqual(got, { testid: "item-title", value: typed });
    };
    const type = async (s) => {
      await b.keyboard.type(s, { delay: 15 });
      typed += s;
      await focused();
    };
    const drag = async (from, toIndex) => {
      const handle = a.locator("[data-testid=item]").nth(from).locator("[data-testid=drag-handle]");
      const hb = await handle.boundingBox();
      const target = await a.locator("[data-testid=item]").nth(toIndex).boundingBox();
      await a.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
      await a.mouse.down();
      await a.mouse.move(hb.x + hb.width / 2, target.y + 4, { steps: 6 });
      await a.mouse.up();
    };

    await type(" is");
    await add("Four");
    await waitTitles(b, () => document.querySelectorAll("[data-testid=item-title]").length === 4);
    await focused();
    await type(" the");

    // Alice drags "Three" to the top.
    await drag(2, 0);
    await waitTitles(b, () => document.querySelector("[data-testid=item-title]").value === "Three");
    await focused();
    await type(" second");

    // Alice drags Bob's own item to the top.
    await drag(2, 0);
    await waitTitles(b, () => document.querySelector("[data-testid=item]").dataset.id === document.activeElement.closest("[data-testid=item]")?.dataset.id);
    await focused();
    await type(" item");

    // Alice edits another item's title.
    const one = a.locator("[data-testid=item-title]").nth(2);
    assert.equal(await one.inputValue(), "One");
    await one.fill("One, renamed by Alice");
    await one.press("Enter");
    await waitTitles(b, () => [...document.querySelectorAll("[data-testid=item-title]")].some((e) => e.value === "One, renamed by Alice"));
    await focused();

    // All at once: Bob types on while Alice adds two items and drags one.
    const more = ", typed while Alice adds and drags";
    await Promise.all([
      b.keyboard.type(more, { delay: 20 }),
      (async () => {
        await add("Five");
        await add("Six");
        await drag(5, 1);
      })(),
    ]);
    typed += more;
    await focused();
    await waitTitles(b, () => document.querySelectorAll("[data-testid=item-title]").length === 6);
    await focused();

    await b.keyboard.press("Enter");
    const want = "Two is the second item, typed while Alice adds and drags";
    assert.equal(typed, want);
    await waitTitles(a, (t) => [...document.querySelectorAll("[data-testid=item-title]")].some((e) => e.value === t), want);
    assert.equal((await titles(a)).length, 6);
    assert.deepEqual((await titles(a)).slice().sort(), (await titles(b)).slice().sort());

    // Alice changes the title Bob is typing in: Bob keeps his draft, with a hint.
    await b.keyboard.type(" (v2)", { delay: 10 });
    const alicesView = a.locator("[data-testid=item-title]", {});
    const idx = (await titles(a)).indexOf(want);
    await alicesView.nth(idx).fill("Alice's title");
    await alicesView.nth(idx).press("Enter");
    await b.locator("[data-testid=field-hint][data-kind=conflict]", { hasText: "Changed by Alice" }).waitFor({ timeout: WAIT });
    typed = want + " (v2)";
    await focused();
    await b.screenshot({ path: join(OUT, "typing-backlog-changed-by-alice.png") });
    await b.keyboard.press("Enter");
    await waitTitles(a, (t) => [...document.querySelectorAll("[data-testid=item-title]")].some((e) => e.value === t), typed);

    // Escape cancels: the board's value comes back, nothing is sent.
    await b.locator("[data-testid=status]", { hasText: /^Live$/ }).waitFor({ timeout: WAIT });
    await b.keyboard.type(" oops", { delay: 5 });
    await b.keyboard.press("Escape");
    await focused();
    assert.equal(await b.evaluate(() => window.tandem.pending.length), 0);

    // A reload while typing: the draft comes back into the field, focused, with a notice; nothing was sent.
    await b.keyboard.type(" (after reload)", { delay: 5 });
    await b.reload();
    assert.ok(bob.unloads.length >= 1, "leaving with a draft asks first (beforeunload)");
    await online(b);
    await b.locator("[data-testid=field-hint][data-kind=restored]").waitFor({ timeout: WAIT });
    typed += " (after reload)";
    await focused();
    assert.equal(await a.locator("[data-testid=item-title]").evaluateAll((els, t) => els.some((e) => e.value === t), typed), false);
    await b.keyboard.press("Enter");
    await waitTitles(a, (t) => [...document.querySelectorAll("[data-testid=item-title]")].some((e) => e.value === t), typed);
    noErrors(alice, bob);
  });
});
