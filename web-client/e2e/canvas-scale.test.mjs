// End to end: a discovery board holds up with 1,000 notes. Only the notes near the
// viewport are in the DOM (culling); panning brings others in; a remote vote updates
// the count on its note without replacing any other note's element; a joiner gets the
// board's snapshot in parts (the server cuts it at 16 KiB here, JOIN-8); and the time the
// page spends on one remote change (from the WebSocket message to the end of the
// subscribers' work) is measured and printed, not asserted.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { OUT, WAIT, createBoard, harness, joinByLink, mintInvite, recordReceived } from "./harness.mjs";

const h = harness(["--welcome-part-bytes", "16384"]);
const { url, person } = h;

const N = 1000;
const COLS = 40;
const NOTE = 1; // ObjectType.NOTE

/** Records, in the page, when each WebSocket message arrives (before the client's own handler). */
function timeFrames() {
  window.__msgAt = 0;
  window.__frameMs = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", () => { window.__msgAt = performance.now(); });
    }
  };
}

/** Creates N notes on a grid (away from the top-left corner) through the page's sync client, in two changes. */
async function addNotes(page) {
  await page.evaluate(({ N, COLS, NOTE }) => {
    const text = (v) => ({ kind: { case: "text", value: v } });
    const numv = (v) => ({ kind: { case: "number", value: v } });
    const ops = [];
    for (let i = 0; i < N; i++) {
      const x = 400 + (i % COLS) * 200, y = 300 + Math.floor(i / COLS) * 150;
      const fields = [["text", text(`n${i}`)], ["color", text("#fff4b8")], ["x", numv(x)], ["y", numv(y)],
        ["width", numv(160)], ["height", numv(120)]]
        .map(([name, value]) => ({ name, value }));
      ops.push({ kind: { case: "create", value: { id: `note-${i}`, type: NOTE, fields } } });
    }
    window.tandem.submit(ops.slice(0, N / 2));
    window.tandem.submit(ops.slice(N / 2));
  }, { N, COLS, NOTE });
  await page.waitForFunction((N) => window.tandem.pending.length === 0
    && [...window.tandem.view.objects.values()].filter((o) => o.id.startsWith("note-") && !o.deleted).length === N, N, { timeout: WAIT * 2 })
    .catch(async (e) => {
      throw new Error(`${e.message}: ${await page.evaluate(() => JSON.stringify({ error: window.tandem.lastError, pending: window.tandem.pending.length, objects: window.tandem.view.objects.size, status: window.tandem.status }))}`);
    });
}

/** Frames holding a SnapshotPart: ServerFrame{messages (tag 0x0a) = ServerMessage{snapshot_part (tag 0x4a)}}. */
function partFrames(frames) {
  return frames.filter((b) => {
    if (b[0] !== 0x0a) return false;
    let i = 1;
    while (b[i] & 0x80) i++; // the message's length, a varint
    return b[i + 1] === 0x4a;
  }).length;
}

const inDom = (page) => page.evaluate(() => [...document.querySelectorAll("[data-testid=note]")].map((e) => e.dataset.id));

