/**
 * The webhooks page in a real browser against `npm start`'s stack and the simulator's partner
 * receiver (which verifies signatures): an endpoint added (its secret shown once), a test event
 * delivered and seen in the message log with its attempts, resent with the same webhook-id, a
 * failing delivery retried, the secret rotated, the endpoint disabled, enabled and recovered,
 * then deleted.
 */
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, openFromSidebar, type Session, signIn, stack, sidewaysOverflow } from "./browser";
import { watchRefusals } from "./refusals";
import { apiJson } from "./stack-api";

const RECEIVER = "e2e-dms";

type Received = { webhookId: string | null; type: string | null; verified: boolean | null; answered: number | "stalled" };

let s: Session;
let endpointUrl = "";
let endpointId = "";
let takeRefusals: ReturnType<typeof watchRefusals>;

/** The simulated partner: what it received, and how it should answer. */
async function received(): Promise<Received[]> {
  const res = await fetch(`${stack().simUrl}/partner/${RECEIVER}/_received`);
  return ((await res.json()) as { data: Received[] }).data;
}
async function configureReceiver(body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${stack().simUrl}/partner/${RECEIVER}/_config`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
}

/** Polls that wait on the stack and its queues: a loaded machine can take seconds. */
const SLOW = { timeout: 30_000 };

/** Test pings the partner received (other events may reach it too). */
async function pings(): Promise<Received[]> {
  return (await received()).filter((r) => r.type === "webhook.test");
}

/** The message log's rows (the first row is the header). */
function logRows(page: Page): Locator {
  return page.getByRole("table", { name: "Messages, newest first" }).getByRole("row");
}

beforeAll(async () => {
  s = await openBrowser();
  takeRefusals = watchRefusals(s);
  await signIn(s.page);
  endpointUrl = `${stack().simUrl}/partner/${RECEIVER}`;
  await fetch(`${stack().simUrl}/partner/${RECEIVER}`, { method: "DELETE" });
});
afterAll(async () => s?.close());

describe("webhook endpoints", () => {
  it("adds an endpoint for chosen event types and shows its signing secret once", async () => {
    const { page } = s;
    await openFromSidebar(page, "Webhooks");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const dialog = page.getByRole("dialog", { name: "Add endpoint" });
    await dialog.getByLabel("Endpoint URL").fill(endpointUrl);
    await dialog.getByLabel("Description").fill("DMS lead sync");
    await dialog.getByLabel("Only the types I choose").check();
    // Nothing chosen is refused before any call.
    await dialog.getByRole("button", { name: "Add endpoint" }).click();
    await dialog.getByText("choose at least one").first().waitFor();
    await dialog.getByLabel(/^lead\.created/).check();
    await dialog.getByLabel(/^workflow\.run\.failed/).check();
    await s.screenshot("webhooks-add");
    await dialog.getByLabel("Endpoint URL").press("Enter");

    const shown = page.getByRole("dialog", { name: "Endpoint signing secret" });
    await shown.getByText("you won't see it again").waitFor();
    const secret = (await shown.locator("pre code").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    // The partner verifies signatures with it from now on (a wrong signature is answered 401).
    await configureReceiver({ secrets: [secret], mode: "ok" });
    await shown.getByRole("button", { name: "I have copied it" }).click();
    await shown.waitFor({ state: "hidden" });
    expect(await page.content()).not.toContain(secret);

    await page.getByRole("table", { name: "Webhook endpoints" }).getByText(endpointUrl).waitFor();
    endpointId = new URL(page.url()).searchParams.get("endpoint") ?? "";
    expect(endpointId).toMatch(/^\w+/);
    await page.getByText("lead.created", { exact: true }).first().waitFor();
    await page.getByText("No messages yet").waitFor();
  });

  it("sends a test event and sees it delivered in the message log, signed", async () => {
    const { page } = s;
    await page.getByRole("button", { name: "Send test event" }).click();
    const row = logRows(page).filter({ hasText: "webhook.test" });
    await row.getByText("delivered").waitFor({ timeout: 30_000 });
    await row.getByText("200", { exact: true }).waitFor();
    const got = await pings();
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ type: "webhook.test", verified: true, answered: 200 });
    await s.screenshot("webhooks");
  });

  it("opens the message with its payload and attempts, and resends it with the same webhook-id", async () => {
    const { page } = s;
    await logRows(page).filter({ hasText: "webhook.test" }).click();
    const dialog = page.getByRole("dialog", { name: "Webhook message" });
    await dialog.getByText('"type": "webhook.test"').waitFor();
    const attempts = dialog.getByRole("table", { name: "Delivery attempts" }).getByRole("row");
    await expect.poll(() => attempts.count(), SLOW).toBe(2);
    await dialog.getByRole("button", { name: "Resend" }).click();
    await expect.poll(() => attempts.count(), SLOW).toBe(3);
    await attempts.nth(2).getByText("200", { exact: true }).waitFor();
    await s.screenshot("webhooks-message");
    await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
    await dialog.waitFor({ state: "hidden" });

    const got = await pings();
    expect(got).toHaveLength(2);
    expect(got[1]?.webhookId).toBe(got[0]?.webhookId);
    expect(got[1]?.verified).toBe(true);
  });

  it("shows a failed attempt with the partner's status code, then the retry that delivered", async () => {
    const { page } = s;
    await configureReceiver({ mode: "fail", status: 503, times: 1 });
    await page.getByLabel("Test event", { exact: true }).selectOption("lead.created");
    await page.getByRole("button", { name: "Send test event" }).click();
    const row = logRows(page).filter({ hasText: "lead.created" }).first();
    await row.getByText("delivered").waitFor({ timeout: 45_000 });
    await row.click();
    const dialog = page.getByRole("dialog", { name: "Webhook message" });
    const attempts = dialog.getByRole("table", { name: "Delivery attempts" }).getByRole("row");
    await expect.poll(() => attempts.count(), SLOW).toBe(3);
    await attempts.nth(1).getByText("503", { exact: true }).waitFor();
    await attempts.nth(2).getByText("200", { exact: true }).waitFor();
    await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
  });

  it("rotates the secret (shown once) and keeps delivering, signed with both", async () => {
    const { page } = s;
    await page.getByRole("button", { name: "Rotate secret" }).click();
    const rotate = page.getByRole("dialog", { name: "Rotate signing secret?" });
    await rotate.getByRole("button", { name: "Rotate secret" }).click();
    const shown = page.getByRole("dialog", { name: "New signing secret" });
    const secret = (await shown.locator("pre code").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    await shown.getByRole("button", { name: "I have copied it" }).click();
    await page.getByText("Old secret signs until").waitFor();
    expect(await page.content()).not.toContain(secret);

    // A partner that already switched to the new secret alone verifies the next message.
    await configureReceiver({ secrets: [secret] });
    const before = (await pings()).length;
    await page.getByLabel("Test event", { exact: true }).selectOption("webhook.test");
    await page.getByRole("button", { name: "Send test event" }).click();
    await expect.poll(async () => (await pings()).length, SLOW).toBe(before + 1);
    expect((await pings()).at(-1)).toMatchObject({ verified: true, answered: 200 });
  });

  it("disables the endpoint after a confirmation, enables it again and recovers a time window", async () => {
    const { page } = s;
    await page.getByRole("button", { name: "Disable", exact: true }).click();
    const confirm = page.getByRole("dialog", { name: "Disable this endpoint?" });
    await confirm.getByRole("button", { name: "Disable" }).click();
    await confirm.waitFor({ state: "hidden" });
    await page.getByText("No events are delivered here").waitFor();
    await s.screenshot("webhooks-disabled");
    expect(await page.getByRole("button", { name: "Send test event" }).isDisabled()).toBe(true);

    await page.getByRole("status").getByRole("button", { name: "Enable" }).click();
    await expect.poll(() => page.getByText("No events are delivered here").count(), SLOW).toBe(0);

    const before = (await pings()).length;
    await page.getByRole("button", { name: "Recover messages…" }).click();
    const recover = page.getByRole("dialog", { name: "Recover messages" });
    await recover.getByLabel("Failed").uncheck();
    await recover.getByRole("button", { name: "Send them again" }).click();
    await recover.getByRole("alert").first().waitFor();
    takeRefusals([{ status: 400, path: `/api/v1/webhooks/endpoints/${endpointId}/recover` }]);
    await recover.getByLabel(/^Delivered/).check();
    await recover.getByRole("button", { name: "Send them again" }).click();
    await recover.waitFor({ state: "hidden" });
    await page.getByText(/queued again/).waitFor();
    // Every delivered message of the window goes out again, the two test pings among them.
    await expect.poll(async () => (await pings()).length, SLOW).toBe(before + 2);
  });

  it("deletes the endpoint after a confirmation", async () => {
    const { page } = s;
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    const confirm = page.getByRole("dialog", { name: "Delete this endpoint?" });
    await confirm.getByRole("button", { name: "Delete endpoint" }).click();
    await confirm.waitFor({ state: "hidden" });
    await expect.poll(() => page.getByRole("table", { name: "Webhook endpoints" }).getByText(endpointUrl).count(), SLOW).toBe(0);
  });
});

describe("at tablet width", () => {
  it("shows an endpoint and its log without the page scrolling sideways", async () => {
    const res = await apiJson<{ id: string }>("POST", "/webhooks/endpoints", { url: `${stack().simUrl}/partner/${RECEIVER}-tablet`, description: "Tablet check" });
    expect(res.status).toBe(201);
    const { id } = res.body;
    const tablet = await openBrowser({ width: 820, height: 1180 });
    try {
      await signIn(tablet.page);
      await tablet.page.goto(`/webhooks?endpoint=${id}`);
      await tablet.page.getByText("Tablet check").first().waitFor();
      await tablet.page.getByText("No messages yet").waitFor();
      expect(await sidewaysOverflow(tablet.page)).toBeLessThanOrEqual(0);
      await tablet.screenshot("webhooks-tablet");
      expect(tablet.problems).toEqual([]);
    } finally {
      await tablet.close();
    }
  });

  it("left no console errors, page errors or server errors", () => {
    takeRefusals([]);
    expect(s.problems).toEqual([]);
  });
});
