import { execFileSync } from "node:child_process";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { join } from "node:path";
import { axeProblems, outDir, screenshots, signIn, suite } from "./harness.mjs";

const env = suite();

async function as(email) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await signIn(page, env.server.url, email);
  return { context, page };
}

async function openNorway(page) {
  await page.getByRole("link", { name: /Norway/ }).click();
  await page.getByRole("heading", { name: "Documents" }).waitFor();
}

/** column is the board's column of a stage. */
function column(page, stage) {
  return page.getByRole("region", { name: new RegExp(`^${stage}`) });
}

describe("the lab workspace", () => {
  it("shows documents, recent activity and members, takes anonymous feedback that names nobody, and lets a facilitator hide it and show it again", async () => {
    const { context, page } = await as("service-user.no@demo.linklab.example");
    await openNorway(page);
    await page.getByRole("heading", { name: "Recent activity" }).waitFor();
    await page.getByRole("heading", { name: "Members" }).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await screenshots(page, "lab-workspace");

    const form = page.getByRole("form", { name: "Give feedback" });
    await form.getByRole("radio", { name: "4 of 5" }).check();
    await form.getByLabel("What would you like to say?").fill("The meetings are too early for parents who work.");
    await form.getByRole("switch", { name: /Give this anonymously/ }).check();
    await form.getByRole("button", { name: "Send feedback" }).click();
    await page.getByRole("status").filter({ hasText: "shared anonymously" }).waitFor({ state: "attached" });
    const mine = page.getByRole("listitem").filter({ hasText: "too early for parents" });
    await mine.waitFor();
    assert.match(await mine.textContent(), /Anonymous participant \(you\)/);
    await context.close();

    // A facilitator sees the feedback, and not who gave it.
    const fac = await as("facilitator.no@demo.linklab.example");
    await openNorway(fac.page);
    const item = fac.page.getByRole("listitem").filter({ hasText: "too early for parents" });
    await item.waitFor();
    assert.equal(await item.locator("strong").textContent(), "Anonymous participant");
    const labId = new URL(fac.page.url()).pathname.split("/")[2];
    const res = await fac.page.request.get(`${env.server.url}/api/labs/${labId}/feedback?target=lab`);
    const f = (await res.json()).items.find((x) => x.body?.includes("too early"));
    assert.equal(f.author, null, "the API names no author of anonymous feedback");
    // Facilitators moderate; they do not give feedback themselves.
    assert.equal(await fac.page.getByRole("form", { name: "Give feedback" }).count(), 0);

    // The facilitator hides it with a reason, by keyboard, and focus stays
    // on the item's moderation control.
    await item.getByRole("button", { name: "Hide the feedback by Anonymous participant" }).click();
    const reason = item.getByLabel(/Why hide it\?/);
    assert.equal(await reason.evaluate((el) => el === document.activeElement), true);
    await reason.fill("Talks about one family we could recognise.");
    await fac.page.keyboard.press("Tab");
    await fac.page.keyboard.press("Enter");
    // The item now shows the reason instead of the text.
    const hiddenItem = fac.page.getByRole("region", { name: "Feedback on the lab" }).getByRole("listitem").filter({ hasText: "could recognise" });
    const showAgain = hiddenItem.getByRole("button", { name: "Show the hidden feedback by Anonymous participant again" });
    await showAgain.waitFor();
    assert.equal(await showAgain.evaluate((el) => el === document.activeElement), true);
    assert.equal(await item.count(), 0);
    assert.deepEqual(await axeProblems(fac.page), []);
    await screenshots(fac.page, "lab-facilitator-moderation");

    // Another member sees the reason, not the text.
    const other = await as("policymaker.no@demo.linklab.example");
    await openNorway(other.page);
    const hidden = other.page.getByRole("region", { name: "Feedback on the lab" }).getByRole("listitem").filter({ hasText: "could recognise" });
    await hidden.waitFor();
    assert.doesNotMatch(await hidden.textContent(), /too early for parents/);
    assert.equal(await hidden.getByRole("button", { name: /^Hide|^Show/ }).count(), 0, "only facilitators moderate");
    // Every member reads the moderation log: who hid what and why, never
    // the words hidden nor who wrote them.
    const log = other.page.getByRole("region", { name: "Moderation log" });
    const act = log.getByRole("listitem").filter({ hasText: "could recognise" });
    await act.waitFor();
    assert.match(await act.textContent(), /hid feedback/);
    assert.doesNotMatch(await log.textContent(), /too early for parents|Anonymous participant|service-user/i);
    assert.deepEqual(await axeProblems(other.page), []);
    await screenshots(other.page, "lab-moderation-log");

    // Shown again, it is back for everyone.
    await showAgain.click();
    await item.getByRole("button", { name: "Hide the feedback by Anonymous participant" }).waitFor();
    await other.page.reload();
    await other.page.getByRole("listitem").filter({ hasText: "too early for parents" }).waitFor();
    await other.context.close();
    await fac.context.close();
  });

  it("moves a proposal along its lifecycle on the board, by keyboard, and the move is kept", async () => {
    const { context, page } = await as("frontline-staff.no@demo.linklab.example");
    await openNorway(page);
    await page.getByRole("link", { name: "Proposals board" }).click();
    await page.getByRole("heading", { name: "Innovation proposals", level: 1 }).waitFor();
    const open = column(page, "Open for feedback");
    await open.getByRole("link", { name: "One family coordinator" }).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await screenshots(page, "proposals-board");

    // Filters: a search that matches nothing empties the columns.
    await page.getByLabel("Search in titles").fill("bicycle");
    await page.getByRole("status").filter({ hasText: "0 of 1 proposals shown" }).waitFor();
    await page.getByLabel("Search in titles").fill("");
    // The filter offers only what the proposals use, each once, counted.
    await page.getByLabel("Filter by").selectOption({ label: "Scope" });
    const options = await page.getByLabel("Show only").locator("option").allTextContents();
    assert.deepEqual(options, ["All proposals", "Meso: organisations and communities (1)"]);
    await page.getByLabel("Show only").selectOption({ label: "Meso: organisations and communities (1)" });
    await open.getByRole("link", { name: "One family coordinator" }).waitFor();
    await page.getByLabel("Show only").selectOption({ label: "All proposals" });

    const move = page.getByRole("button", { name: "Move “One family coordinator” to Prioritised" });
    await move.focus();
    await page.keyboard.press("Enter");
    const prioritised = column(page, "Prioritised");
    await prioritised.getByRole("link", { name: "One family coordinator" }).waitFor();
    assert.equal(await open.getByRole("link", { name: "One family coordinator" }).count(), 0);
    // The keyboard stays on the card that moved.
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "One family coordinator");

    await page.reload();
    await column(page, "Prioritised").getByRole("link", { name: "One family coordinator" }).waitFor();
    // And back, so the proposal is where the other tests expect it.
    await page.getByRole("button", { name: "Move “One family coordinator” to Open for feedback" }).click();
    await column(page, "Open for feedback").getByRole("link", { name: "One family coordinator" }).waitFor();
    await context.close();
  });

  it("starts a proposal with its title, renames it, and lets only its author or a facilitator archive it", async () => {
    const { context, page } = await as("service-user.no@demo.linklab.example");
    await openNorway(page);
    await page.getByRole("link", { name: "Proposals board" }).click();
    await page.getByRole("heading", { name: "Innovation proposals", level: 1 }).waitFor();
    const create = page.getByRole("button", { name: "New proposal" });
    assert.equal(await create.isDisabled(), true, "no title, no proposal");
    await page.getByLabel("What does it propose? (its title)").fill("Mentor families for newcomers");
    await create.click();
    await page.getByRole("heading", { level: 1, name: "Mentor families for newcomers" }).waitFor();
    await page.getByRole("button", { name: "Rename “Mentor families for newcomers”" }).click();
    await page.getByLabel("New title").fill("Mentor families");
    await page.locator("form.rename").getByRole("button", { name: "Save", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Mentor families" }).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    const url = page.url();
    // Another participant moves it on, but is not offered the archive.
    const other = await as("policymaker.no@demo.linklab.example");
    await other.page.goto(url);
    await other.page.getByRole("heading", { level: 1, name: "Mentor families" }).waitFor();
    await other.page.getByRole("button", { name: "Move “Mentor families” to Open for feedback" }).waitFor();
    assert.equal(await other.page.getByRole("button", { name: "Move “Mentor families” to Archived" }).count(), 0);
    await other.context.close();
    // Its author archives it.
    await page.getByRole("button", { name: "Move “Mentor families” to Archived" }).click();
    await page.getByRole("group", { name: /Archived/ }).waitFor();
    await context.close();
  });

  it("edits a proposal's fields and logic map, and comments on selected text", async () => {
    const { context, page } = await as("manager.no@demo.linklab.example");
    await openNorway(page);
    await page.getByRole("link", { name: "One family coordinator" }).first().click();
    await page.getByRole("status").filter({ hasText: "Online" }).waitFor();

    // A choice field saves at once.
    await page.getByRole("combobox", { name: "Sustainability" }).selectOption({ label: "Established" });
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor({ state: "attached" });

    // The logic map: a new outcome, an element linked to it.
    await page.getByRole("button", { name: "Add an outcome" }).click();
    await page.getByRole("textbox", { name: "Outcome 4" }).fill("Children feel heard");
    await page.getByRole("button", { name: "Add an element" }).click();
    await page.getByRole("textbox", { name: "Element 3" }).fill("A meeting the child leads");
    const element = page.locator(".logic-element").filter({ has: page.getByRole("textbox", { name: "Element 3" }) });
    await element.getByRole("checkbox", { name: "Children feel heard" }).check();
    await page.getByRole("button", { name: "Save the logic map" }).click();
    await page.getByRole("status").filter({ hasText: "Logic map saved." }).waitFor({ state: "attached" });
    await page.locator(".logic-diagram").getByText("A meeting the child leads").waitFor();

    // The seeded comment is listed; a new one is anchored to selected text.
    const panel = page.getByRole("complementary", { name: "Comments" });
    await panel.getByText("Who pays for the coordinator's time?").waitFor();
    const summary = page.getByRole("textbox", { name: "Summary", exact: true });
    await summary.click();
    await page.keyboard.press("Control+Home");
    await page.keyboard.press("Shift+End");
    await panel.getByLabel(/Comment on the text you selected in “Summary”/).fill("Can the family change coordinator?");
    await panel.getByRole("button", { name: "Add comment" }).click();
    const thread = panel.getByRole("listitem").filter({ hasText: "Can the family change coordinator?" });
    await thread.waitFor();
    assert.match(await thread.locator("blockquote").textContent(), /^Each family that meets several services/);
    // The keyboard can leave an editor: Tab indents, Esc then Tab moves on.
    await summary.click();
    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains("cm-content")), false);
    assert.deepEqual(await axeProblems(page), []);
    await screenshots(page, "proposal-editor");

    const docId = new URL(page.url()).pathname.split("/")[2];
    const d = await (await page.request.get(`${env.server.url}/api/documents/${docId}`)).json();
    assert.equal(d.fields.sustainability, "established");
    const added = d.logicMap.elements.find((e) => e.text === "A meeting the child leads");
    assert.ok(added, "the element was stored");
    assert.deepEqual(added.outcomes, [d.logicMap.outcomes.find((o) => o.text === "Children feel heard").id]);

    // A facilitator hides a comment with a reason; the manager, with the
    // proposal open, sees the reason replace the text without reloading.
    const fac = await as("facilitator.no@demo.linklab.example");
    await fac.page.goto(`${env.server.url}/documents/${docId}`);
    const facPanel = fac.page.getByRole("complementary", { name: "Comments" });
    const seeded = facPanel.locator(".comment").filter({ hasText: "Who pays for the coordinator's time?" });
    await seeded.getByRole("button", { name: /^Hide the comment by / }).click();
    await seeded.getByLabel(/Why hide it\?/).fill("Off topic for this proposal.");
    await seeded.getByRole("button", { name: "Hide it" }).click();
    await facPanel.getByRole("button", { name: /^Show the hidden comment by .* again$/ }).waitFor();
    assert.deepEqual(await axeProblems(fac.page), []);
    await panel.getByText("Off topic for this proposal.").waitFor();
    assert.equal(await panel.getByText("Who pays for the coordinator's time?").count(), 0);
    await fac.context.close();
    await context.close();
  });
});

