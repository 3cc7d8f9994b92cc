/**
 * The usage and gateway pages in a real browser against `npm start`'s stack: a budget
 * created (a zero limit refused next to its field), gateway calls made with the demo key and
 * found in Recent calls (filtered and opened), the usage page costing them, the budget's
 * limit changed in place until its gauge moves, routing rules refused with the line named
 * and then saved, restored from history and dry-run, and provider health polled live.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, openFromSidebar, type Session, signIn } from "./browser";
import { watchRefusals } from "./refusals";
import { apiJson, gatewayCall } from "./stack-api";

const BUDGET = "E2E daily cap";

let s: Session;
let takeRefusals: ReturnType<typeof watchRefusals>;

async function chat(model: string, content: string): Promise<void> {
  expect(await gatewayCall(content, { model, maxTokens: 64 })).toBe(200);
}

/** The routing rules in effect, as the API answers them. */
async function routingYaml(): Promise<string> {
  return (await apiJson<{ yaml: string }>("GET", "/gateway/routing")).body.yaml;
}

/** Waits for a value the page or the API reaches once queued work lands (the machine may be busy). */
const until = <T>(fn: () => Promise<T> | T, timeout = 20_000) => expect.poll(fn, { timeout, interval: 250 });

/** "$0.000123" → 0.000123 */
const dollars = (text: string | null) => Number((text ?? "").replace(/[^0-9.]/g, ""));

beforeAll(async () => {
  s = await openBrowser();
  takeRefusals = watchRefusals(s);
  await signIn(s.page);
});
afterAll(async () => s?.close());

