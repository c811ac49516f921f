// End to end: the real server and two browser contexts in Debian's Chromium
// (playwright-core, never a downloaded browser). Two people on one board: a note
// added in one appears in the other, a drag reorder shows in the other, a server
// restart loses nothing, an edit made offline arrives once back online. Boards are
// created on the landing page (API-1); the second person joins by an editor link.
// Screenshots of both board kinds go to $TANDEM_E2E_OUT (the build folder).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { OUT, WAIT, createBoard, harness, joinByLink, mintInvite, online } from "./harness.mjs";

const h = harness();
const { url, person } = h;

describe("discovery board", () => {
  let a, b, boardUrl;

  it("is created from a template on the landing page and opened by a second person", async () => {
    a = await person();
    b = await person();
    boardUrl = await createBoard(a.page, url, { name: "Ann", title: "Checkout discovery", button: "template-4" }); // retro
    await a.page.locator("[data-testid=group]").nth(2).waitFor({ timeout: WAIT }); // the retro's three lanes
    await joinByLink(b.page, await mintInvite(a.page, "editor"), "Ben");
    assert.equal(b.page.url(), boardUrl); // the invite left the address bar
    assert.equal(await b.page.locator("[data-testid=group]").count(), 3);
    assert.equal(await b.page.textContent("[data-testid=board-title]"), "Checkout discovery");
  });

  it("shows a note added by one person to the other", async () => {
    await a.page.click("[data-testid=add-note]");
    await a.page.locator("[data-testid=note-editor]").fill("Users abandon at shipping costs");
    await a.page.keyboard.press("Control+Enter");
    await b.page.locator("[data-testid=note-text]", { hasText: "Users abandon at shipping costs" }).waitFor({ timeout: WAIT });
    // Presence: a's cursor and name reach b.
    const box = await a.page.locator("[data-testid=canvas]").boundingBox();
    await a.page.mouse.move(box.x + 300, box.y + 300);
    await a.page.mouse.move(box.x + 320, box.y + 310);
    await b.page.locator("[data-testid=cursor]").first().waitFor({ timeout: WAIT });
    await b.page.locator("[data-testid=peers] .peer").first().waitFor({ timeout: WAIT });
    // A vote from b shows on a.
    await b.page.locator("[data-testid=note]", { hasText: "Users abandon" }).click();
    await b.page.click("[data-testid=vote]");
    await a.page.locator("[data-testid=note]", { hasText: "Users abandon" }).locator("[data-testid=votes]").waitFor({ timeout: WAIT });
    // Shift-drag on the background selects what lies inside the rectangle.
    const note = await b.page.locator("[data-testid=note]", { hasText: "Users abandon" }).boundingBox();
    await b.page.keyboard.down("Shift");
    await b.page.mouse.move(note.x - 20, note.y - 20);
    await b.page.mouse.down();
    await b.page.mouse.move(note.x + note.width + 20, note.y + note.height + 20, { steps: 5 });
    await b.page.mouse.up();
    await b.page.keyboard.up("Shift");
    await b.page.locator("[data-testid=note].selected", { hasText: "Users abandon" }).waitFor({ timeout: WAIT });
    await a.page.screenshot({ path: join(OUT, "discovery-a.png") });
    await b.page.screenshot({ path: join(OUT, "discovery-b.png") });
  });

  it("loses nothing when the server restarts, and both reconnect", async () => {
    await h.server.stop();
    await a.page.locator('[data-testid=status]:not([data-status="online"])').waitFor({ timeout: WAIT });
    await h.server.start(h.server.port); // same data folder: same secret, so the same tokens hold
    await online(a.page);
    await online(b.page);
    await a.page.click("[data-testid=add-note]");
    await a.page.locator("[data-testid=note-editor]").fill("After the restart");
    await a.page.keyboard.press("Control+Enter");
    for (const p of [a.page, b.page]) {
      await p.locator("[data-testid=note-text]", { hasText: "After the restart" }).waitFor({ timeout: WAIT });
      assert.equal(await p.locator("[data-testid=note-text]", { hasText: "Users abandon at shipping costs" }).count(), 1);
    }
  });

  it("sends an edit made offline once back online", async () => {
    await a.context.setOffline(true);
    await a.page.locator('[data-testid=status][data-status="offline"]').waitFor({ timeout: WAIT });
    await a.page.click("[data-testid=add-note]");
    await a.page.locator("[data-testid=note-editor]").fill("Written on the train");
    await a.page.keyboard.press("Control+Enter");
    await a.page.locator("[data-testid=note-text]", { hasText: "Written on the train" }).waitFor({ timeout: WAIT });
    // And an edit of an existing note's text.
    await a.page.locator("[data-testid=note]", { hasText: "After the restart" }).dblclick({ position: { x: 8, y: 8 } }); // its corner: newer notes cascade over it
    await a.page.locator("[data-testid=note-editor]").fill("After the restart, edited offline");
    await a.page.keyboard.press("Control+Enter");
    await a.page.locator("[data-testid=status]", { hasText: "2 changes kept on this device" }).waitFor({ timeout: WAIT });
    assert.equal(await b.page.locator("[data-testid=note-text]", { hasText: "Written on the train" }).count(), 0);
    await a.context.setOffline(false);
    await online(a.page);
    await b.page.locator("[data-testid=note-text]", { hasText: "Written on the train" }).waitFor({ timeout: WAIT });
    await b.page.locator("[data-testid=note-text]", { hasText: "After the restart, edited offline" }).waitFor({ timeout: WAIT });
    await a.page.locator("[data-testid=status]", { hasText: /^Live · 2 changes sent$/ }).waitFor({ timeout: WAIT }); // nothing pending: both sent
  });
});

