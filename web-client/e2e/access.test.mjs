// End to end: who may do what on a board (SPEC AUTH-*, ROLE-*, API-*), in
// separate browser contexts (one person each, own memberships). The owner creates
// a board on the landing page and shares it; a viewer joins by link, is asked for a
// name once, sees the board read-only and sends nothing; an editor joins by link
// and adds a note the owner sees under the editor's name; revoking the editor's
// link closes the editor's page with a banner, and the dead link is refused.
// Screenshots (the share dialog at desktop size, the viewer on a phone, the
// revoked banner) go to $TANDEM_E2E_OUT.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { BOARD_URL, countSubmits, createBoard, harness, joinByLink, note, online, OUT, PHONE, Server, WAIT } from "./harness.mjs";

const h = harness();
const { url, person } = h;

describe("sharing a board", () => {
  let owner, viewer, editor, boardUrl, viewerLink, editorLink, viewerSubmits;

  
  it("lets the owner create a board on the landing page", async () => {
    owner = await person();
    boardUrl = await createBoard(owner.page, url, { name: "Olive Owner", title: "Pricing research" });
    assert.equal(await owner.page.textContent("[data-testid=board-title]"), "Pricing research");
    assert.equal(await owner.page.textContent("[data-testid=me]"), "Olive Owner");
    assert.equal(await owner.page.locator("[data-testid=share]").isVisible(), true);
    assert.equal(await owner.page.locator("[data-testid=view-only]").isVisible(), false);
    await owner.page.click("[data-testid=add-note]");
    await owner.page.locator("[data-testid=note-editor]").fill("Annual plans confuse people");
    await owner.page.keyboard.press("Control+Enter");
    await owner.page.locator("[data-testid=status]", { hasText: /^Live$/ }).waitFor({ timeout: WAIT }); // acked
    // The board is among "Your boards" on the landing page, with the role.
    const home = await owner.context.newPage();
    await home.goto(url("/"));
    const mine = home.locator("[data-testid=your-board]", { hasText: "Pricing research" });
    await mine.waitFor({ timeout: WAIT });
    assert.match(await mine.textContent(), /Discovery.*Owner/);
    await home.close();
  });

  it("makes a viewer link and an editor link in the Share dialog", async () => {
    const p = owner.page;
    await owner.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: url("") });
    await p.click("[data-testid=share]");
    await p.locator("[data-testid=share-dialog]").waitFor({ timeout: WAIT });
    // The owner link made with the board is listed (owners see owner links).
    await p.locator("[data-testid=invite][data-role=owner]").waitFor({ timeout: WAIT });
    await p.selectOption("[data-testid=invite-role]", "viewer");
    await p.selectOption("[data-testid=invite-expiry]", "86400");
    await p.fill("[data-testid=invite-label]", "Stakeholders");
    await p.click("[data-testid=invite-create]");
    const viewerRow = p.locator("[data-testid=invite][data-role=viewer]");
    await viewerRow.waitFor({ timeout: WAIT });
    assert.match(await viewerRow.textContent(), /Stakeholders/);
    assert.match(await viewerRow.textContent(), /Expires in 24 hours/);
    await p.selectOption("[data-testid=invite-role]", "editor");
    await p.selectOption("[data-testid=invite-expiry]", "604800");
    await p.fill("[data-testid=invite-label]", "Design team");
    await p.click("[data-testid=invite-create]");
    const editorRow = p.locator("[data-testid=invite][data-role=editor]");
    await editorRow.waitFor({ timeout: WAIT });
    viewerLink = await viewerRow.locator("[data-testid=invite-url]").inputValue();
    editorLink = await editorRow.locator("[data-testid=invite-url]").inputValue();
    for (const link of [viewerLink, editorLink]) assert.ok(link.startsWith(`${boardUrl}?invite=t1.`), link);
    // Copy puts the full link on the clipboard.
    await viewerRow.locator("[data-testid=invite-copy]").click();
    await viewerRow.locator("[data-testid=invite-copy]", { hasText: "Copied" }).waitFor({ timeout: WAIT });
    assert.equal(await p.evaluate(() => navigator.clipboard.readText()), viewerLink);
    await p.screenshot({ path: join(OUT, "share-dialog.png") });
    await p.keyboard.press("Escape");
    await p.locator("[data-testid=share-dialog]").waitFor({ state: "detached", timeout: WAIT });
  });

  it("shows the board read-only to a viewer, who sends nothing", async () => {
    viewer = await person(PHONE);
    viewerSubmits = countSubmits(viewer.page);
    await viewer.page.goto(viewerLink);
    const dialog = viewer.page.locator("[data-testid=join-dialog]");
    await dialog.waitFor({ timeout: WAIT });
    assert.equal(await viewer.page.inputValue("[data-testid=join-name]"), ""); // a new browser: no name to offer
    await viewer.page.click("[data-testid=join-go]"); // no name: asked again, nothing sent
    await viewer.page.locator("[data-testid=join-error]", { hasText: "Enter a name" }).waitFor({ timeout: WAIT });
    await viewer.page.fill("[data-testid=join-name]", "Vera Viewer");
    await viewer.page.click("[data-testid=join-go]");
    await viewer.page.waitForURL(BOARD_URL, { timeout: WAIT }); // the invite left the address bar
    await online(viewer.page);
    const p = viewer.page;
    await p.locator("[data-testid=view-only]").waitFor({ timeout: WAIT });
    await note(p, "Annual plans confuse people").waitFor({ timeout: WAIT });
    for (const id of ["add-note", "add-group", "vote", "delete", "promote", "share", "undo"])
      assert.equal(await p.locator(`[data-testid=${id}]`).isVisible(), false, `${id} is offered to a viewer`);
    // Trying anyway: a double-click on the canvas, editing a note, Delete, Ctrl+Z.
    const canvas = await p.locator("[data-testid=canvas]").boundingBox();
    await p.mouse.dblclick(canvas.x + canvas.width - 40, canvas.y + canvas.height - 40);
    await note(p, "Annual plans confuse people").dblclick();
    assert.equal(await p.locator("[data-testid=note-editor]").count(), 0);
    await p.keyboard.press("Delete");
    await p.keyboard.press("Control+z");
    assert.equal(await p.locator("[data-testid=comment-input]").count(), 0); // the note is selected: comments, read-only
    await p.screenshot({ path: join(OUT, "viewer-phone.png") });
    assert.equal(await p.locator("[data-testid=note]").count(), 1);
    assert.equal(await p.evaluate(() => window.tandem.pending.length), 0);
    assert.ok(viewerSubmits.frames > 0, "the viewer's socket was watched");
    assert.equal(viewerSubmits.submits, 0, "a viewer sent a change");
    assert.equal(await p.locator("[data-testid=toast]").isVisible(), false); // nothing was rejected
    // The viewer's name reached the owner.
    await owner.page.locator("[data-testid=peers] .peer", { hasText: "Vera Viewer" }).waitFor({ timeout: WAIT });
  });

  it("lets an editor add a note the owner sees under the editor's name", async () => {
    editor = await person();
    const editorSubmits = countSubmits(editor.page); // the control: the same count sees an editor's change
    await joinByLink(editor.page, editorLink, "Eddie Editor");
    assert.equal(await editor.page.locator("[data-testid=view-only]").isVisible(), false);
    assert.equal(await editor.page.locator("[data-testid=share]").isVisible(), false); // ROLE-5: not for editors
    await editor.page.click("[data-testid=add-note]");
    await editor.page.locator("[data-testid=note-editor]").fill("Show the monthly price first");
    await editor.page.keyboard.press("Control+Enter");
    const seen = note(owner.page, "Show the monthly price first");
    await seen.waitFor({ timeout: WAIT });
    await seen.locator(".note-foot", { hasText: "Eddie Editor" }).waitFor({ timeout: WAIT }); // AUTH-3: the token's name
    await note(viewer.page, "Show the monthly price first").waitFor({ timeout: WAIT });
    assert.ok(editorSubmits.submits >= 1, "the submit counter saw the editor's change");
    // The editor's own replica stamps the same author on the ack (ACK-4).
    await editor.page.locator("[data-testid=status]", { hasText: /^Live$/ }).waitFor({ timeout: WAIT });
    await note(editor.page, "Show the monthly price first").locator(".note-foot", { hasText: "Eddie Editor" }).waitFor({ timeout: WAIT });
    // A vote by the editor is the editor's (VOTE-1): Unvote removes it.
    await note(editor.page, "Annual plans").click({ position: { x: 20, y: 60 } });
    await editor.page.click("[data-testid=vote]");
    await note(owner.page, "Annual plans").locator("[data-testid=votes]", { hasText: "1" }).waitFor({ timeout: WAIT });
    await editor.page.click("[data-testid=unvote]");
    await note(owner.page, "Annual plans").locator("[data-testid=votes]").waitFor({ state: "detached", timeout: WAIT });
  });

  it("closes the editor's page when the owner revokes the editor link", async () => {
    const p = owner.page;
    await p.click("[data-testid=share]");
    const row = p.locator("[data-testid=invite][data-role=editor]");
    await row.waitFor({ timeout: WAIT });
    await row.locator("[data-testid=invite-revoke]").click();
    await row.waitFor({ state: "detached", timeout: WAIT });
    await p.keyboard.press("Escape");
    const banner = editor.page.locator("[data-testid=ended][data-reason=revoked]");
    await banner.waitFor({ timeout: WAIT });
    assert.match(await banner.textContent(), /Your access to this board was revoked/);
    assert.equal(await editor.page.getAttribute("[data-testid=status]", "data-status"), "revoked");
    assert.equal(await editor.page.locator("[data-testid=add-note]").isVisible(), false);
    await editor.page.screenshot({ path: join(OUT, "editor-revoked.png") });
    // The viewer's link still holds.
    await viewer.page.waitForTimeout(500);
    assert.equal(await viewer.page.getAttribute("[data-testid=status]", "data-status"), "online");
    // No reconnect attempts with the dead token: the page stays as it is.
    assert.equal(await editor.page.getAttribute("[data-testid=status]", "data-status"), "revoked");
  });

  it("refuses the revoked link, and a board with neither a membership nor a link", async () => {
    const p = editor.page;
    await p.goto(boardUrl); // the membership was forgotten with the revoke
    await p.locator("[data-testid=notice]", { hasText: "You need an invite link to open this board" }).waitFor({ timeout: WAIT });
    await p.goto(editorLink);
    await p.locator("[data-testid=join-dialog]").waitFor({ timeout: WAIT });
    assert.equal(await p.inputValue("[data-testid=join-name]"), "Eddie Editor"); // the name used before
    await p.click("[data-testid=join-go]");
    await p.locator("[data-testid=notice]", { hasText: "This invite link is not valid (it may have expired or been revoked)" }).waitFor({ timeout: WAIT });
    await p.locator("[data-testid=go-home]").waitFor({ timeout: WAIT });
  });

  it("joins a viewer who already holds a membership without asking again", async () => {
    const p = viewer.page;
    await p.goto(viewerLink);
    await p.waitForURL(BOARD_URL, { timeout: WAIT });
    await online(p);
    assert.equal(await p.locator("[data-testid=join-dialog]").count(), 0);
    assert.equal(await p.textContent("[data-testid=me]"), "Vera Viewer");
    assert.equal(viewerSubmits.submits, 0);
  });
});

describe("a server where only admins create boards", () => {
  it("says so on the landing page, and creates with the admin token", async () => {
    const admin = new Server(["--create-boards", "admin"]);
    await admin.start();
    try {
      const { page } = await person();
      await page.goto(admin.url("/"));
      await page.fill("[data-testid=user-name]", "Ada Admin");
      await page.click("[data-testid=new-backlog]");
      await page.locator("[data-testid=create-error]", { hasText: "Creating boards needs an admin token on this server" }).waitFor({ timeout: WAIT });
      assert.match(page.url(), /\/$/);
      await page.fill("[data-testid=admin-token]", admin.adminToken());
      await page.click("[data-testid=new-backlog]");
      await page.waitForURL(BOARD_URL, { timeout: WAIT });
      await online(page);
      assert.equal(await page.locator("[data-testid=share]").isVisible(), true);
    } finally {
      await admin.stop();
      admin.remove();
    }
  });
});