describe("a discovery board with 1,000 notes", () => {
  let alice, bob;

  it("only the notes near the viewport are in the DOM", async () => {
    alice = await person();
    await alice.page.addInitScript(timeFrames);
    await createBoard(alice.page, url, { name: "Alice", title: "Thousand" });
    await addNotes(alice.page);
    await alice.page.locator("[data-id=note-0]").waitFor({ timeout: WAIT });
    const ids = await inDom(alice.page);
    assert.ok(ids.length > 10, `some notes are shown (${ids.length})`);
    assert.ok(ids.length < 300, `only the notes near the viewport are in the DOM (${ids.length} of ${N})`);
    assert.ok(!ids.includes(`note-${N - 1}`), "the farthest note is not in the DOM");
    console.log(`# notes in the DOM at the start: ${ids.length} of ${N}`);
  });

  it("panning brings other notes in and takes the far ones out; the selection stays when zoomed away", async () => {
    const page = alice.page;
    const before = new Set(await inDom(page));
    // Drags from a point of the background near the bottom-right corner towards the top-left: a pan.
    for (let step = 0; step < 3; step++) {
      const p = await page.evaluate(() => {
        const r = document.querySelector("[data-testid=canvas]").getBoundingClientRect();
        for (let y = r.bottom - 20; y > r.top + r.height / 2; y -= 6)
          for (let x = r.right - 20; x > r.left + r.width / 2; x -= 6) {
            const t = document.elementFromPoint(x, y);
            if (t?.matches("[data-testid=canvas], [data-testid=world]")) return { x, y, left: r.left + 10, top: r.top + 10 };
          }
        return null;
      });
      assert.ok(p, "a point of the background to drag");
      await page.mouse.move(p.x, p.y);
      await page.mouse.down();
      await page.mouse.move((p.x + p.left) / 2, (p.y + p.top) / 2, { steps: 5 });
      await page.mouse.move(p.left, p.top, { steps: 5 });
      await page.mouse.up();
    }
    await page.waitForFunction(() => !document.querySelector("[data-id=note-0]"), null, { timeout: WAIT });
    const after = await inDom(page);
    const added = after.filter((id) => !before.has(id));
    assert.ok(added.length > 10, `panning brought notes in (${added.length})`);
    assert.ok(after.length < 300, `still only the notes near the viewport (${after.length})`);
    await page.screenshot({ path: join(OUT, "canvas-1000-panned.png") });
    // The selection stays in the DOM when the view leaves it: select the top-left note, zoom in at the bottom-right.
    const sel = await page.evaluate(() => {
      const c = document.querySelector("[data-testid=canvas]").getBoundingClientRect();
      const seen = [...document.querySelectorAll("[data-testid=note]")].map((e) => [e, e.getBoundingClientRect()])
        .filter(([, r]) => r.left >= c.left && r.top >= c.top && r.right <= c.right && r.bottom <= c.bottom);
      seen.sort((a, b) => a[1].left + a[1].top - b[1].left - b[1].top);
      return seen[0][0].dataset.id;
    });
    await page.locator(`[data-id="${sel}"] [data-testid=note-text]`).click();
    await page.locator(`[data-id="${sel}"].selected`).waitFor({ timeout: WAIT });
    const c = await page.locator("[data-testid=canvas]").boundingBox();
    await page.mouse.move(c.x + c.width - 10, c.y + c.height - 10);
    const zoomedOut = await page.evaluate(() => document.querySelectorAll("[data-testid=note]").length);
    await page.keyboard.down("Control"); // Ctrl+wheel zooms; a plain wheel pans (canvas/gestures.ts)
    await page.mouse.wheel(0, -1500);
    await page.keyboard.up("Control");
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=note]").length < n, zoomedOut, { timeout: WAIT });
    const kept = await page.evaluate((sel) => {
      const el = document.querySelector(`[data-id="${sel}"]`);
      const c = document.querySelector("[data-testid=canvas]").getBoundingClientRect();
      const r = el?.getBoundingClientRect();
      return { inDom: !!el, offScreen: !!r && (r.right < c.left || r.bottom < c.top) };
    }, sel);
    assert.deepEqual(kept, { inDom: true, offScreen: true }, "the selected note is kept in the DOM, off screen");
    // Back to the zoom before: the notes around come back.
    const zoomedIn = await page.evaluate(() => document.querySelectorAll("[data-testid=note]").length);
    await page.keyboard.down("Control"); // Ctrl+wheel zooms; a plain wheel pans (canvas/gestures.ts)
    await page.mouse.wheel(0, 1500);
    await page.keyboard.up("Control");
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=note]").length > n, zoomedIn, { timeout: WAIT });
  });

  it("a remote vote updates its note's count and no other note's element is replaced", async () => {
    const page = alice.page;
    const link = await mintInvite(page, "editor");
    bob = await person();
    const received = recordReceived(bob.page);
    await joinByLink(bob.page, link, "Bob");
    await bob.page.waitForFunction((N) => [...window.tandem.view.objects.values()].filter((o) => o.id.startsWith("note-")).length === N, N, { timeout: WAIT });
    const parts = partFrames(received.frames);
    assert.ok(parts >= 5, `Bob's snapshot came in parts (${parts} frames)`);
    const shown = await inDom(page);
    const target = shown[Math.floor(shown.length / 2)];
    const marked = await page.evaluate(() => {
      const els = [...document.querySelectorAll("[data-testid=note]")];
      for (const e of els) e.__kept = true;
      return els.length;
    });
    await bob.page.evaluate((target) => window.tandem.submit([{ kind: { case: "addVote", value: { id: crypto.randomUUID(), target } } }]), target);
    await page.locator(`[data-id="${target}"] [data-testid=votes]`).filter({ hasText: "1" }).waitFor({ timeout: WAIT });
    const check = await page.evaluate(() => {
      const els = [...document.querySelectorAll("[data-testid=note]")];
      return { count: els.length, fresh: els.filter((e) => !e.__kept).map((e) => e.dataset.id) };
    });
    assert.equal(check.count, marked, "the same notes are shown");
    assert.deepEqual(check.fresh, [], "no note element was replaced");
    await page.screenshot({ path: join(OUT, "canvas-1000-voted.png") });
    assert.deepEqual(alice.errors.map(String), []);
    assert.deepEqual(bob.errors.map(String), []);
  });

  it("measures the time of one remote change in the page (reported, not asserted)", async () => {
    const page = alice.page;
    const shown = await inDom(page);
    const times = [];
    for (let i = 0; i < 3; i++) {
      const target = shown[i * 7 % shown.length];
      await page.evaluate(() => {
        window.__frameMs = [];
        window.__unsub?.();
        window.__unsub = window.tandem.subscribe(() => {
          if (window.__msgAt) window.__frameMs.push(performance.now() - window.__msgAt);
          window.__msgAt = 0;
        });
      });
      await bob.page.evaluate(({ target, i }) => window.tandem.submit([{
        kind: { case: "update", value: { id: target, fields: [{ name: "text", value: { kind: { case: "text", value: `changed ${i}` } } }] } },
      }]), { target, i });
      await page.locator(`[data-id="${target}"]`).filter({ hasText: `changed ${i}` }).waitFor({ timeout: WAIT });
      const ms = await page.evaluate(() => Math.max(0, ...window.__frameMs));
      times.push(ms);
    }
    times.sort((a, b) => a - b);
    console.log(`# one remote change with ${N} notes: ${times.map((t) => t.toFixed(2)).join(", ")} ms; median ${times[1].toFixed(2)} ms`);
    assert.equal(times.length, 3);
  });

  it("a render of one changed note touches only that note; a presence-only render touches no note", async () => {
    // The view's render(changes) as boardPage will call it with the sync client's FrameChanges
    // (window.tandemView is the discovery view, for tests and debugging).
    const r = await alice.page.evaluate(() => {
      const none = { all: false, objects: new Set(), settings: false, presence: new Set(), status: false };
      const notes = () => [...document.querySelectorAll("[data-testid=note]")];
      const out = { incremental: [], full: [], replaced: [], presenceReplaced: [] };
      for (let i = 0; i < 3; i++) {
        const els = notes();
        for (const e of els) e.firstChild.__kept = true;
        const id = els[(i * 5) % els.length].dataset.id;
        window.tandem.view.live(id).fields.set("text", `incremental ${i}`);
        const t0 = performance.now();
        window.tandemView.render({ ...none, objects: new Set([id]) });
        out.incremental.push(performance.now() - t0);
        out.replaced.push(notes().filter((e) => !e.firstChild.__kept).map((e) => [e.dataset.id === id, e.textContent.includes(`incremental ${i}`)]));
        const t1 = performance.now();
        window.tandemView.render();
        out.full.push(performance.now() - t1);
      }
      for (const e of notes()) e.firstChild.__kept = true;
      window.tandemView.render({ ...none, presence: new Set(["nobody"]) });
      out.presenceReplaced = notes().filter((e) => !e.firstChild.__kept).length;
      return out;
    });
    assert.deepEqual(r.replaced, [[[true, true]], [[true, true]], [[true, true]]], "only the changed note's content was rebuilt, with its new text");
    assert.equal(r.presenceReplaced, 0, "a presence-only render touches no note");
    const med = (a) => [...a].sort((x, y) => x - y)[1].toFixed(2);
    console.log(`# render with ${N} notes: incremental (one note) median ${med(r.incremental)} ms [${r.incremental.map((t) => t.toFixed(2))}]; full pass median ${med(r.full)} ms [${r.full.map((t) => t.toFixed(2))}]`);
  });
});
