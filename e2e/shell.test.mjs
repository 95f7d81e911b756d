import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { axeProblems, screenshots, signIn, suite } from "./harness.mjs";

const env = suite();

describe("the web app shell", () => {
  it("sends a signed-out visitor of a deep link to sign-in", async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${env.server.url}/labs`);
    await page.getByRole("heading", { name: "Sign in to LinkLab" }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/sign-in");
    assert.deepEqual(await axeProblems(page), []);
    await screenshots(page, "sign-in");
    await context.close();
  });

  it("explains an incomplete setup link instead of showing a form that cannot work", async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${env.server.url}/setup`);
    await page.getByRole("heading", { name: "Create the first administrator" }).waitFor();
    await page.getByRole("alert").filter({ hasText: "incomplete" }).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await screenshots(page, "setup-incomplete");
    await context.close();
  });

  it("shows a clear error for a wrong password and keeps the person on the form", async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${env.server.url}/sign-in`);
    await page.getByLabel("E-mail address").fill("manager.no@demo.linklab.example");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.getByRole("alert");
    await alert.filter({ hasText: "wrong" }).waitFor();
    assert.match(await alert.textContent(), /e-mail address or the password is wrong/i);
    assert.equal(new URL(page.url()).pathname, "/sign-in");
    await screenshots(page, "sign-in-error");
    await context.close();
  });

  it("signs a lab member in to their own lab only, and out again", async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await signIn(page, env.server.url, "manager.no@demo.linklab.example");
    const cards = page.getByRole("article");
    await cards.first().waitFor();
    assert.equal(await cards.count(), 1);
    assert.match(await cards.first().textContent(), /Norway/);
    assert.match(await cards.first().textContent(), /Your role: manager/);
    assert.deepEqual(await axeProblems(page), []);
    await screenshots(page, "labs-member");

    // The cookie is HttpOnly: scripts in the page cannot read it.
    assert.equal(await page.evaluate(() => document.cookie.includes("linklab_session")), false);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in to LinkLab" }).waitFor();
    await page.goto(`${env.server.url}/labs`);
    await page.getByRole("heading", { name: "Sign in to LinkLab" }).waitFor();
    await context.close();
  });

  it("shows an administrator all six demo labs", async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await signIn(page, env.server.url, "admin@demo.linklab.example");
    await page.getByRole("heading", { name: "All labs" }).waitFor();
    const titles = await page.getByRole("article").locator("h2").allTextContents();
    assert.equal(titles.length, 6);
    for (const country of ["Norway", "Serbia", "Slovenia", "Latvia", "Spain", "Sweden"]) {
      assert.ok(titles.some((t) => t.startsWith(country)), `${country} missing from ${titles}`);
    }
    await screenshots(page, "labs-admin");
    await context.close();
  });

  it("lets a facilitator invite a person from the app, who then creates an account and joins the lab", async () => {
    const fac = await env.browser.newContext();
    const facPage = await fac.newPage();
    await signIn(facPage, env.server.url, "facilitator.se@demo.linklab.example");
    await facPage.getByRole("link", { name: /Sweden/ }).click();
    const invite = facPage.getByRole("form", { name: "Invite someone" });
    await invite.waitFor();
    await invite.getByLabel("Their role in the lab").selectOption({ label: "service user" });
    await invite.getByLabel(/Their e-mail address/).fill("older.resident@example.org");
    await invite.getByLabel("The link works for").selectOption({ label: "3 days" });
    await invite.getByRole("button", { name: "Create invitation link" }).click();
    const linkBox = facPage.getByLabel(/Link for older.resident@example.org as service user/);
    await linkBox.waitFor();
    // The new link has the focus, selected, ready to copy.
    assert.equal(await linkBox.evaluate((el) => el === document.activeElement), true);
    const link = await linkBox.inputValue();
    assert.match(link, /\/invite#[A-Za-z0-9_-]{20,}$/);
    const pending = facPage.getByRole("list", { name: "Invitations" }).getByRole("listitem").filter({ hasText: "older.resident@example.org" });
    assert.match(await pending.textContent(), /Not used yet/);
    assert.deepEqual(await axeProblems(facPage), []);
    await screenshots(facPage, "lab-facilitator-invite");

    const context = await env.browser.newContext();
    const page = await context.newPage();
    await page.goto(link.replace(/^http:\/\/[^/]+/, env.server.url));
    await page.getByText("You are invited to join Sweden").waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await screenshots(page, "invite");
    await page.getByLabel("E-mail address").fill("older.resident@example.org");
    await page.getByLabel(/Your name or a pseudonym/).fill("Grey heron");
    await page.getByLabel(/Choose a password/).fill("a password that is long");
    await page.getByRole("radio", { name: /Micro/ }).check();
    await page.getByRole("button", { name: "Accept and join" }).click();
    await page.getByRole("heading", { name: "Your labs" }).waitFor();
    const card = page.getByRole("article").first();
    await card.waitFor();
    assert.match(await card.textContent(), /Sweden/);
    assert.match(await card.textContent(), /Your role: service user/);
    assert.equal(new URL(page.url()).hash, "", "the used token stays in the address bar");
    await context.close();

    // The facilitator sees the link used and the new member.
    await facPage.reload();
    const used = facPage.getByRole("list", { name: "Invitations" }).getByRole("listitem").filter({ hasText: "older.resident@example.org" });
    await used.filter({ hasText: "Accepted" }).waitFor();
    await facPage.locator(".members").getByText("Grey heron").waitFor();

    // A link made by mistake is revoked, and stops working at once.
    await invite.getByLabel("Their role in the lab").selectOption({ label: "manager" });
    await invite.getByRole("button", { name: "Create invitation link" }).click();
    const mistake = await facPage.getByLabel(/Link for the person you send it to as manager/).inputValue();
    await facPage.getByRole("button", { name: "Revoke the invitation for anyone with the link as manager" }).click();
    await facPage.getByRole("status").filter({ hasText: "Invitation revoked" }).waitFor({ state: "attached" });
    assert.equal(await facPage.getByRole("button", { name: /^Revoke the invitation for anyone/ }).count(), 0);
    assert.equal(await facPage.getByLabel(/Link for the person you send it to/).count(), 0, "the revoked link is no longer offered");
    const late = await env.browser.newContext();
    const latePage = await late.newPage();
    await latePage.goto(mistake.replace(/^http:\/\/[^/]+/, env.server.url));
    await latePage.getByRole("alert").filter({ hasText: /\S/ }).waitFor();
    assert.equal(await latePage.getByRole("button", { name: "Accept and join" }).count(), 0);
    await late.close();
    await fac.close();
  });

  it("lets an administrator change a member's role and remove a member, and nobody else", async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await signIn(page, env.server.url, "admin@demo.linklab.example");
    await page.getByRole("link", { name: /Latvia/ }).click();
    const person = "Councillor";
    const role = page.getByLabel(`Role of ${person}`);
    await role.waitFor();
    const labId = new URL(page.url()).pathname.split("/")[2];
    const members = async () => (await (await page.request.get(`${env.server.url}/api/labs/${labId}/members`)).json()).items;
    const before = (await members()).find((m) => m.displayName === person);
    const next = before.role === "manager" ? "policymaker" : "manager";
    // Choosing in the list saves nothing; the button does.
    await role.selectOption(next);
    assert.equal((await members()).find((m) => m.accountId === before.accountId).role, before.role);
    await page.getByRole("button", { name: `Save the role of ${person}` }).click();
    await page.getByRole("status").filter({ hasText: `${person} is now` }).waitFor({ state: "attached" });
    assert.equal(await page.getByRole("button", { name: `Save the role of ${person}` }).count(), 0);
    assert.equal((await members()).find((m) => m.accountId === before.accountId).role, next);
    assert.deepEqual(await axeProblems(page), []);
    await screenshots(page, "lab-admin-members");

    await page.getByRole("button", { name: `Remove ${person} from the lab` }).click();
    const yes = page.getByRole("button", { name: "Yes, remove" });
    // The confirmation takes the focus; Cancel keeps the member.
    assert.equal(await yes.evaluate((el) => el === document.activeElement), true);
    await page.getByRole("button", { name: "Cancel" }).click();
    assert.ok((await members()).some((m) => m.accountId === before.accountId));
    await page.getByRole("button", { name: `Remove ${person} from the lab` }).click();
    await yes.click();
    await page.getByRole("status").filter({ hasText: `${person} is no longer a member` }).waitFor({ state: "attached" });
    assert.equal((await members()).some((m) => m.accountId === before.accountId), false);
    await context.close();

    // A facilitator invites but neither changes roles nor removes anyone.
    const fac = await env.browser.newContext();
    const facPage = await fac.newPage();
    await signIn(facPage, env.server.url, "facilitator.lv@demo.linklab.example");
    await facPage.getByRole("link", { name: /Latvia/ }).click();
    await facPage.getByRole("form", { name: "Invite someone" }).waitFor();
    assert.equal(await facPage.getByLabel(/^Role of /).count(), 0);
    assert.equal(await facPage.getByRole("button", { name: /^Remove / }).count(), 0);
    await fac.close();
  });
});