describe("settings and administration", () => {
  it("switches the language to Norwegian and the plain view on, and keeps them", async () => {
    const { context, page } = await as("policymaker.no@demo.linklab.example");
    await page.getByRole("link", { name: "Your settings" }).click();
    await page.getByRole("heading", { name: "Your settings" }).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await screenshots(page, "settings");
    await page.getByLabel("Language").selectOption("nb");
    await page.getByRole("heading", { name: "Innstillingene dine" }).waitFor();
    await page.getByRole("switch", { name: /Enkel visning/ }).check();
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains("plain")), true);
    assert.equal(await page.evaluate(() => document.documentElement.lang), "nb");
    await page.reload();
    await page.getByRole("heading", { name: "Innstillingene dine" }).waitFor();
    await page.getByRole("link", { name: "Lab-er" }).click();
    await page.getByRole("heading", { name: "Dine lab-er" }).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await screenshots(page, "labs-norwegian-plain");
    await page.getByRole("button", { name: "Logg ut" }).click();
    await page.getByRole("heading", { name: "Logg inn i LinkLab" }).waitFor();
    await context.close();

    // On another device (a fresh browser) the settings come with the account.
    const phone = await env.browser.newContext({ viewport: { width: 360, height: 740 } });
    const other = await phone.newPage();
    await other.goto(`${env.server.url}/sign-in`);
    await other.getByLabel("E-mail address").fill("policymaker.no@demo.linklab.example");
    await other.getByLabel("Password").fill("linklab-demo");
    await other.getByRole("button", { name: "Sign in" }).click();
    await other.getByRole("heading", { name: "Dine lab-er" }).waitFor();
    assert.equal(await other.evaluate(() => document.documentElement.classList.contains("plain")), true);
    // Back to the browser's language, and the account keeps that too.
    await other.getByRole("link", { name: "Innstillingene dine" }).click();
    await other.getByLabel("Språk").selectOption("");
    await other.getByRole("heading", { name: "Your settings" }).waitFor();
    await other.getByRole("status").filter({ hasText: "Saved." }).waitFor({ state: "attached" });
    const prefs = (await (await other.request.get(`${env.server.url}/api/auth/session`)).json()).preferences;
    assert.deepEqual(prefs, { language: "", plainView: true });
    await phone.close();
  });

  it("lets an administrator see accounts, labs and partner organisations, and add one", async () => {
    const { context, page } = await as("admin@demo.linklab.example");
    await page.getByRole("link", { name: "Administration" }).click();
    await page.getByRole("tab", { name: "Accounts", selected: true }).waitFor();
    await page.getByRole("cell", { name: "manager.no@demo.linklab.example" }).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await screenshots(page, "admin-accounts");
    // A long list is searched and paged, not shown whole.
    const search = page.getByLabel("Find an account by name or e-mail address");
    await search.fill("manager NO");
    await page.getByRole("cell", { name: "manager.no@demo.linklab.example" }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll("tbody tr").length === 1);
    assert.equal(await page.getByRole("row").count(), 2, "the header and one account");
    await search.fill("nobody by this name");
    await page.getByText("No account has these words in its name or address.").waitFor();
    await search.fill("");
    await page.getByRole("button", { name: "Show more" }).click();
    await page.getByRole("cell", { name: "partner@demo.linklab.example" }).waitFor();
    // A partner organisation is changed from its row, one row at a time.
    assert.equal(await page.getByRole("combobox").count(), 0);

    // Arrow keys move between the tabs.
    await page.getByRole("tab", { name: "Accounts" }).focus();
    await page.keyboard.press("ArrowRight");
    await page.getByRole("tab", { name: "Labs", selected: true }).waitFor();
    await page.getByRole("tabpanel").getByRole("link", { name: /Norway/ }).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await screenshots(page, "admin-labs");
    await page.keyboard.press("ArrowRight");
    await page.getByRole("tab", { name: "Partner organisations", selected: true }).waitFor();
    await page.getByLabel("Name").fill("Nordic welfare research");
    await page.getByLabel("Country code").fill("se");
    await page.getByRole("button", { name: "Create" }).click();
    await page.getByRole("tabpanel").getByText("Nordic welfare research").waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await screenshots(page, "admin-partners");

    // A bad country code gets the server's message, and nothing is added.
    await page.getByLabel("Name").fill("Nowhere");
    await page.getByLabel("Country code").fill("x1");
    await page.getByRole("button", { name: "Create" }).click();
    await page.getByRole("alert").filter({ hasText: "two-letter" }).waitFor();
    assert.equal(await page.getByRole("tabpanel").getByText("Nowhere").count(), 0);
    await context.close();
  });

  it("answers an unknown address with a page that leads back", async () => {
    const { context, page } = await as("manager.no@demo.linklab.example");
    await page.goto(`${env.server.url}/nowhere/at/all`);
    await page.getByRole("heading", { name: "This page does not exist" }).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await screenshots(page, "not-found");
    await context.close();
  });
});

