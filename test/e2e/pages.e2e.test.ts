/**
 * Every page of the dashboard (each route in web/src/app/routes.tsx, detail pages with a real
 * id from the API) opens at laptop width without console errors, failed requests or an error
 * state, with a screenshot each (page-<path>.png); a few pages at tablet width, where the
 * navigation is a drawer behind the menu toggle; and the same build served the Cloudflare
 * Pages way (`wrangler pages dev web/dist`), its _worker.js passing the API to the Worker.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, type Session, signIn, stack } from "./browser";
import { apiJson, eventually, freePort, postSampleLead, QUIET_WRANGLER } from "./stack-api";

type RouteInfo = { path: string; title: string; nav: string | null };

/** The routes as declared (read as text: the module itself is browser code). */
function declaredRoutes(): RouteInfo[] {
  const source = readFileSync(join(import.meta.dirname, "..", "..", "web", "src", "app", "routes.tsx"), "utf8");
  const routes: RouteInfo[] = [];
  for (const m of source.matchAll(/\{\s*path:\s*"([^"]+)",\s*title:\s*"([^"]+)"(?:,\s*nav:\s*"([^"]+)")?/g)) {
    routes.push({ path: m[1] as string, title: m[2] as string, nav: m[3] ?? null });
  }
  return routes;
}

const ROUTES = declaredRoutes();
const screenshotName = (path: string) => `page-${path === "/" ? "home" : path.slice(1).replace(/[/:]+/g, "-")}`;

type List = { data: { id: string }[] };

/** A real id for each detail route, creating what the demo tenant does not have yet. */
async function detailIds(): Promise<Record<string, string>> {
  const workflows = await apiJson<List>("GET", "/workflows");
  if (!workflows.body.data[0]) throw new Error("the demo tenant has no workflows");
  await postSampleLead();
  const run = await eventually("a workflow run", async () => (await apiJson<List>("GET", "/runs?limit=1")).body.data[0]);
  let model = (await apiJson<List>("GET", "/models")).body.data[0];
  if (!model) model = (await apiJson<{ id: string }>("POST", "/models", { key: "e2e-lead-reply", name: "Lead reply", baseModel: "llama-3.1-8b-instruct" })).body;
  let assistant = (await apiJson<List>("GET", "/assistants")).body.data[0];
  if (!assistant) assistant = (await apiJson<{ id: string }>("POST", "/assistants", { name: "Showroom assistant", model: "gpt-4o-mini" })).body;
  return { "/workflows/:id": workflows.body.data[0].id, "/runs/:id": run.id, "/models/:id": model.id, "/assistants/:id": assistant.id };
}

/** Waits for the page's heading and for every loading state to end; answers the error states shown. */
async function openedCleanly(page: Page): Promise<string[]> {
  await page.getByRole("heading", { level: 1 }).first().waitFor();
  await eventually("the page to finish loading", async () => ((await page.getByText("Loading…").count()) === 0 ? true : undefined));
  const errors = page.getByRole("alert").filter({ hasText: /Something went wrong|You do not have access|Page not found/ });
  return errors.allTextContents();
}

describe("every page at laptop width", () => {
  let s: Session;
  let ids: Record<string, string> = {};
  beforeAll(async () => {
    ids = await detailIds();
    s = await openBrowser();
    await signIn(s.page);
  }, 120_000);
  afterAll(async () => s?.close());

  it("finds the dashboard's routes", () => {
    expect(ROUTES.length).toBeGreaterThanOrEqual(20);
    expect(ROUTES.map((r) => r.path)).toContain("/operations");
  });

  for (const route of ROUTES) {
    it(`opens ${route.path} (${route.title})`, async () => {
      const seen = s.problems.length;
      if (route.nav) {
        // Through the sidebar, as a user would.
        await s.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: route.title, exact: true }).click();
      } else {
        const id = ids[route.path];
        expect(id, `an id for ${route.path}`).toBeTruthy();
        await s.page.goto(route.path.replace(":id", encodeURIComponent(id as string)));
      }
      expect(await openedCleanly(s.page)).toEqual([]);
      await s.screenshot(screenshotName(route.path));
      expect(s.problems.slice(seen)).toEqual([]);
    });
  }
});

