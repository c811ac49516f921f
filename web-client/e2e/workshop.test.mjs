// Running a workshop (SPEC FAC-*, VIS-*), in Chromium against the real server: one
// facilitator (the board's owner) and two participants (editor invites). Private
// writing then Reveal (a participant's page never receives another's private text),
// a voting session (budget in the UI, no counts while open, ordered results), follow
// me, the timer on two pages, a locked note, the room display; screenshots of the
// facilitator and a participant during a session, desktop and phone.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { addNote, createBoard, DESKTOP, editor, harness, joinByLink, mintInvite, noErrors, note, notePoint, online, OUT, PHONE, recordReceived, until, WAIT } from "./harness.mjs";

const tag = Math.random().toString(36).slice(2, 8);
const ANN_TEXT = `Ann private idea ${tag}`;
const BOB_TEXT = `Bob private idea ${tag}`;


const texts = (page) => page.$$eval("[data-testid=note-text]", (els) => els.map((e) => e.textContent));
const inView = (page, text) => page.evaluate((t) => [...window.tandem.view.objects.values()].some((o) => String(o.fields.get("text") ?? "").includes(t)), text);
const viewport = (page) => page.evaluate(() => window.tandemView.viewport());

describe("running a workshop", () => {
  const { url, person } = harness();
  let fran, ann, bob, annFrames, bobFrames;

  it("sets up: Fran creates the board (owner), Ann and Bob join with an editor link", async () => {
    fran = await person();
    await createBoard(fran.page, url, { name: "Fran", title: "Retro workshop" });
    // A board running no workshop keeps its height: the bar opens from the header.
    assert.equal(await fran.page.locator("[data-testid=facilitator-bar]").count(), 0);
    await fran.page.click("[data-testid=facilitate]");
    await fran.page.locator("[data-testid=facilitator-bar]").waitFor({ timeout: WAIT });
    assert.equal(await fran.page.getAttribute("[data-testid=facilitate]", "aria-expanded"), "true");
    const link = await mintInvite(fran.page, "editor");
    ann = await person();
    annFrames = recordReceived(ann.page);
    await joinByLink(ann.page, link, "Ann");
    bob = await person();
    bobFrames = recordReceived(bob.page);
    await joinByLink(bob.page, link, "Bob");
    for (const p of [ann, bob]) {
      assert.equal(await p.page.locator("[data-testid=facilitator-bar]").count(), 0, "no facilitator bar for participants");
      assert.equal(await p.page.locator("[data-testid=facilitate]").count(), 0, "no Facilitate button for participants");
    }
    // An agenda: a brainstorm, silent ideas (anonymous), then a vote.
    await fran.page.click("[data-testid=edit-agenda]");
    for (let i = 0; i < 3; i++) await fran.page.click("[data-testid=add-phase]");
    const names = fran.page.locator("[data-testid=phase-name]");
    await names.nth(0).fill("Brainstorm");
    await names.nth(1).fill("Silent ideas");
    await fran.page.locator("[data-testid=phase-anonymous]").nth(1).check();
    await names.nth(2).fill("Vote");
    await fran.page.click("[data-testid=save-agenda]");
    await fran.page.selectOption("[data-testid=phase-select]", { label: "Brainstorm" });
    for (const p of [fran, ann, bob]) await p.page.locator("[data-testid=phase]", { hasText: "Brainstorm" }).waitFor({ timeout: WAIT });
    await ann.page.click("[data-testid=ready]");
    for (const p of [fran, ann, bob]) await p.page.locator("[data-testid=ready-count]", { hasText: "1 of 2 ready" }).waitFor({ timeout: WAIT });
    await fran.page.locator("[data-testid=ready-names]", { hasText: "Ann" }).waitFor({ timeout: WAIT });
    noErrors(fran, ann, bob);
  });

  it("private writing: participants never receive each other's notes; Reveal shows all", async () => {
    await fran.page.click("[data-testid=private-on]");
    for (const p of [ann, bob]) await p.page.locator("[data-testid=private-notice]", { hasText: "only you and the facilitators see your notes" }).waitFor({ timeout: WAIT });
    await addNote(ann.page, ANN_TEXT);
    await addNote(bob.page, BOB_TEXT);
    // Everyone sees the counts; the facilitator sees both notes.
    for (const p of [fran, ann, bob]) {
      await p.page.locator("[data-testid=private-count]", { hasText: "Ann: 1 note" }).waitFor({ timeout: WAIT });
      await p.page.locator("[data-testid=private-count]", { hasText: "Bob: 1 note" }).waitFor({ timeout: WAIT });
    }
    await note(fran.page, ANN_TEXT).waitFor({ timeout: WAIT });
    await note(fran.page, BOB_TEXT).waitFor({ timeout: WAIT });
    await shots("private");
    // Marks: the author sees who sees it, the facilitator whose it is.
    assert.equal(await note(ann.page, ANN_TEXT).locator("[data-testid=private-mark]").textContent(), "You and facilitators");
    assert.equal(await note(fran.page, ANN_TEXT).locator("[data-testid=private-mark]").textContent(), "Private: Ann");
    // Not in the DOM, not in the replica, not in any frame received.
    assert.ok(!(await texts(ann.page)).includes(BOB_TEXT));
    assert.ok(!(await texts(bob.page)).includes(ANN_TEXT));
    assert.equal(await inView(ann.page, BOB_TEXT), false);
    assert.equal(await inView(bob.page, ANN_TEXT), false);
    assert.equal(annFrames.has(BOB_TEXT), false, "Ann's page received Bob's private text");
    assert.equal(bobFrames.has(ANN_TEXT), false, "Bob's page received Ann's private text");
    assert.ok(annFrames.frames.length > 0 && bobFrames.has("Bob: ") === false);
    // Reveal: everyone sees everything.
    await fran.page.click("[data-testid=reveal]");
    for (const p of [fran, ann, bob]) {
      await note(p.page, ANN_TEXT).waitFor({ timeout: WAIT });
      await note(p.page, BOB_TEXT).waitFor({ timeout: WAIT });
      await p.page.locator("[data-testid=private-notice]").waitFor({ state: "detached", timeout: WAIT });
      assert.equal(await p.page.locator("[data-testid=private-mark]").count(), 0);
    }
    noErrors(fran, ann, bob);
  });

  it("an anonymous phase: no author shown until the facilitator shows names", async () => {
    await fran.page.click("[data-testid=next-phase]");
    await bob.page.locator("[data-testid=phase]", { hasText: "Silent ideas" }).waitFor({ timeout: WAIT });
    await addNote(bob.page, `Bob anonymous ${tag}`);
    for (const p of [fran, ann]) {
      await note(p.page, `Bob anonymous ${tag}`).waitFor({ timeout: WAIT });
      assert.equal(await note(p.page, `Bob anonymous ${tag}`).locator("[data-testid=author]").textContent(), "Anonymous");
    }
    await fran.page.click("[data-testid=show-names]");
    await note(ann.page, `Bob anonymous ${tag}`).locator("[data-testid=author]", { hasText: "Bob" }).waitFor({ timeout: WAIT });
    noErrors(fran, ann, bob);
  });

  it("a voting session: the budget in the UI, no counts while open, ordered results after close", async () => {
    await fran.page.click("[data-testid=next-phase]");
    await ann.page.locator("[data-testid=phase]", { hasText: /^Vote/ }).waitFor({ timeout: WAIT });
    await fran.page.click("[data-testid=open-vote]");
    await fran.page.fill("[data-testid=vote-title]", "Which first?");
    await fran.page.fill("[data-testid=vote-per-person]", "2");
    await fran.page.fill("[data-testid=vote-max]", "2");
    await fran.page.click("[data-testid=vote-go]");
    for (const p of [ann, bob]) await p.page.locator("[data-testid=votes-left]", { hasText: "2 of 2 votes left" }).waitFor({ timeout: WAIT });
    const annVote = (text) => note(ann.page, text).locator("[data-testid=vote-button]");
    // By keyboard (notes may overlap on the canvas): the button takes the focus, Enter votes.
    await annVote(BOB_TEXT).press("Enter");
    await ann.page.locator("[data-testid=votes-left]", { hasText: "1 of 2" }).waitFor({ timeout: WAIT });
    await annVote(BOB_TEXT).press("Enter");
    await ann.page.locator("[data-testid=votes-left]", { hasText: "0 of 2" }).waitFor({ timeout: WAIT });
    // Budget used: every vote button is disabled (the UI never sends an over-budget vote).
    assert.equal(await ann.page.locator("[data-testid=vote-button]:not([disabled])").count(), 0);
    await note(bob.page, ANN_TEXT).locator("[data-testid=vote-button]").press("Enter");
    await bob.page.locator("[data-testid=votes-left]", { hasText: "1 of 2" }).waitFor({ timeout: WAIT });
    await fran.page.locator("[data-testid=turnout-count]", { hasText: "2 voted" }).waitFor({ timeout: WAIT });
    // No counts while the vote is open, on any page.
    for (const p of [fran, ann, bob]) assert.equal(await p.page.locator("[data-testid=votes]").count(), 0, "a vote count shown while the vote is open");
    await shots("voting");
    await fran.page.click("[data-testid=close-vote]");
    await fran.page.locator("[data-testid=open-vote]").waitFor({ timeout: WAIT });
    // The facilitator's results come in the ack of her own CloseVoting (FAC-9, ACK-4): no reload.
    for (const p of [fran, ann, bob]) {
      const rows = p.page.locator("[data-testid=results] [data-testid=result-row]");
      await rows.nth(1).waitFor({ timeout: WAIT });
      const got = await rows.evaluateAll((els) => els.map((e) => [e.querySelector(".tally-label").textContent, Number(e.dataset.count), e.querySelector(".tally-voters")?.textContent ?? ""]));
      assert.deepEqual(got, [[BOB_TEXT, 2, "Ann"], [ANN_TEXT, 1, "Bob"]]);
      assert.equal(await p.page.locator("[data-testid=voting-panel]").count(), 0);
    }
    await shots("results");
    noErrors(fran, ann, bob);
  });

  async function shots(state) {
    for (const [who, p] of [["facilitator", fran], ["participant", ann]]) {
      await p.page.screenshot({ path: join(OUT, `workshop-${state}-${who}-desktop.png`) });
      await p.page.setViewportSize(PHONE);
      await p.page.locator("[data-testid=status]").waitFor({ timeout: WAIT });
      await p.page.screenshot({ path: join(OUT, `workshop-${state}-${who}-phone.png`) });
      await p.page.setViewportSize(DESKTOP);
    }
  }

  it("every workshop control is a labelled button, input or select", async () => {
    for (const p of [fran, ann]) {
      const unnamed = await p.page.$$eval("header :is(button, input, select), .facilitator-bar :is(button, input, select), .workshop-banner button, .workshop-side button, [data-testid=note] button",
        (els) => els.filter((e) => !(e.getAttribute("aria-label") || e.textContent?.trim() || e.labels?.[0]?.textContent?.trim())).map((e) => e.outerHTML.slice(0, 100)));
      assert.deepEqual(unnamed, []);
    }
    const barControls = await fran.page.locator(".facilitator-bar :is(button, input, select)").count();
    assert.ok(barControls >= 10, `the facilitator bar has ${barControls} controls`);
  });

  it("the timer shows the same time left on two pages, and pauses", async () => {
    await fran.page.fill("[data-testid=timer-minutes]", "5");
    await fran.page.click("[data-testid=timer-start]");
    const timer = (p) => p.page.locator("[role=timer]");
    await timer(ann).waitFor({ timeout: WAIT });
    await timer(fran).waitFor({ timeout: WAIT });
    const [a, f] = await Promise.all([ann, fran].map((p) => timer(p).getAttribute("data-ms").then(Number)));
    assert.ok(a > 200_000 && a <= 300_000, `time left ${a}`);
    assert.ok(Math.abs(a - f) < 1000, `the two pages differ by ${Math.abs(a - f)} ms`);
    assert.match(await timer(ann).getAttribute("aria-label"), /^Timer: \d+ minutes? \d* ?(seconds? )?left/);
    await fran.page.click("[data-testid=timer-pause]");
    await ann.page.locator("[role=timer].paused").waitFor({ timeout: WAIT });
    assert.match(await timer(ann).getAttribute("aria-label"), /paused$/);
    noErrors(fran, ann, bob);
  });

  it("follow me: the participants' view moves with the facilitator's", async () => {
    await fran.page.click("[data-testid=follow-me]");
    for (const p of [ann, bob]) await p.page.locator("[data-testid=follow-banner]", { hasText: "Following Fran" }).waitFor({ timeout: WAIT });
    // Fran pans by dragging the canvas's background.
    const box = await fran.page.locator("[data-testid=canvas]").boundingBox();
    await fran.page.mouse.move(box.x + 20, box.y + 20);
    await fran.page.mouse.down();
    await fran.page.mouse.move(box.x + 220, box.y + 170, { steps: 8 });
    await fran.page.mouse.up();
    const target = await viewport(fran.page);
    let seen = null;
    for (const p of [ann, bob]) await until(async () => {
      const v = (seen = await viewport(p.page));
      return Math.abs(v.x - target.x) < 0.5 && Math.abs(v.y - target.y) < 0.5 && Math.abs(v.zoom - target.zoom) < 1e-6;
    }, "the participant's view to follow the facilitator's").catch((e) => {
      throw new Error(`${e.message}: ${JSON.stringify({ target, seen })}`);
    });
    // Ann steps out, and back in.
    await ann.page.click("[data-testid=stop-follow]");
    await ann.page.locator("[data-testid=follow-offer]").waitFor({ timeout: WAIT });
    await ann.page.click("[data-testid=rejoin-follow]");
    await ann.page.locator("[data-testid=follow-banner]").waitFor({ timeout: WAIT });
    await fran.page.click("[data-testid=follow-me]");
    for (const p of [ann, bob]) await p.page.locator("[data-testid=follow-banner]").waitFor({ state: "detached", timeout: WAIT });
    // Following one person: Bob clicks Ann's chip.
    await bob.page.click("[data-testid=peer][aria-label=\"Follow Ann's view\"]");
    await bob.page.locator("[data-testid=follow-banner]", { hasText: "Following Ann" }).waitFor({ timeout: WAIT });
    await bob.page.click("[data-testid=stop-follow]");
    await bob.page.locator("[data-testid=follow-banner]").waitFor({ state: "detached", timeout: WAIT });
    noErrors(fran, ann, bob);
  });

  it("a locked note cannot be changed by a participant", async () => {
    const LOCKED = `Bob anonymous ${tag}`;
    const p = await notePoint(fran.page, LOCKED, { top: 30 });
    await fran.page.mouse.click(p.x, p.y);
    await fran.page.locator("[data-testid=lock-selected]:not([disabled])").click();
    await note(ann.page, LOCKED).locator("[data-testid=locked]").waitFor({ timeout: WAIT });
    const before = await note(ann.page, LOCKED).evaluate((n) => n.style.left + n.style.top);
    const q = await notePoint(ann.page, LOCKED, { top: 30 });
    await ann.page.mouse.dblclick(q.x, q.y);
    assert.equal(await editor(ann.page).count(), 0, "no editor opens on a locked note");
    await ann.page.mouse.move(q.x, q.y);
    await ann.page.mouse.down();
    await ann.page.mouse.move(q.x + 80, q.y + 60, { steps: 5 });
    await ann.page.mouse.up();
    await ann.page.keyboard.press("Delete");
    assert.equal(await note(ann.page, LOCKED).evaluate((n) => n.style.left + n.style.top), before, "the locked note did not move");
    assert.equal(await ann.page.evaluate(() => window.tandem.pendingCount), 0, "nothing was sent");
    assert.equal(await note(ann.page, LOCKED).count(), 1);
    await until(async () => (await ann.page.locator("[data-testid=toast]:not([hidden])").count()) === 0, "no refusal shown");
    // The facilitator still edits it.
    await fran.page.mouse.dblclick(p.x, p.y);
    await editor(fran.page).waitFor({ timeout: WAIT });
    await fran.page.keyboard.press("Escape");
    noErrors(fran, ann, bob);
  });

  it("the room display link opens a follower with no toolbar", async () => {
    await fran.page.click("[data-testid=room-display]");
    const link = await fran.page.locator("[data-testid=room-display-link]").inputValue();
    assert.match(link, /\?invite=.+&display=1$/);
    const room = await person();
    await room.page.goto(link);
    await room.page.fill("[data-testid=join-name]", "Room 4");
    await room.page.click("[data-testid=join-go]");
    await room.page.locator('[data-testid=status][data-status="online"]').waitFor({ timeout: WAIT });
    assert.match(room.page.url(), /display=1/);
    await room.page.locator("[data-testid=follow-banner]", { hasText: "Fran" }).waitFor({ timeout: WAIT });
    assert.equal(await room.page.locator(".toolbar").isVisible(), false);
    await room.page.screenshot({ path: join(OUT, "workshop-room-display.png") });
    noErrors(fran, ann, bob, room);
  });
});