describe("who may read", () => {
  it("shares a baseline with the partners after asking, keeps a section to the lab, and shows both in the activity log", async () => {
    const { context, page } = await as("manager.rs@demo.linklab.example");
    await page.getByRole("link", { name: /Serbia/ }).click();
    await page.getByRole("heading", { name: "Documents" }).waitFor();
    await page.getByRole("region", { name: "Documents" }).getByRole("link", { name: /^Baseline/ }).click();
    const panel = page.getByRole("region", { name: "Who may read this document" });
    await panel.getByText(/^Now: Only the \d+ people in this lab\.$/).waitFor();
    await panel.getByRole("radio", { name: /Shared with partners/ }).check();
    await panel.getByRole("button", { name: "Change who may read it" }).click();
    // Widening asks first, in plain words.
    const ask = page.getByRole("alertdialog");
    await ask.getByText(/More people will be able to read .*national partners of \d+ countr(y|ies)/).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await screenshots(page, "share-confirm");
    await ask.getByRole("button", { name: "Yes, share it" }).click();
    await panel.getByText(/^Now: The \d+ people in this lab, and the national partners of \d+ countr(y|ies)\.$/).waitFor();
    // One section stays with the lab.
    const title = "Main welfare challenges for integrated care";
    await page.getByLabel(`Who reads “${title}”`).selectOption({ label: "Only this lab's members" });
    const section = page.locator(".section-level").filter({ has: page.getByLabel(`Who reads “${title}”`) });
    await section.getByRole("button", { name: "Save" }).click();
    await page.getByText(/is now read by: Only this lab's members/).waitFor({ state: "attached" });
    const doc = new URL(page.url()).pathname.split("/")[2];
    await context.close();

    // The partner reads it now, without the kept section.
    const partner = await as("partner@demo.linklab.example");
    const d = await (await partner.page.request.get(`${env.server.url}/api/documents/${doc}`)).json();
    assert.equal(d.visibility, "partners");
    assert.ok(!d.sections.some((s) => s.title === title), "the kept section reaches the partner");
    await partner.context.close();

    // The lab's facilitator sees both changes in the activity log.
    const fac = await as("facilitator.rs@demo.linklab.example");
    await fac.page.getByRole("link", { name: /Serbia/ }).click();
    const log = fac.page.getByRole("region", { name: "Who may read what: activity log" });
    await log.getByText(/changed who may read “Baseline[^”]*”: Lab → Shared with partners/).waitFor();
    await log.getByText(/changed who reads a section of “Baseline[^”]*”: Shared with partners → Lab/).waitFor();
    assert.deepEqual(await axeProblems(fac.page), []);
    await screenshots(fac.page, "activity-log");
    await fac.context.close();
  });
});

describe("live workshops", () => {
  it("lets a facilitator schedule and run a workshop that members follow on a phone, with one timer", async () => {
    const fac = await as("facilitator.lv@demo.linklab.example");
    await fac.page.getByRole("link", { name: /Latvia/ }).click();
    const panel = fac.page.getByRole("region", { name: "Workshop sessions" });
    await panel.getByText("Live workshop sessions will appear here.").waitFor();
    await panel.getByLabel("Title").fill("Ideas for young people");
    await panel.getByLabel("What happens").fill("Read the baseline together");
    await panel.getByRole("button", { name: "Add a phase" }).click();
    await panel.getByLabel("What happens").nth(1).fill("Ideas on the wall");
    await panel.getByLabel("Minutes").nth(1).fill("25");
    await panel.getByRole("button", { name: "Schedule it" }).click();
    await panel.getByRole("link", { name: "Ideas for young people" }).click();
    await fac.page.getByRole("heading", { name: "Not started yet" }).waitFor();
    await fac.page.getByRole("button", { name: "Start" }).click();
    await fac.page.getByRole("heading", { name: "Read the baseline together" }).waitFor();
    const workshop = fac.page.url();

    // A member follows it on a phone: the same phase, the same countdown.
    const member = await as("service-user.lv@demo.linklab.example");
    await member.page.setViewportSize({ width: 360, height: 740 });
    await member.page.goto(workshop);
    await member.page.getByRole("heading", { name: "Read the baseline together" }).waitFor();
    const timer = member.page.getByRole("timer", { name: "Time left in this phase" });
    assert.match(await timer.textContent(), /^(20:00|19:5\d)$/);
    assert.equal(await member.page.getByRole("button", { name: "Start" }).count(), 0, "a participant has no controls");
    // The facilitator pauses and moves on: the phone follows without reloading.
    await fac.page.getByRole("button", { name: "Pause" }).click();
    await member.page.getByText("Paused", { exact: true }).waitFor();
    await fac.page.getByRole("button", { name: "Next phase" }).click();
    await member.page.getByRole("heading", { name: "Ideas on the wall" }).waitFor();
    assert.match(await timer.textContent(), /^(25:00|24:5\d)$/);
    assert.deepEqual(await axeProblems(member.page), []);
    await member.page.screenshot({ path: join(outDir, "workshop-room-360.png"), fullPage: true });
    await fac.page.setViewportSize({ width: 1280, height: 800 });
    assert.deepEqual(await axeProblems(fac.page), []);
    await fac.page.screenshot({ path: join(outDir, "workshop-console-desktop.png"), fullPage: true });
    await fac.page.getByRole("button", { name: "End the workshop" }).click();
    await member.page.getByText("Ended", { exact: true }).waitFor();
    await fac.context.close();
    await member.context.close();
  });
});

describe("the workshop room", () => {
  it("takes a phone from the projector's code to the room: a hand, the floor, an anonymous idea and a sealed vote", async () => {
    const fac = await as("facilitator.no@demo.linklab.example");
    await openNorway(fac.page);
    const panel = fac.page.getByRole("region", { name: "Workshop sessions" });
    await panel.getByLabel("Title").fill("Families' ideas day");
    await panel.getByLabel("What happens").fill("Ideas for families");
    await panel.getByLabel("Kind of phase").selectOption("ideas");
    await panel.getByRole("button", { name: "Schedule it" }).click();
    await panel.getByRole("link", { name: "Families' ideas day" }).click();
    await fac.page.getByRole("button", { name: "Start" }).click();
    await fac.page.getByRole("heading", { name: "Ideas for families" }).waitFor();
    const room = fac.page.url();

    // The projector shows how to join.
    const projector = await fac.context.newPage();
    await projector.setViewportSize({ width: 1280, height: 720 });
    await projector.goto(`${room}/projector`);
    await projector.getByRole("img", { name: /^QR code to join/ }).waitFor();
    const code = (await projector.locator(".code").textContent()).trim();
    assert.match(code, /^[2-9A-HJKMNP-Z]{6}$/);

    // A parent scans it on a phone, signs in, and lands in the room.
    const phoneContext = await env.browser.newContext({ viewport: { width: 360, height: 740 } });
    const phone = await phoneContext.newPage();
    await phone.goto(`${env.server.url}/join/${code}`);
    await phone.getByLabel("E-mail address").fill("service-user.no@demo.linklab.example");
    await phone.getByLabel("Password").fill("linklab-demo");
    await phone.getByRole("button", { name: "Sign in" }).click();
    await phone.getByRole("heading", { name: "Ideas for families" }).waitFor();
    assert.equal(phone.url(), room, "the code leads to the room");

    // A hand, and the floor from the facilitator.
    await phone.getByRole("button", { name: "Raise my hand" }).click();
    await phone.getByText("(you)").waitFor();
    await fac.page.getByRole("button", { name: "Give the floor", exact: true }).click();
    await phone.getByText(/^You have the floor/).waitFor();
    await projector.getByText(/has the floor\.$/).waitFor();

    // An idea, anonymous by default: the facilitator sees no name.
    await phone.getByLabel("Your idea").fill("A buddy family for every newcomer");
    await phone.getByRole("button", { name: "Post the idea" }).click();
    await phone.getByText("yours", { exact: false }).first().waitFor();
    await projector.getByText("A buddy family for every newcomer").waitFor();
    const card = fac.page.locator(".idea", { hasText: "A buddy family for every newcomer" });
    await card.waitFor();
    assert.match(await card.textContent(), /Anonymous/);
    assert.doesNotMatch(await card.textContent(), /Parent/);

    // A vote: sealed until the close, then results with small levels hidden.
    await fac.page.getByText("Put a question to the vote").click();
    await fac.page.getByLabel("Question").fill("Start with buddy families?");
    await fac.page.getByRole("button", { name: "Open the vote" }).click();
    await phone.getByRole("heading", { name: "Start with buddy families?" }).waitFor();
    await phone.getByLabel("Agree", { exact: true }).check();
    await phone.getByRole("button", { name: "Cast my vote" }).click();
    await phone.getByText("Your vote is counted.").first().waitFor();
    await fac.page.getByText("1 voted").waitFor();
    assert.equal(await phone.locator(".results").count(), 0, "no result before the close");
    assert.equal(await fac.page.locator(".results").count(), 0, "not for the facilitator either");
    assert.deepEqual(await axeProblems(phone), []);
    await phone.screenshot({ path: join(outDir, "room-phone-360.png"), fullPage: true });
    await fac.page.getByRole("button", { name: "Close the vote and show the result" }).click();
    await phone.getByRole("table", { name: "Everyone, one person one vote (1 voted)" }).waitFor();
    await phone.getByRole("cell", { name: "hidden" }).first().waitFor();
    await projector.getByRole("table", { name: "Everyone, one person one vote (1 voted)" }).waitFor();

    assert.deepEqual(await axeProblems(phone), []);
    assert.deepEqual(await axeProblems(projector), []);
    await fac.page.setViewportSize({ width: 1280, height: 800 });
    assert.deepEqual(await axeProblems(fac.page), []);
    await phone.screenshot({ path: join(outDir, "room-results-360.png"), fullPage: true });
    await projector.screenshot({ path: join(outDir, "room-projector.png"), fullPage: true });
    await fac.page.screenshot({ path: join(outDir, "room-console-desktop.png"), fullPage: true });

    // In Norwegian, the same room.
    const nbContext = await env.browser.newContext({ locale: "nb-NO", viewport: { width: 360, height: 740 } });
    const nb = await nbContext.newPage();
    await nb.goto(`${env.server.url}/join/${code}`);
    await nb.locator("input[type=email]").fill("policymaker.no@demo.linklab.example");
    await nb.locator("input[type=password]").fill("linklab-demo");
    await nb.locator("button[type=submit]").click();
    await nb.getByRole("button", { name: "Rekk opp hånden" }).waitFor();
    await nb.getByRole("table", { name: /^Alle, én person én stemme/ }).waitFor();
    assert.deepEqual(await axeProblems(nb), []);
    await nb.screenshot({ path: join(outDir, "room-nb-360.png"), fullPage: true });

    // The end: everyone reads the report.
    await fac.page.getByRole("button", { name: "End the workshop" }).click();
    await phone.getByRole("heading", { name: "Session report" }).waitFor();
    await fac.context.close();
    await phoneContext.close();
    await nbContext.close();
  });
});

describe("comparing baselines", () => {
  it("puts one section of each country's baseline side by side, walks the template, and shows only what the reader may read", async () => {
    const { context, page } = await as("partner@demo.linklab.example");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Compare" }).click();
    await page.getByRole("heading", { level: 1, name: "Compare baselines" }).waitFor();
    await page.getByRole("heading", { level: 2, name: "Welfare model" }).waitFor();
    const columns = page.locator(".compare-col");
    await columns.first().waitFor();
    const countries = await page.locator(".compare-col .country").allTextContents();
    // The partner reads the baselines shared with partners (Norway and
    // Slovenia in the demo, Serbia once shared above), in country order,
    // and no lab-level one.
    assert.ok(countries.includes("NO") && countries.includes("SI"), countries.join());
    assert.deepEqual(countries, [...countries].sort());
    for (const lab of ["LV", "ES", "SE"]) assert.ok(!countries.includes(lab), `${lab} is lab-level`);
    assert.match(await columns.first().textContent(), /social-democratic/);

    // Walking the template, focus follows the section's heading.
    for (let i = 0; i < 3; i++) await page.getByRole("button", { name: "Next section" }).click();
    const heading = page.getByRole("heading", { level: 2, name: "Main welfare challenges for integrated care" });
    await heading.waitFor();
    assert.equal(await heading.evaluate((el) => el === document.activeElement), true);
    assert.match(page.url(), /section=welfare-challenges/);
    if (countries.includes("RS")) {
      // Serbia kept this section to its lab: no words of it reach the partner.
      const rs = columns.filter({ has: page.locator(".country", { hasText: "RS" }) });
      await rs.getByText("This baseline has no text for this section.").waitFor();
    }
    assert.deepEqual(await axeProblems(page), []);
    await screenshots(page, "compare-baselines");

    // Every section of the comparison as one PDF, with the countries on
    // every page and no lab-level text.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "PDF (every section)" }).click()]);
    const pdfText = execFileSync("pdftotext", ["-enc", "UTF-8", await download.path(), "-"], { encoding: "utf8" });
    for (const pageText of pdfText.replace(/\f$/, "").split("\f")) assert.match(pageText, /Baselines of NO/);
    assert.match(pdfText, /Welfare model/);
    for (const lab of ["LV", "ES", "SE"]) assert.doesNotMatch(pdfText, new RegExp(`\\b${lab} ·`));

    // Fewer baselines: one taken out is gone from the columns and the link.
    await page.getByRole("checkbox", { name: /^SI / }).uncheck();
    await page.waitForFunction(() => ![...document.querySelectorAll(".compare-col .country")].some((el) => el.textContent === "SI"));
    await page.reload();
    await heading.waitFor();
    assert.equal(await page.getByRole("checkbox", { name: /^SI / }).isChecked(), false);

    // The network's syntheses are listed; a partner starts one there.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Syntheses" }).click();
    await page.getByRole("heading", { level: 1, name: "Syntheses across countries" }).waitFor();
    await page.getByRole("link", { name: "Families and young people: Norway and Slovenia compared" }).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await screenshots(page, "syntheses");
    await page.getByLabel("Title (optional)").fill("Staff shortages across countries");
    await page.getByRole("button", { name: "Create" }).click();
    await page.getByRole("heading", { level: 1, name: "Staff shortages across countries" }).waitFor();
    await context.close();

    // A lab member reads no partners-level synthesis and may start none.
    const member = await as("manager.no@demo.linklab.example");
    await member.page.goto(`${env.server.url}/syntheses`);
    await member.page.getByText(/^There is no synthesis you may read yet\./).waitFor();
    assert.equal(await member.page.getByRole("button", { name: "Create" }).count(), 0);
    await member.context.close();
  });
});

describe("search", () => {
  it("finds from the header what the reader may read, with the words marked, and opens it at the section", async () => {
    const { context, page } = await as("manager.no@demo.linklab.example");
    const box = page.getByRole("search");
    await box.getByRole("searchbox", { name: "Search" }).fill("Staff");
    await box.getByRole("button", { name: "Search" }).click();
    await page.getByRole("heading", { level: 1, name: "Search: Staff" }).waitFor();
    await page.getByRole("status").filter({ hasText: /found/ }).waitFor();
    const results = page.locator(".results > li");
    await results.first().waitFor();
    const metas = await page.locator(".results .meta").allTextContents();
    // A Norwegian member: Norway's own items and network-wide ones; never
    // another lab's lab-level baseline.
    for (const m of metas) assert.ok(!/^(RS|LV|ES|SE|SI)\b/.test(m), `found outside Norway: ${m}`);
    const marks = await page.locator(".results mark").allTextContents();
    assert.ok(marks.length > 0 && marks.every((m) => /^staff/i.test(m)), marks.join());
    assert.deepEqual(await axeProblems(page), []);
    await screenshots(page, "search");

    // Only comments: the filter is a link of its own.
    await page.getByRole("navigation", { name: "What to search" }).getByRole("link", { name: "Themes" }).click();
    await page.waitForURL(/kind=theme/);
    await page.getByRole("link", { name: "Staff" }).waitFor();

    // A section result opens the document at that section.
    await page.getByRole("navigation", { name: "What to search" }).getByRole("link", { name: "Sections" }).click();
    await page.waitForURL(/kind=section/);
    const first = page.locator(".results > li").first().getByRole("link");
    const title = await first.textContent();
    await first.click();
    const heading = page.getByRole("heading", { level: 2, name: title });
    await heading.waitFor();
    await page.waitForFunction((t) => document.activeElement?.textContent === t, title);
    assert.match(page.url(), /#s-[0-9a-z]{26}$/);

    // Nothing found says so.
    await page.goto(`${env.server.url}/search?q=zzzqqq`);
    await page.getByText("Nothing you may read matches these words.", { exact: false }).waitFor();
    assert.equal(await page.getByRole("searchbox", { name: "Search" }).inputValue(), "zzzqqq");
    await context.close();
  });
});

describe("languages", () => {
  it("shows a page in Latvian and in Serbian Cyrillic: the app, the template's sections and the server's errors", async () => {
    const cases = [
      {
        locale: "lv-LV",
        email: "manager.lv@demo.linklab.example",
        name: "latvian",
        words: {
          email: "E-pasta adrese", password: "Parole", submit: "Pieteikties", wrong: "E-pasta adrese vai parole nav pareiza.",
          labs: "Jūsu laboratorijas", documents: "Dokumenti", baseline: /^Baseline/, section: "Labklājības modelis",
          question: "Kurš labklājības modelis raksturo jūsu valsti, un ko tas sola cilvēkiem, kuriem tas kalpo?",
          online: "Tiešsaistē: viss ir saglabāts", signOut: "Izrakstīties",
        },
        lab: /Latvia/,
      },
      {
        locale: "sr-Cyrl-RS",
        email: "manager.rs@demo.linklab.example",
        name: "serbian-cyrillic",
        words: {
          email: "Адреса е-поште", password: "Лозинка", submit: "Пријави се", wrong: "Адреса е-поште или лозинка није тачна.",
          labs: "Ваше лабораторије", documents: "Документи", baseline: /^Baseline/, section: "Модел социјалне државе",
          question: "Који модел социјалне државе описује вашу земљу и шта он обећава људима којима служи?",
          online: "На мрежи: све је сачувано", signOut: "Одјави се",
        },
        lab: /Serbia/,
      },
    ];
    for (const c of cases) {
      const context = await env.browser.newContext({ locale: c.locale, viewport: { width: 360, height: 740 } });
      const page = await context.newPage();
      await page.goto(`${env.server.url}/sign-in`);
      await page.getByLabel(c.words.email).fill(c.email);
      await page.getByLabel(c.words.password).fill("not the password");
      await page.getByRole("button", { name: c.words.submit }).click();
      // The server's error, in the person's language (from its reason).
      await page.getByText(c.words.wrong).waitFor();
      await page.getByLabel(c.words.password).fill("linklab-demo");
      await page.getByRole("button", { name: c.words.submit }).click();
      await page.getByRole("heading", { level: 1, name: c.words.labs }).waitFor();
      await page.getByRole("link", { name: c.lab }).first().click();
      await page.getByRole("region", { name: c.words.documents }).getByRole("link", { name: c.words.baseline }).first().click();
      await page.getByRole("heading", { level: 2, name: c.words.section }).waitFor();
      await page.getByText(c.words.question).waitFor();
      await page.getByRole("status").filter({ hasText: c.words.online }).waitFor();
      await page.getByRole("button", { name: c.words.signOut }).waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), c.locale);
      assert.deepEqual(await axeProblems(page), []);
      await page.screenshot({ path: join(outDir, `baseline-${c.name}-360.png`) });
      await context.close();
    }
  });
});

