// End to end: live drag previews (SPEC PRES-6). Alice drags slowly (pointer down,
// several moves, and only after Bob saw each step does she go on); Bob sees a note's
// ghost, and a backlog row, at the intermediate positions before the drop, the
// confirmed state untouched; after the drop Bob sees the final position and no
// preview is left. Bob typing in a backlog row is not disturbed by Alice dragging
// another row past it. Every step waits on a condition with a deadline, never on time.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { createBoard, harness, joinByLink, mintInvite, noErrors, OUT, WAIT } from "./harness.mjs";

const h = harness();
const { url, person } = h;

const waitFor = (page, pred, arg) => page.waitForFunction(pred, arg, { timeout: WAIT, polling: "raf" });

describe("drag previews on the canvas", () => {
  let alice, bob;

  it("Bob sees Alice's note move while she drags it, then at its drop, with no preview left", async () => {
    alice = await person();
    bob = await person();
    const a = alice.page, b = bob.page;
    await createBoard(a, url, { name: "Alice", title: "Drag preview canvas" });
    await a.click("[data-testid=add-note]");
    await a.locator("[data-testid=note-editor]").fill("Drag me");
    await a.keyboard.press("Enter");
    const mine = a.locator("[data-testid=note]", { hasText: "Drag me" });
    await mine.waitFor({ timeout: WAIT });
    const id = await mine.getAttribute("data-id");
    await joinByLink(b, await mintInvite(a, "editor"), "Bob");
    const bobsNote = `[data-testid=note][data-id="${id}"]`;
    await b.locator(bobsNote).waitFor({ timeout: WAIT });
    const left0 = await b.locator(bobsNote).evaluate((el) => parseFloat(el.style.left));
    const top0 = await b.locator(bobsNote).evaluate((el) => parseFloat(el.style.top));

    // Alice grabs the note by its text and drags it right and down in three steps.
    const box = await mine.locator("[data-testid=note-text]").boundingBox();
    const x0 = box.x + 20, y0 = box.y + 10;
    await a.mouse.move(x0, y0);
    await a.mouse.down();
    const ghost = `[data-testid=drag-ghost][data-id="${id}"]`;
    for (const [dx, dy] of [[60, 20], [120, 40], [180, 60]]) {
      await a.mouse.move(x0 + dx, y0 + dy, { steps: 4 });
      // Bob sees the ghost where Alice would drop it now, named, and his note unmoved.
      await waitFor(b, ({ ghost, x, y }) => {
        const g = document.querySelector(ghost);
        return g && Math.abs(parseFloat(g.style.left) - x) < 0.01 && Math.abs(parseFloat(g.style.top) - y) < 0.01;
      }, { ghost, x: left0 + dx, y: top0 + dy });
      const seen = await b.evaluate(({ ghost, note }) => ({
        by: document.querySelector(ghost).textContent,
        left: parseFloat(document.querySelector(note).style.left),
        ghosts: document.querySelectorAll("[data-testid=drag-ghost]").length,
      }), { ghost, note: bobsNote });
      assert.match(seen.by, /moving: Alice/);
      assert.equal(seen.left, left0, "the confirmed note does not move before the drop");
      assert.equal(seen.ghosts, 1);
      if (dx === 120) await b.screenshot({ path: join(OUT, "drag-preview-canvas-bob.png") });
    }
    await a.mouse.up();

    await waitFor(b, ({ note, x, y }) => {
      const n = document.querySelector(note);
      return n && Math.abs(parseFloat(n.style.left) - x) < 0.01 && Math.abs(parseFloat(n.style.top) - y) < 0.01 && !document.querySelector("[data-testid=drag-ghost]");
    }, { note: bobsNote, x: left0 + 180, y: top0 + 60 });
    assert.equal(await a.locator("[data-testid=drag-ghost]").count(), 0, "nobody's own drag is a ghost");
    noErrors(alice, bob);
  });

  it("a drag of two selected notes shows both, by the same offset; gone when the dragger leaves", async () => {
    const a = alice.page, b = bob.page;
    await a.click("[data-testid=add-note]");
    await a.locator("[data-testid=note-editor]").fill("Comes along");
    await a.keyboard.press("Enter");
    const other = a.locator("[data-testid=note]", { hasText: "Comes along" });
    await other.waitFor({ timeout: WAIT });
    const [id1, id2] = [await a.locator("[data-testid=note]", { hasText: "Drag me" }).getAttribute("data-id"), await other.getAttribute("data-id")];
    await b.locator(`[data-testid=note][data-id="${id2}"]`).waitFor({ timeout: WAIT });
    const at = (id) => b.locator(`[data-testid=note][data-id="${id}"]`).evaluate((el) => ({ x: parseFloat(el.style.left), y: parseFloat(el.style.top) }));
    const [p1, p2] = [await at(id1), await at(id2)];
    const t1 = await a.locator(`[data-testid=note][data-id="${id1}"] [data-testid=note-text]`).boundingBox();
    const t2 = await a.locator(`[data-testid=note][data-id="${id2}"] [data-testid=note-text]`).boundingBox();
    await a.mouse.click(t1.x + 20, t1.y + 10);
    await a.keyboard.down("Shift");
    await a.mouse.click(t2.x + 20, t2.y + 10);
    await a.keyboard.up("Shift");
    await a.locator("[data-testid=note].selected").nth(1).waitFor({ timeout: WAIT });

    await a.mouse.move(t1.x + 20, t1.y + 10);
    await a.mouse.down();
    await a.mouse.move(t1.x + 20 + 100, t1.y + 10 + 150, { steps: 5 });
    await waitFor(b, ({ ghosts }) => ghosts.every(({ id, x, y }) => {
      const g = document.querySelector(`[data-testid=drag-ghost][data-id="${id}"]`);
      return g && Math.abs(parseFloat(g.style.left) - x) < 0.01 && Math.abs(parseFloat(g.style.top) - y) < 0.01;
    }), { ghosts: [{ id: id1, x: p1.x + 100, y: p1.y + 150 }, { id: id2, x: p2.x + 100, y: p2.y + 150 }] });
    assert.deepEqual(await at(id1), p1, "the confirmed notes stay put");
    assert.deepEqual(await at(id2), p2);

    // Alice leaves mid-drag: her previews go with her, nothing moved.
    await a.close();
    await waitFor(b, () => !document.querySelector("[data-testid=drag-ghost]"));
    assert.deepEqual(await at(id1), p1);
    assert.deepEqual(await at(id2), p2);
    noErrors(bob);
  });
});

