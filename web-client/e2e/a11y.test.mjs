// End to end: every main screen at desktop (1280x800) and phone (390x844) size, checked
// with axe-core (npm) for serious and critical violations of WCAG 2 A/AA, and saved as a
// screenshot in build/e2e-screenshots/screen-*.png (issue "The page feels like a product",
// must-haves 5 and 6). The screens: the landing page, the join dialog of an invite link,
// a discovery board (retro template, a note with a vote and a comment, its side panel),
// the share dialog, and a backlog board with items.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";
import { DESKTOP, OUT, PHONE, WAIT, createBoard, harness, mintInvite } from "./harness.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");

const h = harness();
const { url, person } = h;

/** Runs axe on the page; returns the serious and critical violations as readable lines. */
async function axeProblems(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}x, e.g. ${v.nodes[0]?.target?.join(" ")})`);
}

/** Screenshot `name` at the page's current size, then axe: no serious or critical violation. */
async function check(page, name, size) {
  await page.screenshot({ path: join(OUT, `screen-${name}-${size}.png`) });
  const problems = await axeProblems(page);
  assert.deepEqual(problems, [], `${name} at ${size} size`);
}

/** Creates a note through the page's sync client and waits until it is shown. */
async function addNote(page, id, text) {
  await page.evaluate(({ id, text }) => {
    const t = (v) => ({ kind: { case: "text", value: v } });
    const n = (v) => ({ kind: { case: "number", value: v } });
    const fields = [["text", t(text)], ["color", t("#fff4b8")], ["x", n(120)], ["y", n(160)], ["width", n(160)], ["height", n(120)]]
      .map(([name, value]) => ({ name, value }));
    window.tandem.submit([{ kind: { case: "create", value: { id, type: 1, fields } } }]);
  }, { id, text });
  await page.locator(`[data-id="${id}"]`).waitFor({ timeout: WAIT });
}

for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
  describe(`main screens at ${size} size: no serious or critical accessibility violation`, () => {
    let alice;

    it("landing page", async () => {
      alice = await person(viewport);
      await alice.page.goto(url("/"));
      await alice.page.locator("[data-testid=new-title]").waitFor({ timeout: WAIT });
      await check(alice.page, "landing", size);
    });

    it("discovery board with a note, a vote and a comment; the share dialog; the join dialog", async () => {
      const page = alice.page;
      await createBoard(page, url, { name: "Alice", title: `Problem framing ${size}`, button: "template-1" });
      await addNote(page, "a11y-note", "Ship the onboarding checklist");
      await page.evaluate(() => {
        window.tandem.submit([{ kind: { case: "addVote", value: { id: crypto.randomUUID(), target: "a11y-note" } } }]);
        const t = (v) => ({ kind: { case: "text", value: v } });
        window.tandem.submit([{ kind: { case: "create", value: { id: "a11y-comment", type: 5,
          fields: [{ name: "target", value: t("a11y-note") }, { name: "text", value: t("Agreed, next sprint") }] } } }]);
      });
      await page.waitForFunction(() => window.tandem.pending.length === 0, null, { timeout: WAIT });
      await check(page, "discovery", size);

      await page.click("[data-testid=share]");
      await page.locator("[data-testid=invite-create]").waitFor({ timeout: WAIT });
      await check(page, "share-dialog", size);
      await page.keyboard.press("Escape");

      const link = await mintInvite(page, "editor");
      const bob = await person(viewport);
      await bob.page.goto(link);
      await bob.page.locator("[data-testid=join-dialog]").waitFor({ timeout: WAIT });
      await check(bob.page, "join-dialog", size);
      await bob.page.fill("[data-testid=join-name]", "Bob");
      await bob.page.click("[data-testid=join-go]");
      await bob.page.locator('[data-id="a11y-note"]').waitFor({ timeout: WAIT });
      await check(bob.page, "discovery-as-editor", size);
      assert.deepEqual(alice.errors.map(String), []);
      assert.deepEqual(bob.errors.map(String), []);
    });

    it("backlog board with items", async () => {
      const page = alice.page;
      await createBoard(page, url, { name: "Alice", title: `Backlog ${size}`, button: "new-backlog" });
      await page.evaluate(() => {
        const t = (v) => ({ kind: { case: "text", value: v } });
        const ops = ["Login with SSO", "Export to CSV", "Dark mode", "Faster search"].map((title, i) => ({
          kind: { case: "create", value: { id: `item-${i}`, type: 2,
            fields: [{ name: "title", value: t(title) }, { name: "order", value: t(`a${i}`) }] } },
        }));
        window.tandem.submit(ops);
      });
      await page.waitForFunction(() => window.tandem.pending.length === 0, null, { timeout: WAIT });
      await check(page, "backlog", size);
      assert.deepEqual(alice.errors.map(String), []);
    });
  });
}

