// End to end: the backlog as a product (issue 11). Two people on one backlog: Alice
// moves row 10 up three times with Alt+Up (one place per press, the focus staying on
// it); deletes items (button, Delete key) and brings them back (Ctrl+Z, Undo); selects
// rows (checkbox, Shift, Ctrl) and moves them to the top and the bottom in one change;
// Bob's moves are told in Alice's polite live region, hers are not; the whole row
// works from the keyboard with a visible focus; every field and control has a name
// (axe-core); the columns are edited in a dialog, not a prompt; on a phone nothing
// sticks out sideways. Screenshots at desktop and phone size go to $TANDEM_E2E_OUT.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";
import { OUT, PHONE, WAIT, createBoard, harness, joinByLink, mintInvite } from "./harness.mjs";

const h = harness();
const { url, person } = h;
const require = createRequire(import.meta.url);

/** The items' titles in board order, as the page's model has them. */
const titles = (page) => page.evaluate(() => window.tandem.view.ordered(2).map((o) => o.fields.get("title")));
const waitTitles = (page, want) =>
  page.waitForFunction((w) => JSON.stringify(window.tandem.view.ordered(2).map((o) => o.fields.get("title"))) === JSON.stringify(w), want, { timeout: WAIT })
    .catch(async (e) => { throw new Error(`order: ${JSON.stringify(await titles(page))}, wanted ${JSON.stringify(want)}: ${e.message}`); });
const idOf = (page, title) => page.evaluate((t) => window.tandem.view.ordered(2).find((o) => o.fields.get("title") === t)?.id, title);
const row = async (page, title) => page.locator(`[data-testid=item][data-id="${await idOf(page, title)}"]`);
/** What has the focus: the row's title and what in it (the row itself: "row"). */
const focus = (page) => page.evaluate(() => {
  const a = document.activeElement;
  const r = a?.closest("[data-testid=item]");
  return { title: r?.querySelector("[data-testid=item-title]")?.value ?? null, on: a === r ? "row" : a?.dataset?.testid ?? a?.tagName };
});
const announced = (page) => page.locator("[data-testid=backlog-announcer]").textContent();
const waitAnnounced = (page, re) =>
  page.waitForFunction((src) => new RegExp(src).test(document.querySelector("[data-testid=backlog-announcer]")?.textContent ?? ""), re.source, { timeout: WAIT })
    .catch(async (e) => { throw new Error(`announced "${await announced(page)}", wanted ${re}: ${e.message}`); });

