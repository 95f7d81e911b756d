import { execFileSync } from "node:child_process";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { join } from "node:path";
import { axeProblems, outDir, screenshots, signIn, suite } from "./harness.mjs";

const env = suite();

/** openBaseline signs in and opens the Norwegian baseline through the lab's workspace. */
async function openBaseline(email) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await signIn(page, env.server.url, email);
  await page.getByRole("link", { name: /Norway/ }).click();
  await page.getByRole("heading", { name: "Documents" }).waitFor();
  await page.getByRole("region", { name: "Documents" }).getByRole("link", { name: /^Baseline/ }).click();
  await page.getByRole("status").filter({ hasText: "Online" }).waitFor();
  return { context, page };
}

/** editorOf is the CodeMirror content of the section titled title. */
function editorOf(page, title) {
  return page.getByRole("textbox", { name: title, exact: true });
}

/** readingOf is the formatted text of a section, as readers see it. */
function readingOf(page, title) {
  return page.locator("section", { has: page.getByRole("heading", { name: title, exact: true }) }).locator(".reading");
}

/** serverText reads the section's text as the server has it, via the export. */
async function serverText(page, docPath, title) {
  const doc = docPath.split("/").pop();
  const res = await page.request.get(`${env.server.url}/api/documents/${doc}/export`);
  const md = await res.text();
  const start = md.indexOf(`## ${title}\n\n`);
  assert.ok(start >= 0, `section ${title} not in the export`);
  const rest = md.slice(start + title.length + 5);
  const end = rest.indexOf("\n## ");
  return (end < 0 ? rest : rest.slice(0, end)).replace(/\n+$/, "");
}

/** textOf reads the section's text from its editor's state (the view
 * hangs off CodeMirror's content element). */
async function textOf(page, title) {
  return page.evaluate((t) => {
    const el = [...document.querySelectorAll(".cm-content")].find((e) => e.getAttribute("aria-label") === t);
    return el ? el.cmTile.root.view.state.doc.toString() : null;
  }, title);
}

/** typed is what the keyboard's text becomes in an editable element:
 * Chrome turns a space typed at the start of a line into a no-break space. */
const typed = (s) => s.replace(/^ /, "\u00a0");