describe("backlog board", () => {
  it("shows a drag reorder and a keyboard reorder to the other person", async () => {
    const a = await person();
    const b = await person();
    await createBoard(a.page, url, { name: "Ann", title: "Checkout backlog", button: "new-backlog" });
    const titles = (p) => p.locator("[data-testid=item-title]").evaluateAll((els) => els.map((e) => e.value));
    const waitOrder = async (p, want) => {
      await p.waitForFunction(
        (w) => JSON.stringify([...document.querySelectorAll("[data-testid=item-title]")].map((e) => e.value)) === JSON.stringify(w),
        want, { timeout: WAIT }).catch(() => {});
      assert.deepEqual(await titles(p), want);
    };
    const added = [];
    for (const t of ["Show shipping costs early", "Guest checkout", "Save cart"]) {
      await a.page.fill("[data-testid=new-item]", t);
      await a.page.press("[data-testid=new-item]", "Enter");
      added.push(t);
      await waitOrder(a.page, added);
    }
    await joinByLink(b.page, await mintInvite(a.page, "editor"), "Ben");
    await waitOrder(b.page, ["Show shipping costs early", "Guest checkout", "Save cart"]);

    // Drag "Save cart" by its handle above the first item.
    const handle = a.page.locator("[data-testid=item]").nth(2).locator("[data-testid=drag-handle]");
    const hb = await handle.boundingBox();
    const first = await a.page.locator("[data-testid=item]").first().boundingBox();
    await a.page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
    await a.page.mouse.down();
    await a.page.mouse.move(hb.x + hb.width / 2, first.y + 10, { steps: 8 });
    await a.page.mouse.move(hb.x + hb.width / 2, first.y + 4, { steps: 2 });
    await a.page.mouse.up();
    await waitOrder(b.page, ["Save cart", "Show shipping costs early", "Guest checkout"]);

    // Keyboard: Alt+Down moves the focused item one down.
    await b.page.locator("[data-testid=item]").first().focus();
    await b.page.keyboard.press("Alt+ArrowDown");
    await waitOrder(a.page, ["Show shipping costs early", "Save cart", "Guest checkout"]);

    // Promote a discovery note into this backlog: b sees the item with its link back.
    // The target list holds the backlogs a is an editor (or more) of; the promote
    // carries a's member token of the backlog (ROLE-4).
    const backlogUrl = a.page.url();
    await createBoard(a.page, url, { name: "Ann", title: "Wallet ideas", button: "template-0" });
    await a.page.click("[data-testid=add-note]");
    await a.page.locator("[data-testid=note-editor]").fill("Let guests pay with a wallet");
    await a.page.keyboard.press("Control+Enter");
    await a.page.locator("[data-testid=note]", { hasText: "Let guests pay" }).click();
    await a.page.click("[data-testid=promote]"); // a dialog lists the backlogs a may promote into, by title
    await a.page.locator("[data-testid=promote-choice]", { hasText: "Checkout backlog" }).locator("input").check();
    await a.page.click("[data-testid=promote-go]");
    await a.page.locator("[data-testid=promoted]").waitFor({ timeout: WAIT });
    await waitOrder(b.page, ["Show shipping costs early", "Save cart", "Guest checkout", "Let guests pay with a wallet"]);
    await b.page.locator("[data-testid=item-source]").waitFor({ timeout: WAIT });
    await a.page.goto(backlogUrl);
    await online(a.page);
    await a.page.screenshot({ path: join(OUT, "backlog-list.png") });
    await a.page.click("[data-testid=mode-columns]");
    await a.page.locator("[data-testid=card]").first().waitFor({ timeout: WAIT });
    await a.page.screenshot({ path: join(OUT, "backlog-columns.png") });
  });
});
