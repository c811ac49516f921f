// The page chrome (src/components/): the landing page and a board's header with the
// Share dialog at desktop and phone size (screenshots), and the dialog's keyboard
// basics: focus moves in, Tab stays in, Escape closes, focus goes back to Share.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DESKTOP, OUT, PHONE, WAIT, createBoard, harness } from "./harness.mjs";

describe("page chrome", () => {
  const { url, person } = harness();

  for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
    it(`shows the landing page and the Share dialog (${size})`, async () => {
      const { page, errors } = await person(viewport);
      await createBoard(page, url, { name: "Cleo Chrome", title: "Chrome check" });
      await page.goto(url("/"));
      await page.locator("[data-testid=your-board]", { hasText: "Chrome check" }).waitFor({ timeout: WAIT });
      await page.screenshot({ path: join(OUT, `landing-${size}.png`), fullPage: true });
      await page.click("[data-testid=your-board] a");
      await page.locator('[data-testid=status][data-status="online"]').waitFor({ timeout: WAIT });
      await page.click("[data-testid=share]");
      const dialog = page.locator("[data-testid=share-dialog]");
      await dialog.waitFor({ timeout: WAIT });
      assert.equal(await dialog.getAttribute("role"), "dialog");
      assert.equal(await dialog.getAttribute("aria-modal"), "true");
      await page.locator("[data-testid=invite][data-role=owner]").waitFor({ timeout: WAIT });
      assert.equal(await page.evaluate(() => !!document.activeElement?.closest("[role=dialog]")), true, "focus moved into the dialog");
      for (let i = 0; i < 12; i++) await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => !!document.activeElement?.closest("[role=dialog]")), true, "Tab stays in the dialog");
      await page.screenshot({ path: join(OUT, `share-dialog-${size}.png`) });
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "detached", timeout: WAIT });
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? document.activeElement?.outerHTML.slice(0, 120)), "share", "focus back on Share");
      await page.screenshot({ path: join(OUT, `board-header-${size}.png`) });
      // Every button in the header has an accessible name.
      const unnamed = await page.$$eval("header button", (bs) => bs.filter((b) => !(b.getAttribute("aria-label") || b.textContent?.trim())).length);
      assert.equal(unnamed, 0);
      assert.deepEqual(errors, []);
    });
  }

  it("renames the board in place for its owner: Enter saves, Escape cancels", async () => {
    const { page, errors } = await person();
    await createBoard(page, url, { name: "Rita Rename", title: "Old name" });
    await page.click("[data-testid=rename]");
    const input = page.locator("[data-testid=board-title-input]");
    await input.fill("Draft name");
    await input.press("Escape");
    assert.equal(await page.textContent("[data-testid=board-title]"), "Old name");
    await page.waitForTimeout(300); // nothing sent after the cancel either
    assert.equal(await page.evaluate(() => window.tandem.view.title), "Old name");
    await page.dblclick("[data-testid=board-title]");
    await input.fill("New name");
    await input.press("Enter");
    await page.locator("[data-testid=board-title]", { hasText: "New name" }).waitFor({ timeout: WAIT });
    await page.locator("[data-testid=status]", { hasText: /^Live$/ }).waitFor({ timeout: WAIT }); // acked
    assert.deepEqual(errors, []);
  });
});