describe("the document editor", () => {
  it("lets two people write the same section at once and shows each the other's cursor", async () => {
    const a = await openBaseline("service-user.no@demo.linklab.example");
    const b = await openBaseline("frontline-staff.no@demo.linklab.example");
    const title = "Welfare model";
    const ea = editorOf(a.page, title);
    const eb = editorOf(b.page, title);
    await ea.click();
    await a.page.keyboard.press("Control+Home");
    await eb.click();
    await b.page.keyboard.press("Control+End");
    // Both type at the same time.
    await Promise.all([
      a.page.keyboard.type("Families first. ", { delay: 15 }),
      b.page.keyboard.type(" Staff agree.", { delay: 15 }),
    ]);
    // Each sees the other's cursor, with the other's name.
    await a.page.locator(".cm-peer-name", { hasText: "Social worker" }).waitFor();
    await b.page.locator(".cm-peer-name", { hasText: "Parent" }).waitFor();
    await a.page.getByRole("status").filter({ hasText: "everything is saved" }).waitFor();
    await b.page.getByRole("status").filter({ hasText: "everything is saved" }).waitFor();
    // After both stop, their texts and the server's are identical.
    let ta, tb;
    for (let i = 0; i < 50; i++) {
      [ta, tb] = [await textOf(a.page, title), await textOf(b.page, title)];
      if (ta === tb) break;
      await a.page.waitForTimeout(100);
    }
    assert.equal(ta, tb);
    assert.ok(ta.startsWith("Families first. "), ta);
    assert.ok(ta.endsWith(typed(" Staff agree.")), JSON.stringify(ta));
    assert.equal(await serverText(a.page, a.page.url(), title), ta.replace(/\n+$/, ""));
    // On a wide screen the server's preview can be shown beside the text.
    await a.page.getByRole("switch", { name: "Preview beside the text" }).check();
    await a.page.getByRole("region", { name: `Preview of ${title}` }).filter({ hasText: "Families first." }).waitFor();
    assert.deepEqual(await axeProblems(a.page), []);
    await screenshots(a.page, "editor");
    await a.context.close();
    await b.context.close();
  });

  it("moves a co-writer's cursor while they type, and shows it again after they reload", async () => {
    const a = await openBaseline("policymaker.no@demo.linklab.example");
    const b = await openBaseline("manager.no@demo.linklab.example");
    const title = "Social-work education";
    // Where b sees a's caret in the section, or -1.
    const caretAt = () =>
      b.page.evaluate((t) => {
        const el = [...document.querySelectorAll(".cm-content")].find((e) => e.getAttribute("aria-label") === t);
        const caret = el?.querySelector(".cm-peer-caret");
        return caret ? el.cmTile.root.view.posAtDOM(caret) : -1;
      }, title);
    const until = async (check, what) => {
      for (let i = 0; i < 100; i++) {
        if (check(await caretAt())) return;
        await b.page.waitForTimeout(100);
      }
      assert.fail(`${what}: b sees a's caret at ${await caretAt()}`);
    };
    await editorOf(a.page, title).click();
    await a.page.keyboard.press("Control+Home");
    await until((p) => p === 0, "a's caret at the start");
    // a types without touching the mouse or the arrows: the caret follows.
    await a.page.keyboard.type("Students meet families early. ", { delay: 20 });
    await a.page.getByRole("status").filter({ hasText: "everything is saved" }).waitFor();
    await until((p) => p === "Students meet families early. ".length, "a's caret after typing");
    // a reloads and clicks at the end: b sees the caret there, not where it was.
    await a.page.reload();
    await a.page.getByRole("status").filter({ hasText: "Online" }).waitFor();
    await editorOf(a.page, title).click();
    await a.page.keyboard.press("Control+End");
    const length = (await textOf(b.page, title)).length;
    await until((p) => p === length, "a's caret after a reload");
    await a.context.close();
    await b.context.close();
  });

  it("keeps what is typed while the network is cut and sends it when it is back", async () => {
    const a = await openBaseline("manager.no@demo.linklab.example");
    const b = await openBaseline("policymaker.no@demo.linklab.example");
    const title = "Organisation of social services";
    await editorOf(a.page, title).click();
    await a.page.keyboard.press("Control+End");
    await a.context.setOffline(true);
    await a.page.getByRole("status").filter({ hasText: /Reconnecting|Offline/ }).waitFor();
    await a.page.keyboard.type(" Typed while offline.", { delay: 10 });
    await a.page.getByRole("status").filter({ hasText: /\d+ changes? not sent yet/ }).waitFor();
    assert.ok(!(await textOf(b.page, title)).includes("Typed while offline."));
    await screenshots(a.page, "editor-offline");
    await a.context.setOffline(false);
    await a.page.getByRole("status").filter({ hasText: "everything is saved" }).waitFor({ timeout: 20_000 });
    for (let i = 0; i < 50 && !(await textOf(b.page, title)).includes("Typed while offline."); i++) await b.page.waitForTimeout(100);
    assert.ok((await textOf(b.page, title)).endsWith(typed(" Typed while offline.")), JSON.stringify(await textOf(b.page, title)));
    assert.equal(await textOf(a.page, title), await textOf(b.page, title));
    await a.context.close();
    await b.context.close();
  });

  it("brings a tab that slept through 9,000 changes back current, with nothing lost or doubled", async () => {
    const a = await openBaseline("frontline-staff-2.no@demo.linklab.example");
    const b = await openBaseline("manager.no@demo.linklab.example");
    const title = "Readiness for digitalisation";
    const editor = editorOf(a.page, title);
    await editor.click();
    await a.page.keyboard.press("Control+End");
    await a.page.keyboard.type(" Before sleeping.", { delay: 5 });
    await a.page.getByRole("status").filter({ hasText: "everything is saved" }).waitFor();
    // The laptop sleeps; what is typed just before stays unsent.
    await a.context.setOffline(true);
    await a.page.getByRole("status").filter({ hasText: /Reconnecting|Offline/ }).waitFor();
    await a.page.keyboard.type(" Typed while asleep.", { delay: 5 });
    // Meanwhile someone else's editor makes 9,000 changes to the section,
    // straight through the protocol: a hundred to a push.
    const doc = b.page.url().split("/").pop();
    const made = await b.page.evaluate(
      async ({ doc, title, count }) => {
        const ws = new WebSocket(`${location.origin.replace(/^http/, "ws")}/api/ws`);
        const inbox = [];
        let wake = () => {};
        ws.onmessage = (e) => {
          for (const line of String(e.data).split("\n")) inbox.push(JSON.parse(line));
          wake();
        };
        await new Promise((ok) => (ws.onopen = ok));
        const next = async (type) => {
          for (;;) {
            const i = inbox.findIndex((m) => m.type === type || m.type === "error");
            if (i >= 0) {
              const [m] = inbox.splice(i, 1);
              if (m.type === "error") throw new Error(`${m.code}: ${m.message}`);
              return m;
            }
            await new Promise((ok) => (wake = ok));
          }
        };
        ws.send(JSON.stringify({ type: "subscribe", id: 1, doc }));
        const sections = [];
        for (;;) {
          const m = await next("section");
          sections.push(m);
          if (m.title === title) break;
        }
        let { section, version, text } = sections[sections.length - 1];
        let length = text.length;
        for (let seq = 1; seq <= count; ) {
          const updates = [];
          for (let i = 0; i < 100 && seq <= count; i++, seq++) {
            updates.push({ seq, changes: [[0, String(seq % 10)], length] });
            length++;
          }
          ws.send(JSON.stringify({ type: "push", id: seq, doc, section, version, clientID: "night-writer", updates }));
          version = (await next("pushed")).version;
        }
        ws.close();
        return version;
      },
      { doc, title, count: 9000 },
    );
    assert.ok(made >= 9000, `versions made: ${made}`);
    // The laptop wakes: the tab catches up at its own pace, then sends
    // what it held back.
    await a.context.setOffline(false);
    await a.page.getByRole("status").filter({ hasText: "everything is saved" }).waitFor({ timeout: 60_000 });
    const server = await serverText(a.page, a.page.url(), title);
    const mine = await textOf(a.page, title);
    assert.equal(mine.replace(/\n+$/, ""), server);
    assert.equal(server.split("Before sleeping.").length, 2, "written once before sleeping");
    assert.equal(server.split("Typed while asleep.").length, 2, "written once while asleep");
    assert.ok(server.startsWith("0987654321"), server.slice(0, 20));
    assert.equal(server.match(/^\d+/)[0].length, 9000);
    await a.context.close();
    await b.context.close();
  });

  it("keeps a comment with the lab unless its writer chooses the partners too, and says who will read it", async () => {
    const a = await openBaseline("policymaker.no@demo.linklab.example");
    const title = "Social-work education";
    const panel = a.page.getByRole("complementary", { name: "Comments" });
    const audience = panel.getByLabel("Who will read it");
    // The baseline is shared with the partners: the choice is offered, and
    // the lab is the default.
    assert.equal(await audience.inputValue(), "lab");
    assert.equal(await audience.locator("option:checked").textContent(), "Only this lab's members");
    const comment = async (text, choice) => {
      await editorOf(a.page, title).click();
      await a.page.keyboard.press("Control+Home");
      await a.page.keyboard.press("Shift+End");
      await panel.getByLabel(/Comment on the text you selected/).fill(text);
      if (choice) await audience.selectOption({ label: choice });
      await panel.getByRole("button", { name: "Add comment" }).click();
      await panel.getByRole("listitem").filter({ hasText: text }).waitFor();
    };
    await comment("Only for us: the numbers are from 2019.");
    await comment("For everyone comparing: we train social workers for three years.", "This lab and the national partners");
    await panel.getByRole("listitem").filter({ hasText: "three years" }).getByText("Shared with partners").waitFor();
    assert.deepEqual(await axeProblems(a.page), []);
    // The panel alone: the whole baseline at 360 px is taller than some
    // Chromium builds will capture in one piece.
    for (const [width, name] of [[1280, "desktop"], [360, "360"]]) {
      await a.page.setViewportSize({ width, height: 800 });
      await panel.screenshot({ path: join(outDir, `comment-audience-${name}.png`) });
    }
    await a.context.close();

    // The partner reads the baseline: the comment written for partners,
    // not the one kept in the lab.
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await signIn(page, env.server.url, "partner@demo.linklab.example");
    const doc = a.page.url().split("/").pop();
    await page.goto(`${env.server.url}/documents/${doc}`);
    const partnerPanel = page.getByRole("complementary", { name: "Comments" });
    await partnerPanel.getByText("we train social workers for three years").waitFor();
    assert.equal(await partnerPanel.getByText("the numbers are from 2019").count(), 0);
    await context.close();
  });

  it("gives the toolbar's formatting to people who do not know Markdown", async () => {
    const a = await openBaseline("service-user-2.no@demo.linklab.example");
    const title = "Conclusions";
    await editorOf(a.page, title).click();
    await a.page.keyboard.type("important");
    await a.page.keyboard.press("Shift+Home");
    await a.page.getByRole("button", { name: `Bold: ${title}` }).click();
    await a.page.getByRole("button", { name: `List: ${title}` }).click();
    assert.match(await textOf(a.page, title), /^- \*\*important\*\*/m);
    // Formatted in place: bold in the editor itself, no separate preview.
    await editorOf(a.page, title).locator(".cm-fmt-strong", { hasText: "important" }).waitFor();
    assert.equal(await a.page.getByRole("region", { name: `Preview of ${title}` }).count(), 0);
    await a.context.close();
  });

  it("shows what is written formatted, with the Markdown marks only where the cursor is", async () => {
    const a = await openBaseline("service-user-2.no@demo.linklab.example");
    const title = "Domestic examples of social innovation";
    const editor = editorOf(a.page, title);
    await editor.click();
    await a.page.keyboard.press("Control+End");
    await a.page.keyboard.press("Enter");
    await a.page.keyboard.press("Enter");
    await a.page.keyboard.type("## Waiting lists\nFamilies wait **eleven weeks** on average.\n\nLast line", { delay: 5 });
    await a.page.getByRole("status").filter({ hasText: "everything is saved" }).waitFor();
    const shown = async () => (await editor.innerText()).replace(/\u00a0/g, " ");
    // The cursor is on the last line: the heading and bold marks above are hidden.
    await editor.locator(".cm-fmt-h2", { hasText: "Waiting lists" }).waitFor();
    let text = await shown();
    assert.match(text, /Waiting lists\nFamilies wait eleven weeks on average\./);
    assert.doesNotMatch(text, /## Waiting|\*\*eleven/);
    // On the bold's line, its marks are there to edit, faded.
    await editor.getByText("Families wait").click();
    await editor.locator(".cm-fmt-mark", { hasText: "**" }).first().waitFor();
    text = await shown();
    assert.match(text, /Families wait \*\*eleven weeks\*\* on average\./);
    // (A space typed at the end of a line is the browser's no-break space.)
    assert.match((await textOf(a.page, title)).replace(/\u00a0/g, " "), /## Waiting lists\nFamilies wait \*\*eleven weeks\*\* on average\./);
    assert.deepEqual(await axeProblems(a.page), []);
    await a.page.locator("section", { has: a.page.getByRole("heading", { name: title, exact: true }) }).screenshot({ path: join(outDir, "formatted-writing.png") });
    // A reader (the facilitator) reads it formatted, not in an editor.
    const fac = await openBaseline("facilitator.no@demo.linklab.example");
    const reading = readingOf(fac.page, title);
    await reading.locator("h4", { hasText: "Waiting lists" }).waitFor();
    await reading.locator("strong", { hasText: "eleven weeks" }).waitFor();
    assert.doesNotMatch(await reading.innerText(), /\*\*|##/);
    await fac.context.close();
    await a.context.close();
  });

  it("comments on words selected on a phone, marks them, and keeps the mark on them while others write", async () => {
    const title = "Main challenges in social work and support";
    const words = "Families tell us they are seldom asked";
    const context = await env.browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true });
    const page = await context.newPage();
    await signIn(page, env.server.url, "service-user.no@demo.linklab.example");
    await page.getByRole("link", { name: /Norway/ }).click();
    await page.getByRole("region", { name: "Documents" }).getByRole("link", { name: /^Baseline/ }).click();
    await page.getByRole("status").filter({ hasText: "Online" }).waitFor();
    await editorOf(page, title).click();
    await page.keyboard.press("Control+Home");
    for (let i = 0; i < words.length; i++) await page.keyboard.press("Shift+ArrowRight");
    // The offer sits at the bottom of a phone's screen, not 6,000 px away.
    const offer = page.getByRole("button", { name: "Comment on the selected words" });
    await offer.waitFor();
    const box = await offer.boundingBox();
    assert.ok(box && box.y > 500 && box.y + box.height <= 740, JSON.stringify(box));
    await offer.click();
    const sheet = page.getByRole("dialog", { name: `Comment on the words selected in “${title}”` });
    await sheet.getByText(words).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await page.screenshot({ path: join(outDir, "comment-sheet-phone.png") });
    await sheet.getByRole("textbox", { name: "Your comment" }).fill("Asked by whom, and how often?");
    await sheet.getByRole("button", { name: "Add comment" }).click();
    await sheet.waitFor({ state: "detached" });
    const panel = page.getByRole("complementary", { name: "Comments" });
    const thread = panel.getByRole("listitem").filter({ hasText: "Asked by whom, and how often?" });
    assert.equal(await thread.locator("blockquote").textContent(), words);
    const marked = () => editorOf(page, title).locator(".cm-commented").allTextContents().then((t) => t.join(""));
    await page.waitForFunction(() => document.querySelector(".cm-commented"));
    assert.equal(await marked(), words);

    // Someone else writes before the words: the mark stays on them.
    const other = await openBaseline("manager.no@demo.linklab.example");
    await editorOf(other.page, title).click();
    await other.page.keyboard.press("Control+Home");
    await other.page.keyboard.type("Often: ", { delay: 10 });
    await other.page.getByRole("status").filter({ hasText: "everything is saved" }).waitFor();
    for (let i = 0; i < 50 && !(await textOf(page, title)).startsWith("Often: "); i++) await page.waitForTimeout(100);
    assert.equal(await marked(), words);
    await other.context.close();

    // After a reload the thread still quotes its words, and they are marked.
    await page.reload();
    await page.getByRole("status").filter({ hasText: "Online" }).waitFor();
    assert.equal(await thread.locator("blockquote").textContent(), words);
    await page.waitForFunction(() => document.querySelector(".cm-commented"));
    assert.equal(await marked(), words);
    await thread.getByRole("button", { name: "Show in the text" }).click();
    const selected = await page.evaluate(() => document.getSelection()?.toString());
    assert.equal(selected, words);
    await context.close();

    // A reader sees the words marked in the formatted text.
    const fac = await openBaseline("facilitator.no@demo.linklab.example");
    const mark = readingOf(fac.page, title).locator("mark.commented");
    await mark.first().waitFor();
    assert.equal((await mark.allTextContents()).join(""), words);
    await fac.context.close();
  });

  it("lets a national partner co-write a synthesis, and a facilitator only read a baseline", async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await signIn(page, env.server.url, "partner@demo.linklab.example");
    const list = await (await page.request.get(`${env.server.url}/api/network/documents`)).json();
    const synthesis = list.items.find((d) => d.kind === "synthesis");
    assert.ok(synthesis, "the demo has a synthesis");
    await page.goto(`${env.server.url}/documents/${synthesis.id}`);
    await page.getByRole("status").filter({ hasText: "Online" }).waitFor();
    const first = page.locator(".cm-content").first();
    assert.equal(await first.getAttribute("contenteditable"), "true");
    assert.equal(await page.getByText("your role does not write it").count(), 0);
    await page.getByRole("complementary", { name: "Comments" }).getByRole("button", { name: "Add comment" }).waitFor();
    await context.close();

    const fac = await openBaseline("facilitator.no@demo.linklab.example");
    await fac.page.getByText("your role does not write it").waitFor();
    // Readers get the formatted text: no editor, no toolbar.
    await readingOf(fac.page, "Welfare model").getByText(/\w/).first().waitFor();
    assert.equal(await fac.page.locator(".cm-content").count(), 0);
    assert.equal(await fac.page.getByRole("textbox", { name: "Welfare model" }).count(), 0);
    assert.equal(await fac.page.getByRole("toolbar").count(), 0);
    assert.equal(await fac.page.getByRole("button", { name: "Add comment" }).count(), 0);
    await fac.context.close();
  });
});

