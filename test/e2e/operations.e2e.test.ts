/**
 * The overview, the Operations page and the anomaly banner against `npm start`'s stack:
 * real gateway calls and an ADF lead show up on the overview; readiness checks with their
 * timings; a burst of calls far above the tenant's usual traffic raises an anomaly whose
 * banner appears live on another page, is read-only for a viewer, and goes away once
 * acknowledged; the sensitivity setting is saved.
 */
import { randomBytes } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, openFromSidebar, type Session, signIn } from "./browser";
import { apiJson, callsRecorded, eventually, gatewayBurst, postSampleLead, runCron, seedUsageHistory } from "./stack-api";

type Anomaly = { id: string; kind: string; status: string; observed: number; expected: number; acknowledgedAt: number | null };

let s: Session;
const liveFrames: string[] = [];

/** Waits until no "Loading…" state is left on the page. */
async function settled(page: Page): Promise<void> {
  await eventually("the page to finish loading", async () => ((await page.getByText("Loading…").count()) === 0 ? true : undefined));
}

async function text(page: Page, role: "region" | "table" | "row", name: string | RegExp): Promise<string> {
  const el = page.getByRole(role, { name });
  await el.first().waitFor();
  return (await el.first().textContent()) ?? "";
}

/** The text of a page's panel, found by its heading. */
async function panelText(page: Page, heading: string): Promise<string> {
  const panel = page.locator("section").filter({ has: page.getByRole("heading", { level: 2, name: heading, exact: true }) });
  await panel.first().waitFor();
  return (await panel.first().textContent()) ?? "";
}

beforeAll(async () => {
  const me = await apiJson<{ tenant: { id: string } }>("GET", "/me");
  // A quiet, steady past: the detector judges the burst below against it.
  await seedUsageHistory(me.body.tenant.id);
  s = await openBrowser();
  s.page.on("websocket", (ws) => ws.on("framereceived", (f) => liveFrames.push(String(f.payload))));
  await signIn(s.page);
}, 120_000);
afterAll(async () => s?.close());

describe("overview", () => {
  it("shows today's calls and spend, runs, leads and health after some traffic", async () => {
    const before = await callsRecorded();
    expect(await gatewayBurst(3)).toEqual([200, 200, 200]);
    expect(["created", "duplicate"]).toContain((await postSampleLead()).status);
    await eventually("the calls in the usage log", async () => ((await callsRecorded()) >= before + 3 ? true : undefined));
    await eventually("a workflow run", async () => ((await apiJson<{ data: unknown[] }>("GET", "/runs?limit=1")).body.data.length > 0 ? true : undefined));

    await openFromSidebar(s.page, "Usage & cost");
    await openFromSidebar(s.page, "Overview");
    await settled(s.page);
    const spend = await text(s.page, "region", "AI spend today");
    const calls = Number(/Gateway calls\s*([\d,]+)/.exec(spend)?.[1]?.replace(/,/g, ""));
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(spend).toMatch(/\$\d+\.\d+\s*spent today/);
    expect(spend).toMatch(/Yesterday: \$/);
    expect(await text(s.page, "region", "Leads today")).toMatch(/[1-9]\d*\s*leads?/);
    expect(await text(s.page, "region", "Workflow runs, last 24 h")).toMatch(/[1-9]\d*\s*runs?/);
    expect(await text(s.page, "region", "Approvals waiting")).toMatch(/\d+\s*waiting/);
    expect(await text(s.page, "region", "Open anomalies")).toMatch(/0\s*open/);
    expect(await text(s.page, "region", "Platform health")).toMatch(/ready\s*all checks pass/);
    // The card's title leads to its page.
    await s.page.getByRole("link", { name: "Leads today" }).click();
    await s.page.getByRole("heading", { level: 1, name: "Leads" }).waitFor();
    await openFromSidebar(s.page, "Overview");
    await settled(s.page);
    await s.screenshot("operations-overview");
    expect(s.problems).toEqual([]);
  });
});

