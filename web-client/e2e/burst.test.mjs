// End to end: a burst of 300 remote changes while someone types. Alice's tab sends 300
// changes at once (150 new notes, 150 edits) while Bob types in a note editor: Bob's
// page shows every change, keeps every key he typed, and handles a click made during a
// second burst. A comment from the other person shows as a count on its note; a
// connector between two far-away notes is not in the DOM until the view is panned to it.
// Behaviour only: the timings are in bench/page.bench.mjs.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { createBoard, editor, harness, joinByLink, mintInvite, OUT, WAIT } from "./harness.mjs";

const h = harness();
const { url, person } = h;

const HALF = 150; // 150 new notes + 150 edits = 300 changes
const TYPED = "Bob keeps every key while the burst lands 0123456789";

/** Notes, a connector, Bob's note: everything but Bob's note small and inside the rendered area. */
async function setUp(page) {
  await page.evaluate(({ HALF }) => {
    const text = (v) => ({ kind: { case: "text", value: v } });
    const numv = (v) => ({ kind: { case: "number", value: v } });
    const f = (o) => Object.entries(o).map(([name, value]) => ({ name, value }));
    const note = (id, t, x, y, w = 40, hgt = 30) => ({ kind: { case: "create", value: { id, type: 1, fields: f({ text: text(t), color: text("#fff4b8"), x: numv(x), y: numv(y), width: numv(w), height: numv(hgt) }) } } });
    const ops = [note("bobs", "Bob's note", 20, 260, 200, 120)];
    for (let i = 0; i < HALF; i++) ops.push(note(`e-${i}`, `e${i}`, 300 + (i % 15) * 45, 260 + Math.floor(i / 15) * 35));
    // Far to the right, on one line: the connector's box is outside the default rendered area.
    ops.push(note("far-a", "far a", 2600, 300, 160, 120), note("far-b", "far b", 3200, 300, 160, 120));
    ops.push({ kind: { case: "create", value: { id: "far-link", type: 4, fields: f({ from: text("far-a"), to: text("far-b") }) } } });
    // A near connector: in the DOM from the start.
    ops.push({ kind: { case: "create", value: { id: "near-link", type: 4, fields: f({ from: text("e-0"), to: text("e-1") }) } } });
    window.tandem.submit(ops, false);
  }, { HALF });
  await page.waitForFunction(() => window.tandem.pending.length === 0 && window.tandem.view.objects.has("near-link"), null, { timeout: WAIT });
}

/** In Alice's page: 300 changes at once, one submit each (150 creates, 150 edits). */
function sendBurst(page, tag) {
  return page.evaluate(({ HALF, tag }) => {
    const text = (v) => ({ kind: { case: "text", value: v } });
    const numv = (v) => ({ kind: { case: "number", value: v } });
    const f = (o) => Object.entries(o).map(([name, value]) => ({ name, value }));
    for (let i = 0; i < HALF; i++) {
      window.tandem.submit([{ kind: { case: "update", value: { id: `e-${i}`, fields: f({ text: text(`${tag} e${i}`) }) } } }]);
      const id = `${tag}-new-${i}`;
      window.tandem.submit([{ kind: { case: "create", value: { id, type: 1, fields: f({ text: text(`${tag} new ${i}`), color: text("#d6f5d6"), x: numv(300 + (i % 15) * 45), y: numv(620 + Math.floor(i / 15) * 35), width: numv(40), height: numv(30) }) } } }]);
    }
  }, { HALF, tag });
}

/** Waits until Bob's page shows burst `tag` in full: the model, and every note of it in the DOM with its text. */
async function showsBurst(page, tag) {
  await page.waitForFunction(({ HALF, tag }) => {
    for (let i = 0; i < HALF; i++) {
      const e = document.querySelector(`[data-id="e-${i}"] [data-testid=note-text]`);
      const n = document.querySelector(`[data-id="${tag}-new-${i}"] [data-testid=note-text]`);
      if (e?.textContent !== `${tag} e${i}` || n?.textContent !== `${tag} new ${i}`) return false;
    }
    return true;
  }, { HALF, tag }, { timeout: WAIT * 2 });
}