describe("versions", () => {
  it("keeps the baseline as a named version and shows what changed since, word by word", async () => {
    const a = await openBaseline("manager.no@demo.linklab.example");
    const panel = a.page.getByRole("region", { name: "Versions" });
    await panel.getByLabel(/^Name, such as/).fill("2023 baseline");
    await panel.getByRole("button", { name: "Keep it" }).click();
    await panel.getByRole("listitem").filter({ hasText: "2023 baseline" }).waitFor();

    const title = "Organisation of social services";
    await editorOf(a.page, title).click();
    await a.page.keyboard.press("Control+Home");
    await a.page.keyboard.type("Municipalities decide. ", { delay: 10 });
    await a.page.getByRole("status").filter({ hasText: "everything is saved" }).waitFor();

    await panel.getByLabel("From").selectOption({ label: "2023 baseline" });
    await panel.getByLabel("To").selectOption({ label: "The current text" });
    await panel.getByRole("button", { name: "Show the changes" }).click();
    const changed = panel.getByRole("region", { name: new RegExp(`^${title}`) });
    await changed.waitFor();
    assert.match(await changed.locator("ins").first().textContent(), /Municipalities decide\./);
    assert.match(await panel.textContent(), /Unchanged: Welfare model/);
    assert.deepEqual(await axeProblems(a.page), []);
    await panel.locator(".diff").screenshot({ path: join(outDir, "versions-diff.png") });

    // The version exports as a printable page that says what it is.
    const [popup] = await Promise.all([
      a.page.waitForEvent("popup"),
      panel.getByRole("link", { name: "printable page (2023 baseline)" }).click(),
    ]);
    await popup.waitForLoadState();
    const exported = await popup.textContent("body");
    assert.match(exported, /Norway: families with multiple challenges \(NO\) · Version “2023 baseline” · Read by this lab and the national partners · exported/);
    assert.doesNotMatch(exported, /Municipalities decide/);
    await popup.screenshot({ path: join(outDir, "export-version.png") });
    await popup.close();

    // And as a PDF, downloaded with its progress shown, that reads back
    // with the same line on its pages.
    const [download] = await Promise.all([
      a.page.waitForEvent("download"),
      panel.getByRole("button", { name: "PDF (2023 baseline)" }).click(),
    ]);
    assert.match(download.suggestedFilename(), /2023-baseline\.pdf$/);
    const pdfText = execFileSync("pdftotext", ["-enc", "UTF-8", await download.path(), "-"], { encoding: "utf8" });
    assert.match(pdfText.replace(/\s+/g, " "), /Version “2023 baseline” · Read by this lab and the national partners/);
    assert.match(pdfText, /Organisation of social services/);
    assert.doesNotMatch(pdfText, /Municipalities decide/);

    // The same name again is refused with a reason a person can act on.
    await panel.getByLabel(/^Name, such as/).fill("2023 baseline");
    await panel.getByRole("button", { name: "Keep it" }).click();
    await panel.getByRole("alert").filter({ hasText: /already exists/ }).waitFor();
    await a.context.close();
  });
});