describe("everyday document care", () => {
  it("deletes a private draft at its author's request, after asking, and offers it for nothing else", async () => {
    const { context, page } = await as("service-user.no@demo.linklab.example");
    await openNorway(page);
    const form = page.getByRole("form", { name: "Start a document" });
    await form.getByLabel("Kind of document").selectOption({ label: "Notes" });
    await form.getByLabel("Title (optional)").fill("My own notes");
    await form.getByRole("button", { name: "Create" }).click();
    await page.getByRole("heading", { level: 1, name: "My own notes" }).waitFor();
    // Shared with the lab, it is not the author's alone: no delete.
    assert.equal(await page.getByRole("button", { name: "Delete this draft" }).count(), 0);
    const panel = page.getByRole("region", { name: "Who may read this document" });
    await panel.getByRole("radio", { name: /Only its author, as a draft/ }).check();
    await panel.getByRole("button", { name: "Change who may read it" }).click();
    await page.getByRole("button", { name: "Delete this draft" }).click();
    const ask = page.getByRole("alertdialog");
    await ask.getByText(/Delete “My own notes” for good\?/).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await ask.getByRole("button", { name: "Yes, delete it" }).click();
    await page.getByRole("heading", { name: "Documents" }).waitFor();
    assert.equal(await page.getByRole("link", { name: "My own notes" }).count(), 0);
    await context.close();
  });
});