describe("editing a backlog together", () => {
  let alice, bob, a, b;
  const prompts = [];
  let order = Array.from({ length: 12 }, (_, i) => `Item ${i + 1}`);

  it("moves row 10 up three places with three presses of Alt+Up, the focus staying on it", async () => {
    alice = await person();
    a = alice.page;
    a.on("dialog", (d) => prompts.push(d.type()));
    await createBoard(a, url, { name: "Alice", title: "Product backlog", button: "new-backlog" });
    for (const t of order) {
      await a.fill("[data-testid=new-item]", t);
      await a.press("[data-testid=new-item]", "Enter");
    }
    await waitTitles(a, order);
    bob = await person();
    b = bob.page;
    await joinByLink(b, await mintInvite(a, "editor"), "Bob");
    await waitTitles(b, order);

    await (await row(a, "Item 10")).focus();
    await a.keyboard.press("Alt+ArrowUp");
    await a.keyboard.press("Alt+ArrowUp");
    await a.keyboard.press("Alt+ArrowUp");
    order = ["Item 1", "Item 2", "Item 3", "Item 4", "Item 5", "Item 6", "Item 10", "Item 7", "Item 8", "Item 9", "Item 11", "Item 12"];
    await waitTitles(a, order);
    await waitTitles(b, order);
    assert.deepEqual(await focus(a), { title: "Item 10", on: "row" }, "the moved row keeps the focus");
    await (await row(a, "Item 10")).locator(".rank", { hasText: "7" }).waitFor({ timeout: WAIT });
    // Held Alt, two more presses of Down: one place each.
    await a.keyboard.down("Alt");
    await a.keyboard.press("ArrowDown");
    await a.keyboard.press("ArrowDown");
    await a.keyboard.up("Alt");
    order = ["Item 1", "Item 2", "Item 3", "Item 4", "Item 5", "Item 6", "Item 7", "Item 8", "Item 10", "Item 9", "Item 11", "Item 12"];
    await waitTitles(b, order);
    assert.deepEqual(await focus(a), { title: "Item 10", on: "row" });
    assert.equal(await announced(a), "", "Alice's own moves are not announced to her");
  });

  it("deletes an item with its button, Ctrl+Z brings it back in its place; the Delete key and Undo too", async () => {
    await (await row(a, "Item 3")).locator("[data-testid=item-delete]").click();
    const without3 = order.filter((t) => t !== "Item 3");
    await waitTitles(b, without3);
    assert.deepEqual(await focus(a), { title: "Item 4", on: "row" }, "the focus goes to the next row");
    await a.locator("[data-testid=deleted-notice]", { hasText: "Deleted “Item 3”" }).waitFor({ timeout: WAIT });
    await a.keyboard.press("Control+z");
    await waitTitles(b, order);
    await waitTitles(a, order);
    await a.locator("[data-testid=deleted-notice]").waitFor({ state: "hidden", timeout: WAIT }); // undone: no Undo offered any more

    // The Delete key on the focused row (not while typing in a field).
    await (await row(a, "Item 5")).locator("[data-testid=item-title]").focus();
    await a.keyboard.press("Delete");
    assert.equal((await titles(a)).length, order.length, "Delete in a field deletes text, not the item");
    await (await row(a, "Item 5")).focus();
    await a.keyboard.press("Delete");
    await waitTitles(b, order.filter((t) => t !== "Item 5"));
    assert.deepEqual(await focus(a), { title: "Item 6", on: "row" });
    await a.click("[data-testid=undo-delete]");
    await waitTitles(b, order);
    await waitTitles(a, order);
    assert.equal(await b.locator("[data-testid=deleted-notice]").isVisible(), false, "Bob is offered no Undo of Alice's deletes");
  });

  it("selects rows with the checkbox, Shift and Ctrl, and moves them to the top and the bottom in one change", async () => {
    await (await row(a, "Item 4")).locator("[data-testid=item-select]").click();
    await (await row(a, "Item 6")).locator("[data-testid=item-select]").click({ modifiers: ["Shift"] }); // 4, 5, 6
    await (await row(a, "Item 11")).locator(".rank").click({ modifiers: ["Control"] }); // + 11
    await (await row(a, "Item 5")).locator(".rank").click({ modifiers: ["Control"] }); // - 5
    await a.locator("[data-testid=selection-count]", { hasText: "3 selected" }).waitFor({ timeout: WAIT });
    assert.deepEqual(await a.locator("[data-testid=item].selected [data-testid=item-title]").evaluateAll((els) => els.map((e) => e.value)),
      ["Item 4", "Item 6", "Item 11"]);
    await a.screenshot({ path: join(OUT, "backlog-editing-selection-desktop.png") });

    const submits = await a.evaluate(() => window.tandem.pending.length);
    await a.click("[data-testid=move-top]");
    assert.equal(await a.evaluate(() => window.tandem.pending.length) - submits <= 1, true, "one change");
    order = ["Item 4", "Item 6", "Item 11", ...order.filter((t) => !["Item 4", "Item 6", "Item 11"].includes(t))];
    await waitTitles(b, order);
    await a.click("[data-testid=move-bottom]");
    order = [...order.filter((t) => !["Item 4", "Item 6", "Item 11"].includes(t)), "Item 4", "Item 6", "Item 11"];
    await waitTitles(b, order);
    await a.click("[data-testid=clear-selection]");
    await a.locator("[data-testid=selection-bar]").waitFor({ state: "hidden", timeout: WAIT });
    assert.equal(await a.locator("[data-testid=item].selected").count(), 0);

    // The selection deleted in one change; the focus goes to Undo, and Enter brings both back.
    await (await row(a, "Item 1")).locator("[data-testid=item-select]").click();
    await (await row(a, "Item 2")).locator("[data-testid=item-select]").click();
    await a.click("[data-testid=delete-selected]");
    await waitTitles(b, order.filter((t) => t !== "Item 1" && t !== "Item 2"));
    await a.locator("[data-testid=deleted-notice]", { hasText: "Deleted 2 items." }).waitFor({ timeout: WAIT });
    assert.equal(await a.evaluate(() => document.activeElement?.dataset?.testid), "undo-delete");
    await a.keyboard.press("Enter");
    await waitTitles(b, order);
    await a.locator("[data-testid=selection-bar]").waitFor({ state: "hidden", timeout: WAIT });
  });

  it("tells Alice's screen reader politely of Bob's moves, one by one or summed up", async () => {
    const region = a.locator("[data-testid=backlog-announcer]");
    assert.equal(await region.getAttribute("aria-live"), "polite");
    assert.doesNotMatch(await announced(a), /moved/, "Alice's own moves were not announced");
    await (await row(b, "Item 9")).focus();
    await b.keyboard.press("Alt+ArrowUp");
    await b.keyboard.press("Alt+ArrowUp");
    const at = order.indexOf("Item 9") - 2;
    await waitAnnounced(a, new RegExp(`^Bob moved “Item 9” to position ${at + 1}\\.`));
    // Several at once: Bob moves two selected rows to the top.
    await (await row(b, "Item 12")).locator("[data-testid=item-select]").click();
    await (await row(b, "Item 1")).locator("[data-testid=item-select]").click();
    await b.click("[data-testid=move-top]");
    await waitAnnounced(a, /^Bob moved 2 items to the top\./);
    order = await titles(b);
    await waitTitles(a, order);
    await b.click("[data-testid=clear-selection]");
    assert.doesNotMatch(await announced(b), /Bob moved/, "Bob is not told of his own moves");
  });

  it("works from the keyboard alone, with a visible focus", async () => {
    await a.focus("[data-testid=new-item]");
    for (let i = 0; i < 12 && (await focus(a)).on !== "row"; i++) await a.keyboard.press("Tab");
    assert.deepEqual(await focus(a), { title: order[0], on: "row" }, "Tab reaches the first row");
    const outline = () => a.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(await outline(), "none", "the focused row shows it");
    await a.keyboard.press("ArrowDown");
    assert.deepEqual(await focus(a), { title: order[1], on: "row" });
    await a.keyboard.press("Space");
    await a.locator("[data-testid=selection-count]", { hasText: "1 selected" }).waitFor({ timeout: WAIT });
    await a.keyboard.press("Escape");
    await a.locator("[data-testid=selection-bar]").waitFor({ state: "hidden", timeout: WAIT });
    await a.keyboard.press("Enter");
    assert.deepEqual(await focus(a), { title: order[1], on: "item-title" });
    await a.keyboard.press("End");
    await a.keyboard.type(" (edited)");
    await a.keyboard.press("Enter");
    const edited = order[1] + " (edited)";
    order[1] = edited;
    await waitTitles(b, order);
    await a.keyboard.press("Escape");
    assert.deepEqual(await focus(a), { title: edited, on: "row" }, "Escape goes back to the row");
    // Tab walks through the row's controls, each named.
    const names = [];
    for (let i = 0; i < 7; i++) {
      await a.keyboard.press("Tab");
      names.push(await a.evaluate(() => document.activeElement.getAttribute("aria-label")));
    }
    assert.deepEqual(names, [`Select “${edited}”`, `Title of “${edited}”`, `Status of “${edited}”`, `Estimate in points of “${edited}”`,
      `Tags of “${edited}”`, `Assignee of “${edited}”`, `Delete “${edited}”`]);
    assert.notEqual(await a.evaluate(() => getComputedStyle(document.activeElement).boxShadow), "none", "the focused button shows it");
    await a.keyboard.press("Enter"); // the delete button
    await waitTitles(b, order.filter((t) => t !== edited));
    await a.keyboard.press("Control+z");
    await waitTitles(b, order);
  });

  it("gives every field and control of the backlog a name (axe-core)", async () => {
    await (await row(a, order[2])).locator("[data-testid=item-select]").click();
    await a.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
    const result = await a.evaluate(async () => {
      const r = await window.axe.run({ include: [[".backlog-toolbar"], ["[data-testid=selection-bar]"], ["[data-testid=backlog]"]] },
        { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
      return { violations: r.violations.map((v) => `${v.id}: ${v.nodes.length} (${v.nodes[0].target})`), fields: document.querySelectorAll("[data-testid=backlog] input, [data-testid=backlog] select").length };
    });
    assert.ok(result.fields >= 60, `the backlog's fields were checked (${result.fields})`);
    assert.deepEqual(result.violations, []);
    const unnamed = await a.evaluate(() => [...document.querySelectorAll(".backlog-toolbar button, [data-testid=selection-bar] button, [data-testid=backlog] button")]
      .filter((el) => !el.hidden && (!el.getAttribute("aria-label") || !el.title)).map((el) => el.outerHTML.slice(0, 80)));
    assert.deepEqual(unnamed, [], "every icon button has a label and a tooltip");
    await a.click("[data-testid=clear-selection]");
  });

  it("edits the status columns in a dialog, not a browser prompt", async () => {
    await a.click("[data-testid=edit-columns]");
    const dialog = a.locator("[data-testid=columns-dialog]");
    await dialog.waitFor({ timeout: WAIT });
    assert.equal(await a.evaluate(() => document.activeElement?.dataset?.testid), "column-name", "the focus moves into the dialog");
    await dialog.locator("[data-testid=column-name]").nth(1).fill("in progress");
    await dialog.locator("[data-testid=add-column]").click();
    await dialog.locator("[data-testid=column-name]").nth(3).fill("todo");
    await dialog.locator("[data-testid=columns-problem]", { hasText: "same name" }).waitFor({ timeout: WAIT });
    assert.equal(await dialog.locator("[data-testid=save-columns]").isDisabled(), true);
    await dialog.locator("[data-testid=column-name]").nth(3).fill("released");
    await a.screenshot({ path: join(OUT, "backlog-editing-columns-dialog.png") });
    await dialog.locator("[data-testid=save-columns]").click();
    await dialog.waitFor({ state: "detached", timeout: WAIT });
    await b.waitForFunction(() => JSON.stringify(window.tandem.view.columns) === JSON.stringify(["todo", "in progress", "done", "released"]), null, { timeout: WAIT });
    await b.locator("[data-testid=item-status] option[value=released]").first().waitFor({ state: "attached", timeout: WAIT });
    assert.equal(await a.evaluate(() => document.activeElement?.dataset?.testid), "edit-columns", "the focus goes back to the button");
    assert.deepEqual(prompts, [], "no browser prompt");
  });

  it("fits a phone: rows wrap, nothing scrolls sideways, and it looks right", async () => {
    const carol = await person(PHONE);
    const c = carol.page;
    await joinByLink(c, await mintInvite(a, "editor"), "Carol");
    await waitTitles(c, order);
    await (await row(c, order[1])).locator("[data-testid=item-select]").click();
    await (await row(c, order[3])).locator("[data-testid=item-select]").click();
    const fit = await c.evaluate(() => {
      const rows = [...document.querySelectorAll("[data-testid=item]")];
      const out = [];
      for (const r of rows) {
        const box = r.getBoundingClientRect();
        for (const el of r.querySelectorAll("input, select, button:not([hidden])")) {
          const e = el.getBoundingClientRect();
          if (e.width > 0 && (e.left < box.left - 1 || e.right > box.right + 1)) out.push(el.dataset.testid);
        }
      }
      return { page: document.documentElement.scrollWidth - window.innerWidth, list: document.querySelector("[data-testid=backlog]").scrollWidth - document.querySelector("[data-testid=backlog]").clientWidth, out, title: rows[0].querySelector("[data-testid=item-title]").getBoundingClientRect().width };
    });
    assert.ok(fit.page <= 0, `the page does not scroll sideways (${fit.page}px)`);
    assert.ok(fit.list <= 0, `the list does not scroll sideways (${fit.list}px)`);
    assert.deepEqual(fit.out, [], "every field stays inside its row");
    assert.ok(fit.title > 150, `the title has room (${fit.title}px)`);
    await c.screenshot({ path: join(OUT, "backlog-editing-phone.png") });
    await a.screenshot({ path: join(OUT, "backlog-editing-desktop.png") });
    // The owner's toolbar (with Edit columns) and an Undo offer on a phone too.
    await a.setViewportSize(PHONE);
    await (await row(a, order[0])).locator("[data-testid=item-delete]").click();
    await a.locator("[data-testid=deleted-notice]").waitFor({ timeout: WAIT });
    assert.ok(await a.evaluate(() => document.documentElement.scrollWidth - window.innerWidth) <= 0, "the owner's page fits a phone");
    await a.screenshot({ path: join(OUT, "backlog-editing-phone-owner.png") });
    await a.click("[data-testid=undo-delete]");
    await waitTitles(c, order);
    for (const p of [alice, bob, carol]) assert.deepEqual(p.errors.map(String), [], "an uncaught exception in the page");
  });
});