describe("themes", () => {
  it("tags the selected words with a theme, and the partner sees it arrive in the country x theme matrix", async () => {
    // The partner has the matrix open before anything is tagged.
    const p = await env.browser.newContext();
    const page = await p.newPage();
    await signIn(page, env.server.url, "partner@demo.linklab.example");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Themes" }).click();
    const matrix = page.getByRole("table", { name: "Passages tagged, by theme and country" });
    await matrix.waitFor();
    await matrix.getByText("No passage of NO on Staff").waitFor({ state: "attached" });

    const a = await openBaseline("policymaker.no@demo.linklab.example");
    const title = "Welfare model";
    // The first paragraph (other tests may have typed into it before).
    await editorOf(a.page, title).locator(".cm-line").first().click({ clickCount: 3 });
    const panel = a.page.getByRole("region", { name: "Themes in this document" });
    await panel.getByLabel("Theme").selectOption({ label: "Staff" });
    await panel.getByRole("button", { name: `Tag the words selected in “${title}”` }).click();
    const item = panel.getByRole("listitem").filter({ hasText: "Staff" });
    await item.waitFor();
    assert.match(await item.textContent(), /Norway has a \*\*social-democratic\*\*/);
    assert.deepEqual(await axeProblems(a.page), []);
    await a.context.close();

    // The matrix hears of it without being reloaded (its own reading
    // again is a minute away; the push comes at once).
    const cell = matrix.getByRole("button", { name: "Passages of NO on Staff: 1" });
    await cell.waitFor({ timeout: 15_000 });
    await cell.click();
    const passages = page.getByRole("region", { name: "Staff · NO" });
    await passages.getByText(/Norway has a \*\*social-democratic\*\*/).waitFor();
    assert.deepEqual(await axeProblems(page), []);
    await screenshots(page, "theme-matrix");
    await p.close();
  });
});