describe("a burst of 300 remote changes", () => {
  let alice, bob;

  it("lands in full while Bob types, and every key he typed is kept", async () => {
    alice = await person();
    await createBoard(alice.page, url, { name: "Alice", title: "Burst" });
    await setUp(alice.page);
    bob = await person();
    await joinByLink(bob.page, await mintInvite(alice.page, "editor"), "Bob");
    const b = bob.page;
    await b.locator("[data-id=bobs] [data-testid=note-text]").waitFor({ timeout: WAIT });
    await b.locator("[data-id=bobs] [data-testid=note-text]").dblclick();
    await editor(b).waitFor({ timeout: WAIT });
    const original = await editor(b).inputValue();
    // Bob types; once the first keys are in, Alice's burst goes out.
    const typing = b.keyboard.type(TYPED, { delay: 8 });
    await b.waitForFunction((n) => document.querySelector("[data-testid=note-editor]")?.value.length >= n, original.length + 3, { timeout: WAIT });
    await sendBurst(alice.page, "b1");
    await typing;
    await showsBurst(b, "b1");
    const got = await b.evaluate(() => ({ testid: document.activeElement?.dataset?.testid, value: document.activeElement?.value }));
    assert.equal(got.testid, "note-editor", "Bob's editor kept the focus");
    assert.equal(got.value.length, original.length + TYPED.length, "no key was lost or doubled");
    assert.ok(got.value.includes(TYPED), `every key Bob typed is in his editor, in order: ${JSON.stringify(got.value)}`);
    await b.screenshot({ path: join(OUT, "burst-typing.png") });
  });

  it("a click during a second burst is handled", async () => {
    const b = bob.page;
    const typed = await editor(b).inputValue();
    await sendBurst(alice.page, "b2");
    // As soon as Bob's page has some of the burst, he clicks Connect (one object selected:
    // the page answers with a toast) — the click also commits his text (the editor's blur).
    await b.waitForFunction(() => window.tandem.view.objects.has("b2-new-0"), null, { timeout: WAIT });
    await b.click("[data-testid=connect]");
    await b.locator("[data-testid=toast]").filter({ hasText: "Select two objects" }).waitFor({ timeout: WAIT });
    await showsBurst(b, "b2");
    // Bob's text went out with every key: Alice sees it.
    await alice.page.locator("[data-id=bobs] [data-testid=note-text]").filter({ hasText: TYPED }).waitFor({ timeout: WAIT });
    assert.equal(await alice.page.locator("[data-id=bobs] [data-testid=note-text]").textContent(), typed);
  });

  it("a comment from the other person shows as a count on its note, updated in place", async () => {
    const b = bob.page;
    const count = b.locator("[data-id=e-3] [data-testid=comments]");
    assert.equal(await count.count(), 0, "no count before any comment");
    const comment = (text) => alice.page.evaluate((text) => window.tandem.submit([{ kind: { case: "create", value: {
      id: crypto.randomUUID(), type: 5, fields: [{ name: "target", value: { kind: { case: "text", value: "e-3" } } }, { name: "text", value: { kind: { case: "text", value: text } } }],
    } } }]), text);
    await b.evaluate(() => { for (const e of document.querySelectorAll("[data-testid=note]")) e.__kept = true; });
    await comment("first");
    await count.filter({ hasText: "1 comment" }).waitFor({ timeout: WAIT });
    await comment("second");
    await count.filter({ hasText: "2 comments" }).waitFor({ timeout: WAIT });
    const fresh = await b.evaluate(() => [...document.querySelectorAll("[data-testid=note]")].filter((e) => !e.__kept).map((e) => e.dataset.id));
    assert.deepEqual(fresh, [], "no note element was replaced");
    await b.screenshot({ path: join(OUT, "burst-comment-count.png") });
    // Alice's own page shows it too.
    await alice.page.locator("[data-id=e-3] [data-testid=comments]").filter({ hasText: "2 comments" }).waitFor({ timeout: WAIT });
  });

  it("a connector between two far-away notes is not in the DOM until the view is panned to it", async () => {
    const b = bob.page;
    const line = (id) => b.evaluate((id) => !!document.querySelector(`[data-testid=connector][data-id="${id}"]`), id);
    // Bob's first view fitted the whole board (canvas/canvasView.ts): back to the top left at 100%.
    await b.evaluate(() => {
      const r = document.querySelector("[data-testid=canvas]").getBoundingClientRect();
      window.tandemView.setView(r.width / 2 - 40, r.height / 2 - 40, 1);
    });
    assert.equal(await line("near-link"), true, "a connector near the view is drawn");
    assert.equal(await line("far-link"), false, "the far connector is not in the DOM");
    // Drags the background leftwards until the far notes' line comes in (a few drags at most).
    for (let step = 0; step < 6 && !(await line("far-link")); step++) {
      const p = await b.evaluate(() => {
        const r = document.querySelector("[data-testid=canvas]").getBoundingClientRect();
        for (let y = r.bottom - 20; y > r.top + 20; y -= 10)
          for (let x = r.right - 20; x > r.left + r.width / 2; x -= 10) {
            const t = document.elementFromPoint(x, y);
            if (t?.matches("[data-testid=canvas], [data-testid=world], svg")) return { x, y, to: r.left + 20 };
          }
        return null;
      });
      assert.ok(p, "a point of the background to drag");
      await b.mouse.move(p.x, p.y);
      await b.mouse.down();
      await b.mouse.move((p.x + p.to) / 2, p.y, { steps: 5 });
      await b.mouse.move(p.to, p.y, { steps: 5 });
      await b.mouse.up();
      // Culling follows the view at the next animation frame.
      await b.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    }
    assert.equal(await line("far-link"), true, "the far connector is drawn once the view is near it");
    await b.locator("[data-id=far-a]").waitFor({ timeout: WAIT });
    await b.screenshot({ path: join(OUT, "burst-far-connector.png") });
    assert.deepEqual(alice.errors.map(String), []);
    assert.deepEqual(bob.errors.map(String), []);
  });
});
