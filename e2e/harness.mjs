// Starts the real linklab binary on the embedded store with the demo labs,
// and real headless Chromium through playwright-core.
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { after, before } from "node:test";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const outDir = resolve(here, "..", "test-output", "screenshots");

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on("error", fail);
  });
}

/** startServer runs linklab with --demo and resolves when it listens. */
export async function startServer() {
  const bin = process.env.LINKLAB_BIN || resolve(here, "..", "bin", "linklab");
  const dataDir = mkdtempSync(join(tmpdir(), "linklab-e2e-"));
  const port = await freePort();
  const child = spawn(bin, ["serve", "--demo", "--addr", `127.0.0.1:${port}`, "--data-dir", dataDir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let logs = "";
  child.stderr.on("data", (d) => (logs += d));
  await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`linklab did not start:\n${logs}`)), 60_000);
    child.stdout.on("data", (d) => {
      if (String(d).includes("LinkLab is running")) {
        clearTimeout(timer);
        ok();
      }
    });
    child.on("exit", (code) => fail(new Error(`linklab exited with ${code}:\n${logs}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((ok) => child.once("exit", ok));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** launchBrowser starts the system's Chromium; the flags keep it off the network. */
export function launchBrowser() {
  mkdirSync(outDir, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export const demoPassword = "linklab-demo";

/** signIn fills the sign-in form and waits for the labs list. */
export async function signIn(page, base, email) {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password").fill(demoPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { level: 1 }).filter({ hasText: /labs/i }).waitFor();
}

/** screenshots saves the page at desktop and at 360 px width. */
export async function screenshots(page, name) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: join(outDir, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 360, height: 740 });
  await page.screenshot({ path: join(outDir, `${name}-360.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** axeProblems lists the serious and critical WCAG 2.2 AA violations on the page. */
export async function axeProblems(page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes)`);
}

/** suite starts the server and the browser before a test file's tests and
 * stops them after; its fields are set once they run. */
export function suite() {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}