describe("drag previews in a backlog", () => {
  it("Bob sees Alice's row at each drop point, and keeps typing in another row she drags it past", async () => {
    const alice = await person();
    const bob = await person();
    const a = alice.page, b = bob.page;
    await createBoard(a, url, { name: "Alice", title: "Drag preview backlog", button: "new-backlog" });
    const names = ["One", "Two", "Three", "Four", "Five"];
    for (const t of names) {
      await a.fill("[data-testid=new-item]", t);
      await a.press("[data-testid=new-item]", "Enter");
      await waitFor(a, (t) => [...document.querySelectorAll("[data-testid=item-title]")].some((e) => e.value === t), t);
    }
    const ids = await a.evaluate(() => Object.fromEntries([...document.querySelectorAll("[data-testid=item]")]
      .map((el) => [el.querySelector("[data-testid=item-title]").value, el.dataset.id])));
    const order = (...ns) => ns.map((n) => ids[n]);
    await joinByLink(b, await mintInvite(a, "editor"), "Bob");
    await waitFor(b, () => document.querySelectorAll("[data-testid=item]").length === 5);

    // Bob types in "Three".
    await b.locator(`[data-testid=item][data-id="${ids.Three}"] [data-testid=item-title]`).click();
    await b.keyboard.press("End");
    let typed = "Three";
    const focused = async () => {
      const got = await b.evaluate(() => ({ testid: document.activeElement?.dataset?.testid, value: document.activeElement?.value, id: document.activeElement?.closest("[data-testid=item]")?.dataset.id }));
      assert.deepEqual(got, { testid: "item-title", value: typed, id: ids.Three });
    };
    const type = async (s) => {
      await b.keyboard.type(s, { delay: 15 });
      typed += s;
      await focused();
    };
    await type(" is");

    /** Bob's rows, in order, and the one marked as a preview. */
    const bobSees = (want, preview) => waitFor(b, ({ want, preview }) => {
      const rows = [...document.querySelectorAll("[data-testid=item]")];
      const marked = rows.filter((r) => r.classList.contains("drag-preview")).map((r) => r.dataset.id);
      return rows.map((r) => r.dataset.id).join() === want.join() && marked.join() === (preview ?? "");
    }, { want, preview });

    // Alice grabs "One" by its handle and drags it down, row by row.
    const row = (n) => a.locator(`[data-testid=item][data-id="${ids[n]}"]`);
    const hb = await row("One").locator("[data-testid=drag-handle]").boundingBox();
    const hx = hb.x + hb.width / 2;
    const above = async (n) => (await row(n).boundingBox()).y + 3; // just under the gap above row n
    await a.mouse.move(hx, hb.y + hb.height / 2);
    await a.mouse.down();
    await a.mouse.move(hx, await above("Three"), { steps: 5 });
    await bobSees(order("Two", "One", "Three", "Four", "Five"), ids.One);
    await focused();
    await type(" the");

    // Past Bob's row, while he types on.
    const more = " third item";
    await Promise.all([
      b.keyboard.type(more, { delay: 20 }),
      (async () => {
        await a.mouse.move(hx, await above("Four"), { steps: 5 });
        await bobSees(order("Two", "Three", "One", "Four", "Five"), ids.One);
      })(),
    ]);
    typed += more;
    await focused();
    assert.match(await b.locator(`[data-testid=item][data-id="${ids.One}"]`).evaluate((el) => el.dataset.dragBy), /Alice/);
    await b.screenshot({ path: join(OUT, "drag-preview-backlog-bob.png") });

    await a.mouse.move(hx, await above("Five"), { steps: 5 });
    await bobSees(order("Two", "Three", "Four", "One", "Five"), ids.One);
    await focused();
    await a.mouse.up();

    // The drop: the final order, nothing marked; Bob's typing is intact.
    await bobSees(order("Two", "Three", "Four", "One", "Five"), undefined);
    await waitFor(a, (want) => [...document.querySelectorAll("[data-testid=item]")].map((r) => r.dataset.id).join() === want.join(),
      order("Two", "Three", "Four", "One", "Five"));
    await focused();
    await type(", still");
    await b.keyboard.press("Enter");
    await waitFor(a, (t) => [...document.querySelectorAll("[data-testid=item-title]")].some((e) => e.value === t), typed);
    noErrors(alice, bob);
  });
});