describe("budgets", () => {
  it("refuses a zero limit next to its field, then creates a daily soft budget", async () => {
    const { page } = s;
    await openFromSidebar(page, "Usage & cost");
    await page.getByRole("button", { name: "New budget" }).click();
    const dialog = page.getByRole("dialog", { name: "New budget" });
    await dialog.getByLabel("Name").fill(BUDGET);
    await dialog.getByLabel("Limit (USD)").fill("0");
    await dialog.getByLabel("Window").selectOption("day");
    await dialog.getByLabel("When the limit is reached").selectOption("soft");
    await dialog.getByLabel("Limit (USD)").press("Enter");
    const limit = dialog.getByLabel("Limit (USD)");
    await until(() => limit.getAttribute("aria-invalid")).toBe("true");
    await dialog.locator(".field-error").first().waitFor();
    takeRefusals([{ status: 400, path: "/api/v1/budgets" }]);

    await limit.fill("1");
    await dialog.getByRole("button", { name: "Create budget" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByText(`Budget "${BUDGET}" created`).waitFor();
    const meter = page.getByRole("meter", { name: BUDGET });
    await meter.waitFor();
    expect(await meter.getAttribute("aria-valuetext")).toBe("0 percent used");
  });
});

describe("recent calls", () => {
  it("lists gateway calls made with the demo key, newest first, and filters them by model", async () => {
    await chat("gpt-4o-mini", "Write a one-line reply to a lead asking about a 2024 Civic.");
    await chat("gpt-4o-mini", "Suggest a service reminder subject line.");
    await chat("gpt-4o", "Summarise this review: great service, slow paperwork.");

    const { page } = s;
    await openFromSidebar(page, "Recent calls");
    const table = page.getByRole("table", { name: "Recent gateway calls, newest first" });
    // Usage events reach D1 through a queue: refresh until all three are in.
    await expect
      .poll(
        async () => {
          await page.getByRole("button", { name: "Refresh" }).click();
          await page.waitForTimeout(500);
          return (await table.getByRole("row").count()) - 1;
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBeGreaterThanOrEqual(3);
    // Newest first: the gpt-4o call was made last.
    await until(async () => await table.getByRole("row").nth(1).locator("code").first().textContent()).toBe("gpt-4o");
    await s.screenshot("gateway-calls");

    await page.getByLabel("Model (asked for or served)").fill("gpt-4o");
    await page.getByLabel("Model (asked for or served)").press("Enter");
    await until(() => page.url()).toContain("model=gpt-4o");
    await until(async () => (await table.getByRole("row").count()) - 1).toBe(1);
    await page.getByRole("button", { name: "Clear filters" }).click();
    await until(async () => (await table.getByRole("row").count()) - 1).toBeGreaterThanOrEqual(3);
  });

  it("opens a call with everything recorded about it", async () => {
    const { page } = s;
    const table = page.getByRole("table", { name: "Recent gateway calls, newest first" });
    await table.getByRole("row").nth(2).click();
    const dialog = page.getByRole("dialog", { name: /^Call / });
    await dialog.waitFor();
    for (const label of ["Model asked for", "Model served", "Provider", "Attempts", "Latency", "Time to first token", "Tokens", "Cost", "API key", "Tags"]) {
      await dialog.getByText(label, { exact: true }).waitFor();
    }
    const text = (await dialog.textContent()) ?? "";
    expect(text).toContain("gpt-4o-mini");
    expect(text).toContain("Demo key");
    expect(text).toMatch(/\d+ in · \d+ out/);
    expect(dollars((await dialog.locator("dt", { hasText: /^Cost$/ }).locator("xpath=following-sibling::dd[1]").textContent()) ?? "")).toBeGreaterThan(0);
    await s.screenshot("gateway-calls-detail");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
  });
});

describe("usage and cost", () => {
  it("costs today's calls above $0, by model, in the last 24 hours", async () => {
    const { page } = s;
    await openFromSidebar(page, "Usage & cost");
    await page.getByLabel("Range").selectOption("24h");
    await until(() => page.url()).toContain("range=24h");
    const costStat = page.locator(".stat").filter({ has: page.locator("dt", { hasText: /^Cost$/ }) }).locator("dd").first();
    await until(async () => dollars(await costStat.textContent())).toBeGreaterThan(0);
    const byModel = page.getByRole("table", { name: "Usage by model" });
    await byModel.getByRole("row", { name: /gpt-4o-mini/ }).waitFor();
    await page.getByRole("img", { name: "Cost per hour, by model" }).waitFor();

    await page.getByLabel("Group by").selectOption("provider");
    await page.getByRole("table", { name: "Usage by provider" }).getByRole("row", { name: /openai/ }).waitFor();
    await page.getByRole("tab", { name: "Calls" }).click();
    await page.getByRole("img", { name: "Calls per hour, by provider" }).waitFor();
  });

  it("moves the budget's gauge when its limit is changed in place", async () => {
    const { page } = s;
    const meter = page.getByRole("meter", { name: BUDGET });
    // The calls above count against the budget created before them.
    const spend = (await apiJson<{ data: { budgetId: string; name: string; spentNanoUsd: number }[] }>("GET", "/spend")).body.data.find((b) => b.name === BUDGET);
    expect(spend?.spentNanoUsd ?? 0).toBeGreaterThan(0);
    const spent = spend?.spentNanoUsd ?? 0;

    await page.getByRole("button", { name: `Edit limit of ${BUDGET}` }).click();
    const field = page.getByLabel(`New limit for ${BUDGET} (USD)`);
    await field.fill("0");
    await field.press("Enter");
    await until(() => field.getAttribute("aria-invalid")).toBe("true");
    takeRefusals([{ status: 400, path: `/api/v1/budgets/${spend?.budgetId}` }]);

    // Twice what was spent: the gauge reads 50 %.
    await field.fill(String((spent * 2) / 1e9));
    await field.press("Enter");
    await until(() => meter.getAttribute("aria-valuetext")).toBe("50 percent used");
    await page.getByText(`${BUDGET}: limit set to`).waitFor();
    await page.getByText(/At today's pace/).first().waitFor();

    // Four times: 25 %.
    await page.getByRole("button", { name: `Edit limit of ${BUDGET}` }).click();
    await page.getByLabel(`New limit for ${BUDGET} (USD)`).fill(String((spent * 4) / 1e9));
    await page.getByRole("button", { name: "Save limit" }).click();
    await until(() => meter.getAttribute("aria-valuetext")).toBe("25 percent used");
    await s.screenshot("usage");
  });
});

describe("routing rules", () => {
  const INVALID = ["rules:", "  - name: e2e-mini", '    match: { model: "gpt-*" }', "    strategy: fallback", "    targets: [{ model: openai/gpt-4o-mini, wieght: 2 }]", ""].join("\n");
  const VALID = ["rules:", "  - name: e2e-mini", '    match: { model: "gpt-*" }', "    strategy: fallback", "    targets: [openai/gpt-4o-mini, anthropic/claude-3-5-haiku-latest]", ""].join("\n");

  it("refuses invalid rules and names the line", async () => {
    const { page } = s;
    await openFromSidebar(page, "Routing rules");
    const editor = page.getByLabel("Rules (YAML)");
    await editor.fill(INVALID);
    await page.getByRole("button", { name: "Save rules" }).click();
    const problems = page.getByRole("alert").filter({ hasText: "nothing was saved" });
    await problems.waitFor();
    expect(await problems.textContent()).toMatch(/Line 5, column \d+.*wieght/);
    expect(await editor.getAttribute("aria-invalid")).toBe("true");
    await until(() => page.locator(".gw-line-error").allTextContents()).toEqual(["5"]);
    takeRefusals([{ status: 400, path: "/api/v1/gateway/routing" }]);
    await s.screenshot("gateway-routing-invalid");

    // The problem's link puts the cursor on that line.
    await problems.getByRole("button", { name: /Line 5/ }).click();
    const start = Number(await page.evaluate("document.activeElement.selectionStart"));
    expect((await editor.inputValue()).slice(0, start).split("\n")).toHaveLength(5);
  });

  it("saves valid rules as a version and shows it in the history", async () => {
    const { page } = s;
    await page.getByLabel("Rules (YAML)").fill(VALID);
    await page.getByLabel("Rules (YAML)").press("Control+s");
    await page.getByText(/Routing rules saved as version \d+/).first().waitFor();
    await page.getByText(/^version \d+ live$/).waitFor();
    expect(await page.getByText("nothing was saved").count()).toBe(0);
    await page.getByRole("button", { name: /^View version \d+$/ }).first().waitFor();
    expect(await routingYaml()).toBe(VALID);
  });

  it("dry-runs a request and shows the target it would get", async () => {
    const { page } = s;
    const panel = page.locator("section.panel", { has: page.getByRole("heading", { name: "Dry run" }) });
    await panel.getByLabel("Model asked for").fill("gpt-4o");
    await panel.getByLabel("Metadata").fill("task: lead-reply");
    await panel.getByRole("button", { name: "Run dry run" }).click();
    const result = panel.locator(".dry-run-result");
    await result.waitFor();
    expect(await result.locator(".dry-run-target").textContent()).toBe("openai/gpt-4o-mini");
    const text = (await result.textContent()) ?? "";
    expect(text).toContain("rule e2e-mini");
    expect(text).toContain("anthropic/claude-3-5-haiku-latest");
    await s.screenshot("gateway-routing");
  });

  it("restores an earlier version from the history", async () => {
    const { page } = s;
    // A second version, so the first can be restored.
    await page.getByLabel("Rules (YAML)").fill(VALID.replace("e2e-mini", "e2e-second"));
    await page.getByRole("button", { name: "Save rules" }).click();
    await until(routingYaml).toContain("e2e-second");

    const versions = page.getByRole("button", { name: /^View version \d+$/ });
    await until(() => versions.count()).toBeGreaterThanOrEqual(2);
    await versions.nth(1).click();
    const dialog = page.getByRole("dialog", { name: /^Version \d+$/ });
    expect(await dialog.locator("pre").textContent()).toContain("e2e-mini");
    await dialog.getByRole("button", { name: "Restore this version" }).click();
    await dialog.waitFor({ state: "hidden" });
    await until(routingYaml).toBe(VALID);
    await until(() => page.getByLabel("Rules (YAML)").inputValue()).toBe(VALID);
  });
});

describe("providers", () => {
  it("shows provider health refreshed on its own, and adds an alias", async () => {
    const { page } = s;
    await openFromSidebar(page, "Providers");
    const health = page.getByRole("table", { name: "Provider health" });
    await health.getByRole("row", { name: /openai\/gpt-4o-mini/ }).first().getByText("closed").waitFor();
    await page.getByText(/^Updated /).waitFor();
    // Polled: further reads happen without any click.
    for (let i = 0; i < 2; i++) await page.waitForResponse((r) => r.url().includes("/api/v1/gateway/health") && r.status() === 200, { timeout: 45_000 });

    await page.getByRole("button", { name: "Add alias" }).click();
    const dialog = page.getByRole("dialog", { name: "Add an alias" });
    await dialog.getByLabel("Alias").fill("e2e-writer");
    await dialog.getByLabel("Target model").fill("openai/gpt-4o-mini");
    await dialog.getByLabel("Target model").press("Enter");
    await dialog.waitFor({ state: "hidden" });
    await page.getByRole("table", { name: "Model aliases" }).getByRole("row", { name: /e2e-writer/ }).waitFor();
    await page.getByRole("table", { name: "Prices in effect" }).waitFor();
    await page.getByLabel("Find a model").fill("gpt-4o-mini");
    await page.getByRole("table", { name: "Prices in effect" }).getByRole("row", { name: /openai\/gpt-4o-mini/ }).waitFor();
    await s.screenshot("gateway-providers");
    takeRefusals([]);
    expect(s.problems).toEqual([]);
  }, 150_000);
});

describe("at tablet width", () => {
  it("shows usage and recent calls without console errors", async () => {
    const tablet = await openBrowser({ width: 820, height: 1180 });
    try {
      await signIn(tablet.page);
      await tablet.page.getByRole("button", { name: "Menu" }).click();
      await openFromSidebar(tablet.page, "Usage & cost");
      await tablet.page.getByRole("meter", { name: BUDGET }).waitFor();
      await tablet.page.getByRole("heading", { name: "Over time" }).waitFor();
      await tablet.screenshot("usage-tablet");
      await tablet.page.getByRole("button", { name: "Menu" }).click();
      await openFromSidebar(tablet.page, "Routing rules");
      await tablet.page.getByText(/^version \d+ live$/).waitFor();
      await tablet.screenshot("gateway-routing-tablet");
      expect(tablet.problems).toEqual([]);
    } finally {
      await tablet.close();
    }
  });
});