describe("operations", () => {
  it("shows every readiness check ok with its timing", async () => {
    await openFromSidebar(s.page, "Operations");
    await settled(s.page);
    for (const check of ["Database (D1)", "Cache (KV)", "File storage (R2)", "Durable Objects", "Queues"]) {
      expect(await text(s.page, "row", new RegExp(`^${check.replace(/[()]/g, "\\$&")}`))).toMatch(/ok\s*\d+ ms/);
    }
    await s.page.getByRole("button", { name: "Check now" }).click();
    expect(await text(s.page, "table", "Readiness checks")).toContain("Queues");
    expect(await panelText(s.page, "Anomalies")).toContain("Nothing unusual right now");
    await s.screenshot("operations-page");
    expect(s.problems).toEqual([]);
  });

  it("shows a budget's spend and the day it runs out at today's pace", async () => {
    // Soft: it only notifies, so it never stops the calls of tests that run after this one.
    const created = await apiJson<{ id: string }>("POST", "/budgets", { name: "E2E monthly AI", scope: "tenant", limitUsd: 0.05, window: "month", action: "soft" });
    expect(created.status).toBe(201);
    const forecasts = await apiJson<{ data: { budgetId: string; runOutDate: string | null; runsOutBeforeWindowEnd: boolean }[] }>("GET", "/operations/forecasts/budgets");
    const mine = forecasts.body.data.find((f) => f.budgetId === created.body.id);
    expect(mine).toBeDefined();

    await openFromSidebar(s.page, "Overview");
    await openFromSidebar(s.page, "Operations");
    await settled(s.page);
    const row = await text(s.page, "row", /E2E monthly AI/);
    expect(row).toContain("$0.0500");
    expect(row).toContain("whole dealership");
    if (mine?.runsOutBeforeWindowEnd && mine.runOutDate) {
      const [y, m, d] = mine.runOutDate.split("-").map(Number);
      const shown = new Date(Date.UTC(y as number, (m as number) - 1, d)).toLocaleDateString("en-US", { dateStyle: "medium", timeZone: "UTC" });
      expect(row).toContain(`Runs out ${shown}`);
    } else {
      expect(row).toContain("Lasts the window");
    }
    expect(await s.page.getByRole("meter", { name: "E2E monthly AI" }).count()).toBe(1);
    await s.screenshot("operations-budgets");
    expect(s.problems).toEqual([]);
  });

  it("raises a banner live on another page when calls spike, read-only for a viewer, gone once acknowledged", async () => {
    await eventually("the live socket's operations subscription", async () =>
      liveFrames.some((f) => f.includes('"subscribed"') && f.includes("operations")) ? true : undefined,
    );
    await openFromSidebar(s.page, "Workflows");
    await s.page.evaluate(() => {
      (globalThis as unknown as { stillSamePage?: boolean }).stillSamePage = true;
    });
    expect(await s.page.getByRole("region", { name: "Anomalies needing attention" }).count()).toBe(0);

    const before = await callsRecorded();
    const statuses = await gatewayBurst(40);
    expect(statuses.every((st) => st === 200)).toBe(true);
    await eventually("the burst in the usage log", async () => ((await callsRecorded()) >= before + 40 ? true : undefined));
    await runCron();

    const banner = s.page.getByRole("region", { name: "Anomalies needing attention" });
    await banner.waitFor({ timeout: 30_000 });
    const bannerText = (await banner.textContent()) ?? "";
    expect(bannerText).toMatch(/Gateway calls are \d+(\.\d)?× normal in the last 5 minutes/);
    expect(bannerText).toMatch(/detected (just now|\d+ min ago)/);
    // It arrived over the live socket: the page was never reloaded.
    expect(await s.page.evaluate(() => (globalThis as unknown as { stillSamePage?: boolean }).stillSamePage)).toBe(true);
    await s.page.getByRole("heading", { level: 1, name: "Workflows" }).waitFor();

    const open = await apiJson<{ data: Anomaly[] }>("GET", "/operations/anomalies?status=open");
    const volume = open.body.data.find((a) => a.kind === "tenant_volume");
    expect(volume?.observed).toBeGreaterThanOrEqual(40);
    expect(volume?.expected).toBeLessThanOrEqual(3);
    await s.screenshot("operations-banner");

    // A viewer sees the banner but may not acknowledge it, nor change the sensitivity.
    const viewer = { email: `viewer-${randomBytes(4).toString("hex")}@demo-motors.test`, password: `viewer-${randomBytes(8).toString("hex")}` };
    expect((await apiJson("POST", "/users", { ...viewer, name: "Lot Viewer", role: "viewer" })).status).toBe(201);
    const v = await openBrowser();
    try {
      await signIn(v.page, viewer);
      const vBanner = v.page.getByRole("region", { name: "Anomalies needing attention" });
      await vBanner.waitFor();
      expect(await vBanner.getByRole("button", { name: /Acknowledge/ }).count()).toBe(0);
      await vBanner.getByRole("link", { name: "View in Operations" }).click();
      await v.page.getByRole("heading", { level: 1, name: "Operations" }).waitFor();
      await settled(v.page);
      expect(await v.page.getByLabel("Sensitivity").isDisabled()).toBe(true);
      await v.screenshot("operations-viewer");
      expect(v.problems).toEqual([]);
    } finally {
      await v.close();
    }

    await banner.getByRole("button", { name: /^Acknowledge/ }).first().click();
    await s.page.getByText("Anomaly acknowledged").waitFor();
    await banner.waitFor({ state: "detached" });
    const after = await apiJson<{ data: Anomaly[] }>("GET", "/operations/anomalies?status=open");
    expect(after.body.data.find((a) => a.id === volume?.id)?.acknowledgedAt).toEqual(expect.any(Number));

    // Operations lists it, acknowledged.
    await openFromSidebar(s.page, "Operations");
    await settled(s.page);
    const row = await text(s.page, "row", /Call volume/);
    expect(row).toMatch(/this dealership/);
    expect(row).toMatch(/\d+(\.\d)? calls/);
    expect(row).toMatch(/yes\s*\d+ (s|min) ago/);
    await s.screenshot("operations-anomaly-acknowledged");
    expect(s.problems).toEqual([]);
  });

  it("saves the sensitivity setting", async () => {
    await openFromSidebar(s.page, "Operations");
    await settled(s.page);
    const select = s.page.getByLabel("Sensitivity");
    await select.selectOption("high");
    await s.page.getByRole("button", { name: "Save" }).click();
    await s.page.getByText("Sensitivity set to high").waitFor();
    expect((await apiJson<{ sensitivity: string }>("GET", "/operations/anomaly-settings")).body.sensitivity).toBe("high");

    await s.page.reload();
    await s.page.getByRole("heading", { level: 1, name: "Operations" }).waitFor();
    await settled(s.page);
    expect(await s.page.getByLabel("Sensitivity").inputValue()).toBe("high");
    expect(await s.page.getByRole("button", { name: "Save" }).isDisabled()).toBe(true);
    expect(await panelText(s.page, "Anomaly sensitivity")).toMatch(/Last changed/);

    // Back to the default, and Enter in the field saves it.
    await select.selectOption("medium");
    await select.press("Enter");
    await s.page.getByText("Sensitivity set to medium").waitFor();
    expect((await apiJson<{ sensitivity: string }>("GET", "/operations/anomaly-settings")).body.sensitivity).toBe("medium");
    expect(s.problems).toEqual([]);
  });
});
