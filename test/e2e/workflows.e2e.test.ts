/**
 * The workflows area in a real browser against `npm start`'s stack: the speed-to-lead graph,
 * a posted ADF lead's run followed live to completion, an approval decided with an edit,
 * the lead in the leads list marked contacted, a definition written with a mistake and
 * fixed, a template installed, and the run page at tablet width.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, openFromSidebar, type Session, signIn } from "./browser";
import { watchRefusals } from "./refusals";
import { apiData, postSampleLead } from "./stack-api";

const SPEED_TO_LEAD_STEPS = ["lead", "parse_adf", "from_adf", "from_event", "signals", "sentiment", "intent", "score", "draft", "quality", "follow_up"];

function startReview(input: { reviewId: string; rating: number; author: string; text: string }): Promise<{ id: string }> {
  return apiData<{ id: string }>("POST", "/workflows/review-response/runs", { input: { platform: "google", ...input } });
}

/** A mark on the window that only a full page load would wipe. */
const markWindow = (page: Page) => page.evaluate(() => Object.assign(globalThis, { e2eNoReload: true }));
const windowMarked = (page: Page) => page.evaluate(() => (globalThis as { e2eNoReload?: boolean }).e2eNoReload === true);

describe("workflows dashboard", () => {
  let s: Session;
  let takeRefusals: ReturnType<typeof watchRefusals>;
  beforeAll(async () => {
    s = await openBrowser();
    takeRefusals = watchRefusals(s);
    await signIn(s.page);
  });
  afterAll(async () => s?.close());

  it("lists the dealership's workflows with their triggers and versions", async () => {
    const { page } = s;
    await openFromSidebar(page, "Workflows");
    const table = page.getByRole("table", { name: "Workflows" });
    await table.getByRole("link", { name: "Speed to lead" }).waitFor();
    const row = table.getByRole("row").filter({ has: page.getByRole("link", { name: "Speed to lead" }) });
    expect(await row.textContent()).toContain("event: lead.created");
    expect(await row.textContent()).toContain("v1");
    for (const name of ["Lead follow-up", "Service reminder", "Review response"]) await table.getByRole("link", { name }).waitFor();
    await page.getByText("…", { exact: true }).first().waitFor({ state: "detached" });
    await s.screenshot("workflows-list");

    // Nested branches without an else: each "otherwise" edge skips ahead to the end.
    await table.getByRole("link", { name: "Lead follow-up" }).click();
    const graph = page.getByRole("group", { name: /Steps of Lead follow-up/ });
    for (const id of ["reply", "contacted_5m", "check_5m", "escalate_1", "check_60m", "escalate_3"]) await graph.getByRole("button", { name: new RegExp(`^Step ${id},`) }).waitFor();
    expect(await graph.getByText("otherwise", { exact: true }).count()).toBe(3);
    await s.screenshot("workflows-graph-follow-up");
    await openFromSidebar(page, "Workflows");
  });

  it("draws speed to lead as a graph and follows a posted ADF lead's run to complete, live", async () => {
    const { page } = s;
    await page.getByRole("link", { name: "Speed to lead", exact: true }).click();
    const graph = page.getByRole("group", { name: /Steps of Speed to lead/ });
    await graph.waitFor();
    for (const id of SPEED_TO_LEAD_STEPS) await graph.getByRole("button", { name: new RegExp(`^Step ${id},`) }).waitFor();
    expect(await graph.getByRole("button").count()).toBe(SPEED_TO_LEAD_STEPS.length);
    // Branch and parallel edges are labelled.
    for (const label of ["input.adf is set", "else", "sentiment", "intent"]) expect(await graph.getByText(label, { exact: true }).count()).toBeGreaterThan(0);

    await graph.getByRole("button", { name: /^Step draft,/ }).click();
    await page.getByText("gpt-4o-mini").first().waitFor();
    await page.getByText("No runs yet").waitFor();
    await s.screenshot("workflows-graph");

    await markWindow(page);
    const posted = await postSampleLead();
    expect(posted.httpStatus).toBeLessThan(300);

    // The new run shows up in the runs list by itself; open it from there.
    const runLink = page.getByRole("table", { name: "Runs of Speed to lead" }).getByRole("link", { name: /^Run run_/ }).first();
    await runLink.waitFor({ timeout: 30_000 });
    await runLink.click();
    const status = page.getByRole("status", { name: "Run status" });
    await status.waitFor();
    const firstSeen = (await status.textContent()) ?? "";
    await status.getByText("complete", { exact: true }).waitFor({ timeout: 60_000 });
    expect(await windowMarked(page)).toBe(true);
    const done = await apiData<{ createdAt: number; finishedAt: number }>("GET", `/runs/${new URL(page.url()).pathname.split("/").pop()}`);
    console.info(`speed-to-lead run: ${done.finishedAt - done.createdAt} ms from creation to complete; status when the page opened: ${firstSeen}`);

    const progress = page.getByRole("group", { name: /Steps of run run_/ });
    for (const id of ["parse_adf", "draft", "quality", "follow_up"]) await progress.getByRole("button", { name: new RegExp(`^Step ${id}, .* succeeded$`) }).waitFor();
    await progress.getByRole("button", { name: /^Step from_event, .* not reached$/ }).waitFor();
    // The draft's AI output is one click away.
    await progress.getByRole("button", { name: /^Step draft,/ }).click();
    const draft = page.locator("#step-draft");
    await draft.getByText("Output", { exact: true }).waitFor();
    expect(await draft.getByText('"text"').count()).toBeGreaterThan(0);
    await s.screenshot("workflows-run");
  });

  it("shows approvals as they are requested; approves one with an edit and rejects one while watching its run", async () => {
    const { page } = s;
    await openFromSidebar(page, "Approvals");
    await page.getByText("Nothing is waiting for approval").waitFor();
    await markWindow(page);

    const approved = await startReview({ reviewId: "rev-e2e-1", rating: 2, author: "Pat Quinn", text: "Waited two hours for an oil change and nobody told me why. The coffee was good though." });
    // It appears without a reload, as the run reaches its approval step.
    await page.getByRole("heading", { name: "Reply to Pat Quinn's 2-star review" }).waitFor({ timeout: 30_000 });
    const response = page.getByLabel("Response", { exact: true });
    expect((await response.inputValue()).length).toBeGreaterThan(0);
    await s.screenshot("workflows-approvals");

    const edited = "Pat, thank you for telling us. Two hours without an update is not the visit we want for you; our service manager will call you today. - Demo Motors";
    await response.fill(edited);
    await page.getByRole("button", { name: "Approve", exact: true }).click();
    await page.getByText("Approved with your edits").waitFor();
    await page.getByText("Nothing is waiting for approval").waitFor();

    // The second one is decided on its run's page, and the run finishes in front of us.
    await startReview({ reviewId: "rev-e2e-2", rating: 1, author: "Sam Ortiz", text: "They charged me for a part they never replaced." });
    await page.getByRole("heading", { name: "Reply to Sam Ortiz's 1-star review" }).waitFor({ timeout: 30_000 });
    await page.getByRole("link", { name: "Open run" }).click();
    const status = page.getByRole("status", { name: "Run status" });
    await status.getByText("waiting", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Reject…" }).click();
    const dialog = page.getByRole("dialog", { name: "Reject this proposal?" });
    await dialog.getByRole("button", { name: "Reject", exact: true }).click();
    await dialog.getByText("Say why, so the team knows what to change.").waitFor();
    await dialog.getByLabel("Reason").fill("We are calling Sam directly about the refund first.");
    await dialog.getByRole("button", { name: "Reject", exact: true }).click();
    await page.getByText("Rejected", { exact: true }).waitFor();
    await status.getByText("complete", { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole("group", { name: /Steps of run/ }).getByRole("button", { name: /^Step publish, .* not reached$/ }).waitFor();
    expect(await windowMarked(page)).toBe(true);

    // The approved run published the approver's words.
    await openFromSidebar(page, "Workflows");
    await page.getByRole("link", { name: "Review response", exact: true }).click();
    await page.getByRole("link", { name: new RegExp(`^Run ${approved.id},`) }).click();
    await status.getByText("complete", { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole("group", { name: /Steps of run/ }).getByRole("button", { name: /^Step publish, .* succeeded$/ }).waitFor();
    expect(await page.getByText(edited, { exact: false }).count()).toBeGreaterThan(0);
  });

  it("lists the posted lead, opens it with its runs and ADF, and marks it contacted", async () => {
    const { page } = s;
    await openFromSidebar(page, "Leads");
    const table = page.getByRole("table", { name: "Leads" });
    const row = table.getByRole("row").filter({ hasText: "Dana Reyes" });
    await row.waitFor();
    expect(await row.textContent()).toContain("2024 Toyota RAV4");
    expect(await row.textContent()).toContain("AutoTrader");
    await row.getByRole("link", { name: "Dana Reyes" }).click();

    const detail = page.locator(".wf-lead-detail");
    await detail.getByText("dana.reyes@example.com").waitFor();
    await detail.getByRole("table", { name: "Runs of this lead" }).getByRole("cell", { name: "Speed to lead" }).first().waitFor();
    await s.screenshot("workflows-leads");
    await detail.getByText("ADF as received").click();
    await detail.getByText('<id sequence="1" source="AutoTrader">AT-2024-0517-88412</id>', { exact: false }).waitFor();

    await detail.getByRole("button", { name: "Mark contacted" }).click();
    const dialog = page.getByRole("dialog", { name: /Mark Dana Reyes as contacted/ });
    await dialog.getByLabel("How you reached them").selectOption("phone");
    await dialog.getByLabel("Note (optional)").fill("Booked a test drive for Saturday 10:00.");
    await dialog.getByRole("button", { name: "Mark contacted" }).click();
    await page.getByText("Dana Reyes marked as contacted").waitFor();
    await row.getByText("contacted", { exact: true }).waitFor();
    await detail.getByText(/Contacted after .* by phone/).waitFor();
  });

  it("points at the line and step of a mistake in a new definition, then saves it once fixed", async () => {
    const { page } = s;
    await openFromSidebar(page, "Workflows");
    await page.getByRole("button", { name: "New workflow" }).click();
    const source = page.getByLabel("Definition");
    const starter = await source.inputValue();
    await source.fill(starter.replace("type: sentiment", "type: sentimant"));
    await page.getByRole("button", { name: "Validate" }).click();
    const problems = page.locator(".wf-problems");
    await problems.waitFor();
    takeRefusals([{ status: 400, path: "/api/v1/workflows/validate" }]);
    expect(await problems.textContent()).toMatch(/Line \d+/);
    expect(await problems.textContent()).toContain("sentiment");
    await s.screenshot("workflows-editor");

    await source.fill(starter);
    await page.getByLabel("Key", { exact: true }).fill("review-sentiment-alert");
    await page.getByLabel("Key", { exact: true }).press("Enter");
    await page.getByText("Workflow Review sentiment alert created").waitFor();
    await page.getByRole("group", { name: /Steps of Review sentiment alert/ }).getByRole("button", { name: /^Step summary,/ }).waitFor();

    // The same key again is refused at the key field.
    await openFromSidebar(page, "Workflows");
    await page.getByRole("button", { name: "New workflow" }).click();
    await page.getByLabel("Key", { exact: true }).fill("review-sentiment-alert");
    await page.getByRole("button", { name: "Create workflow" }).click();
    await page.getByText("A workflow with the key 'review-sentiment-alert' already exists").waitFor();
    takeRefusals([{ status: 409, path: "/api/v1/workflows" }]);
    await page.getByRole("button", { name: "Cancel" }).click();
  });

  it("installs a template as a second workflow", async () => {
    const { page } = s;
    await page.getByRole("button", { name: "Install template" }).click();
    const dialog = page.getByRole("dialog", { name: "Install a template" });
    await dialog.getByLabel("Template").selectOption("review-response");
    expect(await dialog.getByLabel("Key of the new workflow").inputValue()).toBe("review-response-2");
    await dialog.getByRole("button", { name: "Install" }).click();
    await page.getByText("Installed Review response as review-response-2").waitFor();
    await page.getByRole("group", { name: /Steps of Review response/ }).getByRole("button", { name: /^Step approve,/ }).waitFor();
  });

  it("starts a run with input from the workflow page, then pauses, resumes and cancels it", async () => {
    const { page } = s;
    await openFromSidebar(page, "Workflows");
    await page.getByRole("link", { name: "Service reminder", exact: true }).click();
    await page.getByRole("button", { name: "Start run" }).click();
    const dialog = page.getByRole("dialog", { name: "Start a run of Service reminder" });
    const input = dialog.getByLabel("Input (JSON)");
    expect(JSON.parse(await input.inputValue())).toHaveProperty("lastServiceMileage");
    await input.fill("{ not json");
    await dialog.getByRole("button", { name: "Start run" }).click();
    await dialog.getByText(/^Not valid JSON/).waitFor();
    await input.fill(JSON.stringify({ customer: { name: "Lee Park", email: "lee.park@example.com" }, vehicle: { vin: "1HGCV1F34LA000001", year: 2020, make: "Honda", model: "Accord" } }));
    await dialog.getByRole("button", { name: "Start run" }).click();
    await dialog.getByText(/does not fit workflow 'service-reminder'/).waitFor();
    takeRefusals([{ status: 400, path: `/api/v1/workflows/${new URL(page.url()).pathname.split("/").pop()}/runs` }]);
    await input.fill(JSON.stringify({ customer: { name: "Lee Park", email: "lee.park@example.com" }, vehicle: { vin: "1HGCV1F34LA000001", year: 2020, make: "Honda", model: "Accord" }, lastServiceAt: new Date().toISOString().slice(0, 10), lastServiceMileage: 30000 }));
    await input.press("Tab");
    await dialog.getByRole("button", { name: "Start run" }).click();

    // It sleeps until the service is due: waiting, then paused, resumed, and cancelled.
    const status = page.getByRole("status", { name: "Run status" });
    await status.getByText("waiting", { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Pause" }).click();
    await page.getByText("Run paused").waitFor();
    await status.getByText("paused", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Resume" }).click();
    await page.getByText("Run resumed").waitFor();
    // Resumed: running again, its step still asleep until the service is due.
    await status.getByText(/^(running|waiting)$/).waitFor();
    await page.getByRole("group", { name: /Steps of run/ }).getByRole("button", { name: /^Step wait_until_due, sleep · waiting$/ }).waitFor();
    await page.getByRole("button", { name: "Cancel run" }).click();
    const confirm = page.getByRole("dialog", { name: "Cancel this run?" });
    await confirm.getByRole("button", { name: "Cancel run" }).click();
    await page.getByText("Run cancelled").waitFor();
    await status.getByText("terminated", { exact: true }).waitFor();
    expect(await page.getByRole("button", { name: /^(Cancel run|Pause|Resume)$/ }).count()).toBe(0);
  });

  it("disables and re-enables a workflow, and reruns its failed runs in bulk", async () => {
    const { page } = s;
    await page.getByRole("link", { name: "Service reminder" }).first().click();
    await page.getByRole("button", { name: "Disable" }).click();
    await page.getByRole("dialog", { name: "Disable Service reminder?" }).getByRole("button", { name: "Disable" }).click();
    await page.getByText("Service reminder disabled").waitFor();
    expect(await page.getByRole("button", { name: "Start run" }).isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Enable" }).click();
    await page.getByText("Service reminder enabled").waitFor();
    expect(await page.getByRole("button", { name: "Start run" }).isDisabled()).toBe(false);

    await page.getByRole("button", { name: "Rerun failed…" }).click();
    const dialog = page.getByRole("dialog", { name: "Rerun failed runs" });
    await dialog.getByLabel("Runs started in").selectOption({ label: "Last 7 days" });
    await dialog.getByRole("button", { name: "Rerun failed runs" }).click();
    await page.getByText("No failed runs in that window").waitFor();
    takeRefusals([]);
    expect(s.problems).toEqual([]);
  });
});

describe("workflows dashboard on a tablet", () => {
  let t: Session;
  beforeAll(async () => {
    t = await openBrowser({ width: 820, height: 1180 });
    await signIn(t.page);
  });
  afterAll(async () => t?.close());

  it("opens a run through the menu drawer", async () => {
    const { page } = t;
    await page.getByRole("button", { name: "Menu" }).click();
    await openFromSidebar(page, "Workflows");
    await page.getByRole("link", { name: "Speed to lead", exact: true }).click();
    await page.getByRole("link", { name: /^Run run_/ }).first().click();
    await page.getByRole("status", { name: "Run status" }).getByText("complete", { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole("group", { name: /Steps of run/ }).waitFor();
    await t.screenshot("workflows-run-tablet");
    expect(t.problems).toEqual([]);
  });
});
