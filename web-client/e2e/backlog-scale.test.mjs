// End to end: a backlog holds up with 2,000 items. Only the rows near the visible
// scroll range are in the DOM (windowing, with spacers keeping the full height);
// scrolling to the end brings the last item in; a drag among the drawn rows and a
// repeated keyboard reorder land where they should; and Bob keeps every key of the
// title he types while Alice adds items, reorders them and moves his item far away
// (his row stays drawn and focused even when it is scrolled out of view).
// Screenshots on a desktop and on a phone go to $TANDEM_E2E_OUT.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { OUT, PHONE, WAIT, createBoard, harness, joinByLink, mintInvite } from "./harness.mjs";

const h = harness();
const { url, person } = h;

const N = 2000;
const BACKLOG_ITEM = 2; // ObjectType.BACKLOG_ITEM
const MAX_ROWS = 100;

/** Creates N items through the page's sync client, in four changes; order keys "b00".."bWF" (base 62). */
async function addItems(page) {
  await page.evaluate(({ N, BACKLOG_ITEM }) => {
    const D = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    const text = (v) => ({ kind: { case: "text", value: v } });
    const ops = [];
    for (let i = 0; i < N; i++) {
      const fields = [["title", text(`Item ${i + 1}`)], ["order", text("b" + D[Math.floor(i / 62)] + D[i % 62])], ["status", text("todo")]]
        .map(([name, value]) => ({ name, value }));
      ops.push({ kind: { case: "create", value: { id: `it-${i}`, type: BACKLOG_ITEM, fields } } });
    }
    for (let k = 0; k < 4; k++) window.tandem.submit(ops.slice((k * N) / 4, ((k + 1) * N) / 4));
  }, { N, BACKLOG_ITEM });
  await page.waitForFunction((N) => window.tandem.pending.length === 0 && window.tandem.view.ordered(2).length === N, N, { timeout: WAIT * 2 });
}

const rowsInDom = (page) => page.evaluate(() => document.querySelectorAll("[data-testid=item]").length);
/** The ids of the items in board order, as the page's model has them. */
const order = (page) => page.evaluate(() => window.tandem.view.ordered(2).map((o) => o.id));
const indexOf = async (page, id) => (await order(page)).indexOf(id);
const waitIndex = (page, id, want) =>
  page.waitForFunction(({ id, want }) => window.tandem.view.ordered(2).findIndex((o) => o.id === id) === want, { id, want }, { timeout: WAIT });

/** Scrolls the list to its end until the last item's row is drawn and inside the list's viewport. */
async function scrollToEnd(page, lastId) {
  await page.waitForFunction((id) => {
    const box = document.querySelector("[data-testid=backlog]");
    box.scrollTop = box.scrollHeight;
    const el = document.querySelector(`[data-testid=item][data-id="${id}"]`);
    if (!el) return false;
    const r = el.getBoundingClientRect(), b = box.getBoundingClientRect();
    return r.top >= b.top - 1 && r.bottom <= b.bottom + 1;
  }, lastId, { timeout: WAIT, polling: 50 });
}