describe("citations", () => {
  it("lets a partner cite a baseline's words in a synthesis, and warns when they change", async () => {
    const p = await env.browser.newContext();
    const page = await p.newPage();
    await signIn(page, env.server.url, "partner@demo.linklab.example");
    await page.getByRole("link", { name: /Norway/ }).click();
    await page.getByRole("region", { name: "Documents" }).getByRole("link", { name: /^Baseline/ }).click();
    await page.getByRole("status").filter({ hasText: "Online" }).waitFor();
    const title = "Organisation of social services";
    // A reader selects words in the formatted text, as to copy them.
    await readingOf(page, title).locator("p").first().click({ clickCount: 3 });
    const form = page.getByRole("form", { name: "Cite in a synthesis" });
    await form.getByLabel("Synthesis").selectOption({ label: "Families and young people: Norway and Slovenia compared" });
    await form.getByRole("button", { name: "Cite the selected words" }).click();
    await page.getByRole("status").filter({ hasText: /^Cited in/ }).waitFor({ state: "attached" });

    // The lab edits the cited words; the synthesis says they changed.
    const a = await openBaseline("manager.no@demo.linklab.example");
    await editorOf(a.page, title).click();
    await a.page.keyboard.press("Control+Home");
    await a.page.keyboard.press("Control+ArrowRight"); // after the first word, inside the passage
    await a.page.keyboard.type(" central", { delay: 10 });
    await a.page.getByRole("status").filter({ hasText: "everything is saved" }).waitFor();
    await a.context.close();

    await page.goto(`${env.server.url}/syntheses`);
    await page.getByRole("link", { name: "Families and young people: Norway and Slovenia compared" }).click();
    const panel = page.getByRole("region", { name: "Citations" });
    const item = panel.getByRole("listitem").first();
    await item.waitFor();
    // Words typed inside the passage: the citation says it changed, and how.
    await item.getByText("changed since cited", { exact: true }).waitFor();
    assert.match(await item.locator("ins").textContent(), /^inserted: ?central ?$/);
    assert.deepEqual(await axeProblems(page), []);
    await panel.screenshot({ path: join(outDir, "citations.png") });
    await p.close();
  });
});
