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

  it("lets an invited person create an account and join the lab", async () => {
    // A facilitator creates the invitation through the API, as the app will.
    const fac = await env.browser.newContext();
    const res = await fac.request.post(`${env.server.url}/api/auth/sign-in`, {
      data: { email: "facilitator.se@demo.linklab.example", password: "linklab-demo" },
    });
    const { csrfToken, memberships } = await res.json();
    const inv = await fac.request.post(`${env.server.url}/api/labs/${memberships[0].labId}/invitations`, {
      data: { role: "service_user" },
      headers: { "X-CSRF-Token": csrfToken },
    });
    assert.equal(inv.status(), 201);
    const { link } = await inv.json();
    await fac.close();

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
  });
});
