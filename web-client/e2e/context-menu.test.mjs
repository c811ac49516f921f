// End to end: the object menu of the discovery canvas (canvas/contextMenu.ts). A
// right-click on a note opens it at desktop size; on a phone, a long press does (a touch
// screen has no right-click). Its items act on that note for everyone on the board.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { OUT, PHONE, WAIT, createBoard, harness, joinByLink, mintInvite, notePoint } from "./harness.mjs";

const h = harness();
const { url, person } = h;

const note = (page, text) => page.locator("[data-testid=note]", { hasText: text }).first();
const menu = (page) => page.locator("[data-testid=context-menu]");
const item = (page, label) => menu(page).locator("[data-testid=context-item]", { hasText: label });

describe("the object menu: right-click, or a long press on a touch screen", () => {
  let alice;

  it("a right-click on a note opens its menu; Vote and Edit text act on that note", async () => {
    alice = await person();
    const a = alice.page;
    await createBoard(a, url, { name: "Alice", title: "Menus", button: "template-1" });
    const p = await notePoint(a, "Describe the customer segment");
    await a.mouse.click(p.x, p.y, { button: "right" });
    await menu(a).waitFor({ timeout: WAIT });
    const labels = await menu(a).locator("[data-testid=context-item]").allInnerTexts();
    assert.deepEqual(labels.map((l) => l.trim()), ["Edit text", "Comment", "Vote", "Delete"]);
    assert.equal(await a.evaluate(() => document.activeElement?.textContent?.trim()), "Edit text", "the first item has the focus");
    await a.screenshot({ path: join(OUT, "context-menu-desktop.png") });
    await item(a, "Vote").click();
    await menu(a).waitFor({ state: "detached", timeout: WAIT });
    await note(a, "Describe the customer segment").locator("[data-testid=votes]", { hasText: "1" }).waitFor({ timeout: WAIT });
    // Keyboard: arrows move in the menu, Enter runs the item.
    await a.mouse.click(p.x, p.y, { button: "right" });
    await menu(a).waitFor({ timeout: WAIT });
    await a.keyboard.press("ArrowUp"); // from the first to the last: Delete
    assert.equal(await a.evaluate(() => document.activeElement?.textContent?.trim()), "Delete");
    await a.keyboard.press("ArrowDown"); // and round again to the first
    await a.keyboard.press("Enter");
    await a.locator("[data-testid=editor]").waitFor({ timeout: WAIT });
    await a.keyboard.press("Escape");
    // Escape closes an open menu and runs nothing.
    await a.mouse.click(p.x, p.y, { button: "right" });
    await menu(a).waitFor({ timeout: WAIT });
    await a.keyboard.press("Escape");
    await menu(a).waitFor({ state: "detached", timeout: WAIT });
    assert.deepEqual(alice.errors.map(String), []);
  });

  it("on a phone, a long press on a note opens the menu; Delete removes it for everyone", async () => {
    const context = await h.browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
    h.contexts.push(context);
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e));
    await joinByLink(page, await mintInvite(alice.page, "editor"), "Bob");
    const target = "What do they struggle with";
    const p = await notePoint(page, target);
    const cdp = await context.newCDPSession(page);
    const touch = (type, points) => cdp.send("Input.dispatchTouchEvent", { type, touchPoints: points.map(([x, y], id) => ({ x, y, id })) });
    await touch("touchStart", [[p.x, p.y]]);
    await menu(page).waitFor({ timeout: WAIT }); // opens while the finger rests
    await touch("touchEnd", []);
    assert.equal(await menu(page).isVisible(), true, "lifting the finger keeps the menu open");
    await page.screenshot({ path: join(OUT, "context-menu-phone.png") });
    await item(page, "Delete").tap();
    await note(page, target).waitFor({ state: "detached", timeout: WAIT });
    await note(alice.page, target).waitFor({ state: "detached", timeout: WAIT });
    assert.deepEqual(errors.map(String), []);
  });
});
