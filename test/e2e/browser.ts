/**
 * The browser side of the dashboard tests: Debian's Chromium driven by playwright-core,
 * signed in as the demo admin, recording console errors and failed requests, and saving
 * a screenshot per page under test-results/screenshots/.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { inject } from "vitest";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export type Session = {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  base: string;
  /** Console errors, page errors and failed same-origin requests (4xx/5xx other than expected 401s). */
  problems: string[];
  /**
   * Saves test-results/screenshots/<name>.png of the full page, from the top (the top bar is
   * sticky: shot from a scrolled position it would land mid-page).
   */
  screenshot: (name: string) => Promise<void>;
  close: () => Promise<void>;
};

export function stack() {
  return inject("e2e");
}

/** A fresh browser at the given viewport; not signed in. */
export async function openBrowser(viewport = { width: 1366, height: 900 }): Promise<Session> {
  const { base, screenshotDir } = stack();
  mkdirSync(screenshotDir, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  const context = await browser.newContext({ viewport, baseURL: base });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("response", (res) => {
    const url = res.url();
    // Chrome logs these as "Failed to load resource" without the URL; this names it.
    const failed = res.status() >= 500 || (res.status() >= 400 && res.status() !== 401);
    if (url.startsWith(base) && failed) problems.push(`${res.status()} ${res.request().method()} ${url}`);
  });
  return {
    browser,
    context,
    page,
    base,
    problems,
    screenshot: async (name) => {
      await page.evaluate("window.scrollTo(0, 0)");
      await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
    },
    close: () => browser.close(),
  };
}

/** Signs in through the sign-in form, as a user would (the demo admin unless told otherwise). */
export async function signIn(page: Page, as?: { email: string; password: string }): Promise<void> {
  const { adminEmail, adminPassword } = stack();
  await page.goto("/");
  await page.getByLabel("Email").fill(as?.email ?? adminEmail);
  await page.getByLabel("Password").fill(as?.password ?? adminPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).waitFor();
}

/** Follows a link of the sidebar, as a user would, and waits for the page's heading (the link's name unless told). */
export async function openFromSidebar(page: Page, link: string, heading = link): Promise<void> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: link, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
}

/** How far the page scrolls sideways (0 when it fits the viewport: tables scroll inside it instead). */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate<number>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
}