describe("a backlog with 2,000 items", () => {
  let alice, bob;

  it("draws only the rows near the visible range", async () => {
    alice = await person();
    await createBoard(alice.page, url, { name: "Alice", title: "Big backlog", button: "new-backlog" });
    await addItems(alice.page);
    await alice.page.locator("[data-testid=item][data-id=it-0]").waitFor({ timeout: WAIT });
    const n = await rowsInDom(alice.page);
    assert.ok(n > 5 && n < MAX_ROWS, `only the rows near the visible range are in the DOM (${n} of ${N})`);
    assert.equal(await alice.page.locator("[data-id=it-1999]").count(), 0, "the last item is not in the DOM");
    // The list keeps its full height: the spacers stand in for the rows left out.
    const height = await alice.page.evaluate(() => document.querySelector("[data-testid=backlog]").scrollHeight);
    assert.ok(height > N * 30, `the list is as tall as all its rows (${height}px)`);
    console.log(`# rows in the DOM at the start: ${n} of ${N}`);
  });

  it("shows the last item when scrolled to the end, and a drag there lands where dropped", async () => {
    const page = alice.page;
    await scrollToEnd(page, "it-1999");
    assert.equal(await page.locator("[data-id=it-1999] .rank").textContent(), String(N));
    assert.equal(await page.locator("[data-id=it-1999] [data-testid=item-title]").inputValue(), `Item ${N}`);
    const n = await rowsInDom(page);
    assert.ok(n < MAX_ROWS, `still only the rows near the visible range (${n})`);
    assert.equal(await page.locator("[data-id=it-0]").count(), 0, "the first item left the DOM");
    await page.screenshot({ path: join(OUT, "backlog-2000-end.png") });

    // Drag the last item above the one three rows up.
    const handle = page.locator("[data-id=it-1999] [data-testid=drag-handle]");
    const hb = await handle.boundingBox();
    const target = await page.locator("[data-id=it-1996]").boundingBox();
    await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
    await page.mouse.down();
    await page.mouse.move(hb.x + hb.width / 2, target.y + 4, { steps: 6 });
    await page.mouse.up();
    await waitIndex(page, "it-1999", N - 4);
    await page.locator("[data-id=it-1999] .rank", { hasText: String(N - 3) }).waitFor({ timeout: WAIT });
  });

  it("keeps the focus on a row moved again and again with Alt+Up/Down", async () => {
    const page = alice.page;
    await page.evaluate(() => { document.querySelector("[data-testid=backlog]").scrollTop = 0; });
    await page.locator("[data-id=it-2]").waitFor({ timeout: WAIT });
    await page.locator("[data-id=it-2]").focus();
    for (let i = 1; i <= 4; i++) {
      await page.keyboard.press("Alt+ArrowDown");
      await waitIndex(page, "it-2", 2 + i);
      assert.equal(await page.evaluate(() => document.activeElement?.dataset?.id), "it-2", "the moved row keeps the focus");
    }
    await page.keyboard.press("Alt+ArrowUp");
    await waitIndex(page, "it-2", 5);
    await page.locator("[data-id=it-2] .rank", { hasText: "6" }).waitFor({ timeout: WAIT });
    assert.equal(await page.evaluate(() => document.activeElement?.dataset?.id), "it-2");
  });

  it("keeps every key Bob types while Alice adds items, reorders them and moves his item away", async () => {
    const a = alice.page;
    bob = await person();
    const b = bob.page;
    await joinByLink(b, await mintInvite(a, "editor"), "Bob");
    await b.waitForFunction((N) => window.tandem.view.ordered(2).length === N, N, { timeout: WAIT });
    const mine = "it-1";
    const field = b.locator(`[data-id=${mine}] [data-testid=item-title]`);
    await field.click();
    await b.keyboard.press("End");
    let typed = "Item 2";
    const focused = async () => {
      const got = await b.evaluate(() => ({
        testid: document.activeElement?.dataset?.testid, value: document.activeElement?.value,
        id: document.activeElement?.closest("[data-testid=item]")?.dataset.id,
      }));
      assert.deepEqual(got, { testid: "item-title", value: typed, id: mine });
    };
    const type = async (s, delay = 15) => {
      await b.keyboard.type(s, { delay });
      typed += s;
      await focused();
    };
    const add = async (t) => {
      await a.fill("[data-testid=new-item]", t);
      await a.press("[data-testid=new-item]", "Enter");
      await b.waitForFunction((t) => window.tandem.view.ordered(2).some((o) => o.fields.get("title") === t), t, { timeout: WAIT });
    };

    await type(" is");
    await add("Added while Bob types");
    await type(" being");

    // Alice moves Bob's item to the very end: his row stays drawn (far from what he sees) and focused.
    await a.evaluate(() => window.tandem.submit([{ kind: { case: "move", value: { id: "it-1", order: "c000" } } }]));
    await waitIndex(b, mine, N); // N + 1 items now
    await focused();
    await type(" typed");

    // Bob scrolls to the top and the middle while typing: his row stays in the DOM.
    await b.evaluate(() => { document.querySelector("[data-testid=backlog]").scrollTop = 20000; });
    await b.waitForFunction(() => !document.querySelector("[data-id=it-0]"), null, { timeout: WAIT });
    assert.ok(await rowsInDom(b) < MAX_ROWS);
    await type(" on");

    // All at once: Bob types on while Alice adds items and moves others with the keyboard.
    const more = ", while Alice adds and reorders";
    await a.evaluate(() => { document.querySelector("[data-testid=backlog]").scrollTop = 0; });
    await a.locator("[data-id=it-0]").waitFor({ timeout: WAIT });
    await Promise.all([
      b.keyboard.type(more, { delay: 20 }),
      (async () => {
        await add("Another one");
        await a.locator("[data-id=it-0]").focus();
        await a.keyboard.press("Alt+ArrowDown");
        await a.keyboard.press("Alt+ArrowDown");
        await add("And one more");
      })(),
    ]);
    typed += more;
    await waitIndex(b, "it-0", 2);
    await focused();
    assert.ok(await rowsInDom(b) < MAX_ROWS);

    await b.keyboard.press("Enter");
    await a.waitForFunction((t) => window.tandem.view.live("it-1")?.fields.get("title") === t, typed, { timeout: WAIT });
    assert.equal(typed, "Item 2 is being typed on, while Alice adds and reorders");
    assert.equal((await order(a)).length, N + 3);
    assert.deepEqual(await order(a), await order(b));
    assert.equal(await indexOf(a, mine), N + 2 - 2, "Bob's item stays where Alice moved it (after it, only the later adds)");

    // A reload while typing in that far-away item: the draft comes back into its row, drawn and focused.
    await b.keyboard.type(" (reloaded)", { delay: 5 });
    typed += " (reloaded)";
    await b.reload();
    assert.ok(bob.unloads.length >= 1, "leaving with a draft asks first (beforeunload)");
    await b.locator("[data-testid=field-hint][data-kind=restored]").waitFor({ timeout: WAIT });
    await focused();
    assert.ok(await rowsInDom(b) < MAX_ROWS);
    await b.keyboard.press("Enter");
    await a.waitForFunction((t) => window.tandem.view.live("it-1")?.fields.get("title") === t, typed, { timeout: WAIT });
    for (const p of [alice, bob]) assert.deepEqual(p.errors.map(String), [], "an uncaught exception in the page");
  });

  it("updates only the row whose item changed: the other rows keep their elements", async () => {
    const a = alice.page, b = bob.page;
    await a.evaluate(() => { document.querySelector("[data-testid=backlog]").scrollTop = 0; });
    await a.locator("[data-id=it-0]").waitFor({ timeout: WAIT });
    const marked = await a.evaluate(() => {
      const rows = [...document.querySelectorAll("[data-testid=item]")];
      for (const r of rows) r.__kept = true;
      window.__rowMutations = new Set();
      new MutationObserver((ms) => { for (const m of ms) { const r = m.target.closest?.("[data-testid=item]"); if (r) window.__rowMutations.add(r.dataset.id); } })
        .observe(document.querySelector("[data-testid=backlog]"), { subtree: true, childList: true, attributes: true, characterData: true });
      return rows.length;
    });
    await b.evaluate(() => window.tandem.submit([{ kind: { case: "update", value: { id: "it-3", fields: [{ name: "status", value: { kind: { case: "text", value: "doing" } } }] } } }]));
    await a.waitForFunction(() => document.querySelector("[data-id=it-3] [data-testid=item-status]")?.value === "doing", null, { timeout: WAIT });
    const after = await a.evaluate(() => ({
      kept: [...document.querySelectorAll("[data-testid=item]")].filter((r) => r.__kept).length,
      mutated: [...window.__rowMutations].filter((id) => id !== "it-3"),
    }));
    assert.deepEqual(after, { kept: marked, mutated: [] });
  });

  it("looks right on a desktop and on a phone", async () => {
    await alice.page.evaluate(() => { document.querySelector("[data-testid=backlog]").scrollTop = 0; });
    await alice.page.locator("[data-id=it-0]").waitFor({ timeout: WAIT });
    await alice.page.screenshot({ path: join(OUT, "backlog-2000-desktop.png") });
    const carol = await person(PHONE);
    await joinByLink(carol.page, await mintInvite(alice.page, "editor"), "Carol");
    await carol.page.locator("[data-id=it-0]").waitFor({ timeout: WAIT });
    const n = await rowsInDom(carol.page);
    assert.ok(n < MAX_ROWS, `a phone draws only the rows near the visible range too (${n})`);
    const overflow = await carol.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `nothing sticks out sideways on a phone (${overflow}px)`);
    await carol.page.screenshot({ path: join(OUT, "backlog-2000-phone.png") });
    await scrollToEnd(carol.page, (await order(carol.page)).at(-1));
    await carol.page.screenshot({ path: join(OUT, "backlog-2000-phone-end.png") });
    await carol.page.click("[data-testid=mode-columns]");
    await carol.page.locator("[data-testid=card]").first().waitFor({ timeout: WAIT });
    await carol.page.screenshot({ path: join(OUT, "backlog-2000-phone-columns.png") });
    await carol.page.click("[data-testid=mode-list]");
    await carol.page.locator("[data-testid=item]").first().waitFor({ timeout: WAIT });
    assert.ok(await rowsInDom(carol.page) < MAX_ROWS, "back in the list, still windowed");
    assert.deepEqual(carol.errors.map(String), []);
  });
});
