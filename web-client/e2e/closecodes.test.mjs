// End to end: what the page does with a full disk and with an outdated page (SPEC
// CLOSE-3, REJ-2), on the real server.
// - A full disk: the server is tandem_faulty (the server on a disk that fills up on
//   SIGUSR1 and has room again on SIGUSR2). Bob's note is refused with
//   STORAGE_UNAVAILABLE, again and again while the disk stays full: it stays on his
//   page as a pending change, nobody else sees it, and once there is room it is
//   resent and reaches Alice. It never vanishes.
// - 4002 (protocol version): the page stops, says "out of date", does not reconnect
//   by itself, keeps the change it had not sent, and sends it after the reload.
//   The close comes from a routed WebSocket (the real server behind it), because the
//   real server closes 4002 only for another protocol version than this page's.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { createBoard, editor, harness, joinByLink, mintInvite, noErrors, note, online, OUT, WAIT } from "./harness.mjs";

const FAULTY = process.env.TANDEM_FAULTY_BIN ?? join(import.meta.dirname, "..", "..", "build", "tests", "tandem_faulty");
const statusText = (page) => page.textContent("[data-testid=status]");

async function writeNote(page, text) {
  await page.click("[data-testid=add-note]");
  await editor(page).fill(text);
  await page.keyboard.press("Enter");
  await editor(page).waitFor({ state: "detached", timeout: WAIT });
}

/** Waits until `fn()` is truthy (polled), or fails after `timeout`. */
async function until(fn, what, timeout = WAIT) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("a full disk", () => {
  const h = harness([], { bin: FAULTY });
  const rejected = async () => {
    const text = await (await fetch(h.url("/metrics"))).text();
    return Number(text.match(/^tandem_changes_rejected_total (\d+)$/m)?.[1] ?? 0);
  };

  it("keeps Bob's refused note pending while the disk is full, and delivers it when there is room", async () => {
    const alice = await h.person(), bob = await h.person();
    await createBoard(alice.page, h.url, { name: "Alice", title: "Full disk" });
    await joinByLink(bob.page, await mintInvite(alice.page, "editor"), "Bob");

    process.kill(h.server.child.pid, "SIGUSR1"); // from now on every write fails: no space left
    await writeNote(bob.page, "Written on a full disk");
    // Refused, resent after a backoff and refused again: the disk stays full.
    await until(async () => (await rejected()) >= 2, "two refusals of Bob's note");
    assert.match(await statusText(bob.page), /\b1 change\b/); // kept: "sending" while live, "kept on this device" while reconnecting
    await note(bob.page, "Written on a full disk").waitFor({ timeout: WAIT }); // still on his page
    assert.equal(await note(alice.page, "Written on a full disk").count(), 0); // nothing acked, nothing shown
    await bob.page.screenshot({ path: join(OUT, "full-disk-pending.png") });

    process.kill(h.server.child.pid, "SIGUSR2"); // room again
    await note(alice.page, "Written on a full disk").waitFor({ timeout: WAIT });
    await until(async () => /^Live( · 1 change sent)?$/.test(await statusText(bob.page)), "Bob live with nothing pending");
    assert.equal(await note(bob.page, "Written on a full disk").count(), 1); // once, not twice
    noErrors(alice, bob);
  });
});

describe("an out-of-date page (4002)", () => {
  const h = harness();

  it("stops with a plain message, keeps its unsent change and sends it after the reload", async () => {
    const alice = await h.person(), bob = await h.person();
    await createBoard(alice.page, h.url, { name: "Alice", title: "Versions" });
    const link = await mintInvite(alice.page, "editor");
    // Bob's WebSocket goes through a route: forwarded both ways until the test holds
    // his frames (his change stays unsent) and closes his socket with 4002.
    const route = { connections: 0, hold: false, current: null };
    await bob.page.routeWebSocket(/\/ws$/, (ws) => {
      route.connections++;
      route.current = ws;
      const server = ws.connectToServer();
      ws.onMessage((m) => { if (!route.hold) server.send(m); });
      server.onMessage((m) => ws.send(m));
    });
    await joinByLink(bob.page, link, "Bob");
    assert.equal(route.connections, 1);

    route.hold = true;
    await writeNote(bob.page, "Sent after the reload");
    await until(async () => /sending 1 change/.test(await statusText(bob.page)), "Bob's change pending");
    await route.current.close({ code: 4002, reason: "protocol version" });

    const banner = bob.page.locator("[data-testid=ended][data-reason=outdated]");
    await banner.waitFor({ timeout: WAIT });
    assert.match(await banner.textContent(), /out of date/i);
    assert.equal(await statusText(bob.page), "Out of date: reload");
    await bob.page.screenshot({ path: join(OUT, "outdated.png") });
    // It does not reconnect by itself (the old page reconnected forever).
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(route.connections, 1);
    assert.equal(await note(alice.page, "Sent after the reload").count(), 0);

    route.hold = false;
    await bob.page.click("[data-testid=reload]");
    await online(bob.page);
    assert.equal(route.connections, 2);
    await note(alice.page, "Sent after the reload").waitFor({ timeout: WAIT });
    await until(async () => /^Live( · 1 change sent)?$/.test(await statusText(bob.page)), "Bob live with nothing pending");
    noErrors(alice, bob);
  });
});