describe("a few pages at tablet width", () => {
  let t: Session;
  beforeAll(async () => {
    t = await openBrowser({ width: 820, height: 1180 });
    await signIn(t.page);
  }, 60_000);
  afterAll(async () => t?.close());

  for (const title of ["Overview", "Operations", "Workflows", "Usage & cost"]) {
    it(`opens ${title} from the menu drawer`, async () => {
      const seen = t.problems.length;
      const toggle = t.page.getByRole("button", { name: "Menu" });
      const link = t.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: title, exact: true });
      expect(await toggle.getAttribute("aria-expanded")).toBe("false");
      // Closed, the drawer sits off-screen.
      expect(((await link.boundingBox())?.x ?? -1) < 0).toBe(true);
      await toggle.click();
      expect(await toggle.getAttribute("aria-expanded")).toBe("true");
      await eventually("the drawer to slide in", async () => (((await link.boundingBox())?.x ?? -1) >= 0 ? true : undefined));
      await link.click();
      expect(await toggle.getAttribute("aria-expanded")).toBe("false");
      expect(await openedCleanly(t.page)).toEqual([]);
      const path = ROUTES.find((r) => r.title === title)?.path ?? title;
      expect(new URL(t.page.url()).pathname).toBe(path);
      await t.screenshot(`tablet-${screenshotName(path)}`);
      expect(t.problems.slice(seen)).toEqual([]);
    });
  }
});

describe("the dashboard deployed as Cloudflare Pages", () => {
  const dist = join(import.meta.dirname, "..", "..", "web", "dist");
  let pages: ChildProcess | undefined;
  let cwd = "";
  let origin = "";

  beforeAll(async () => {
    // From a folder without wrangler.toml: a Pages project is not the Worker.
    cwd = mkdtempSync(join(tmpdir(), "auterity-pages-"));
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    const wrangler = join(import.meta.dirname, "..", "..", "node_modules", ".bin", "wrangler");
    pages = spawn(wrangler, ["pages", "dev", dist, "--ip", "127.0.0.1", "--port", String(port), "--binding", `API_ORIGIN=${stack().base}`, "--compatibility-date", "2026-04-26", "--show-interactive-dev-session=false"], {
      cwd,
      detached: true,
      env: { ...process.env, ...QUIET_WRANGLER },
      stdio: "ignore",
    });
    await eventually("wrangler pages dev", async () => ((await fetch(`${origin}/`).catch(() => null))?.ok ? true : undefined), 90_000);
  }, 120_000);
  afterAll(async () => {
    if (pages?.pid && pages.exitCode === null) {
      const exited = new Promise((r) => pages?.once("exit", r));
      process.kill(-pages.pid, "SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (pages.exitCode === null) process.kill(-pages.pid, "SIGKILL");
    }
    rmSync(cwd, { recursive: true, force: true });
  });

  it("serves the app, deep links and the proxied API from one origin", async () => {
    const ready = await fetch(`${origin}/health/ready`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { status: string }).status).toBe("ready");
    const deep = await fetch(`${origin}/workflows/wf_anything`);
    expect(await deep.text()).toContain('<div id="root">');
    const noAuth = await fetch(`${origin}/api/v1/me`);
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers.get("x-request-id")).toBeTruthy();
    // The Worker serving web/dist itself leaves the Pages files out of its assets.
    expect(await (await fetch(`${stack().base}/_worker.js`)).text()).not.toContain("API_ORIGIN");

    const p = await openBrowser();
    try {
      await p.page.goto(origin);
      await p.page.getByLabel("Email").fill(stack().adminEmail);
      await p.page.getByLabel("Password").fill(stack().adminPassword);
      await p.page.getByRole("button", { name: "Sign in" }).click();
      const frames: string[] = [];
      p.page.on("websocket", (ws) => ws.on("framereceived", (f) => frames.push(String(f.payload))));
      await p.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Operations", exact: true }).click();
      expect(await openedCleanly(p.page)).toEqual([]);
      expect((await p.page.getByRole("table", { name: "Readiness checks" }).textContent()) ?? "").toMatch(/Queues\s*ok\s*\d+ ms/);
      // The live socket goes through the proxy too.
      await p.page.reload();
      await eventually("the live socket through Pages", async () => (frames.some((f) => f.includes('"subscribed"')) ? true : undefined));
      await openedCleanly(p.page);
      await p.screenshot("pages-operations");
      expect(p.problems).toEqual([]);
    } finally {
      await p.close();
    }
  });
});
