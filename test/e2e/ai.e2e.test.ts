/**
 * The AI pages in a real browser against `npm start`'s stack: a model created by hand, a
 * version registered into it promoted and evaluated; a dataset uploaded with its progress
 * bar and a training job on the simulated GPU provider whose status moves on screen without
 * a reload until its version is registered; a knowledge base with an uploaded Markdown document, searched; an assistant that
 * cites it, answering in the streamed "try it" chat; a widget whose live preview answers.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { openBrowser, openFromSidebar, type Session, signIn, stack } from "./browser";
import { watchRefusals } from "./refusals";
import { apiData } from "./stack-api";

const MODEL_KEY = "lead-reply-e2e";
const KB_NAME = "Service FAQ";
const ASSISTANT_NAME = "Sales desk e2e";

const JSONL = [
  { messages: [{ role: "user", content: "Is the 2022 Civic still available?" }, { role: "assistant", content: "Yes, it is. Want to book a test drive?" }] },
  { messages: [{ role: "user", content: "Can I get an oil change on Saturday?" }, { role: "assistant", content: "Yes, the service department is open Saturday 8 to 2." }] },
  { messages: [{ role: "user", content: "What is my trade-in worth?" }, { role: "assistant", content: "Send us the VIN and mileage and we will quote you today." }] },
]
  .map((x) => JSON.stringify(x))
  .join("\n");

const FAQ = `# Demo Motors service FAQ

## Service hours

The service department is open Monday to Friday 7:00 to 19:00 and Saturday 8:00 to 14:00.
It is closed on Sunday.

## Loaner cars

Loaner cars are free for repairs that take longer than one day. Book one with your service advisor.
`;

let s: Session;
let takeRefusals: ReturnType<typeof watchRefusals>;

/** Moves a job on the simulated GPU provider (its control API), which then calls the Worker back. */
async function advanceGpuJob(providerJobId: string, body: { steps?: number; to?: string }): Promise<void> {
  const res = await fetch(`${stack().simUrl}/gpu/_control/jobs/${providerJobId}/advance`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`advance: ${res.status} ${await res.text()}`);
}

/** Marks the document; the mark survives only if the page never reloads. */
async function markDocument(page: Page): Promise<void> {
  await page.evaluate('document.documentElement.setAttribute("data-e2e-mark", "1")');
}
async function stillMarked(page: Page): Promise<boolean> {
  return (await page.evaluate('document.documentElement.getAttribute("data-e2e-mark")')) === "1";
}

beforeAll(async () => {
  s = await openBrowser();
  // The widget draws inside a closed shadow root, which no test tool can look into; opening
  // it changes nothing a visitor sees and lets the test use the chat by its roles.
  await s.context.addInitScript(`{
    const attach = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (init) { return attach.call(this, { ...init, mode: "open" }); };
  }`);
  takeRefusals = watchRefusals(s);
  await signIn(s.page);
});
afterAll(async () => s?.close());
beforeEach(({ task, onTestFailed }) => {
  // What the page looked like when a step failed, for whoever reads the failure.
  onTestFailed(async () => {
    await s.screenshot(`ai-failed-${task.name.slice(0, 40).replace(/\W+/g, "-")}`).catch(() => undefined);
    await s.page.keyboard.press("Escape").catch(() => undefined);
  });
});

describe("models and training", () => {
  it("creates a model, refusing an empty base model next to the field", async () => {
    const { page } = s;
    await openFromSidebar(page, "Models");
    await page.getByText("No models yet").waitFor();

    await page.getByRole("button", { name: "New model" }).click();
    const dialog = page.getByRole("dialog", { name: "New model" });
    await dialog.getByLabel("Key").fill(MODEL_KEY);
    await dialog.getByRole("button", { name: "Create model" }).click();
    const baseModel = dialog.getByLabel("Base model");
    await expect.poll(() => baseModel.getAttribute("aria-invalid")).toBe("true");
    takeRefusals([{ status: 400, path: "/api/v1/models" }]);

    await baseModel.fill("llama-3.1-8b-instruct");
    await baseModel.press("Enter");
    await dialog.waitFor({ state: "hidden" });
    await page.getByRole("link", { name: MODEL_KEY }).waitFor();
    await page.getByText(`ft:${MODEL_KEY}`).waitFor();
  });

  it("shows the version's lineage, promotes it to champion and runs an eval", async () => {
    const { page } = s;
    await openFromSidebar(page, "Models");
    await page.getByRole("link", { name: MODEL_KEY }).click();
    await page.getByRole("heading", { level: 1, name: MODEL_KEY }).waitFor();
    await page.getByText("No versions yet").waitFor();

    // A version trained elsewhere, registered through the API as a partner would; the sim serves it.
    const { data: models } = await apiData<{ data: { id: string; key: string }[] }>("GET", "/models");
    const model = models.find((m) => m.key === MODEL_KEY);
    await apiData("POST", `/models/${model?.id}/versions`, {
      provider: "together",
      providerJobId: "ft-e2e-1",
      hyperparameters: { epochs: 2, batchSize: 8 },
      metrics: { trainLoss: 0.41 },
      servingEndpoint: { baseUrl: `${stack().simUrl}/openai/v1`, model: "gpt-4o-mini", apiKey: "sk-sim-openai" },
    });
    await page.reload();
    const versions = page.getByRole("table", { name: "Versions" });
    await versions.getByText("ft-e2e-1").waitFor();
    await versions.getByText("epochs 2 · batchSize 8").waitFor();
    await versions.getByText("trainLoss 0.41").waitFor();

    await page.getByRole("button", { name: "Promote v1" }).click();
    const promote = page.getByRole("dialog", { name: `Promote ft:${MODEL_KEY}@v1` });
    await promote.getByRole("button", { name: "Promote to champion" }).click();
    await promote.waitFor({ state: "hidden" });
    await versions.getByText("champion", { exact: true }).waitFor();
    await page.getByRole("table", { name: "Alias history" }).getByText("promote").waitFor();

    await page.getByRole("button", { name: "Run eval" }).click();
    const evalDialog = page.getByRole("dialog", { name: "Run an eval" });
    await evalDialog.getByLabel("Eval set (JSON)").fill("[not json");
    await evalDialog.getByRole("button", { name: "Run eval" }).click();
    await evalDialog.getByText(/Not valid JSON/).waitFor();
    await evalDialog.getByRole("button", { name: "Use the example set" }).click();
    await evalDialog.getByRole("button", { name: "Run eval" }).click();
    await evalDialog.waitFor({ state: "hidden", timeout: 30_000 });
    await page.getByText(/mean score · 2 examples/).first().waitFor();
    await s.screenshot("models-detail");
  });

  it("uploads a dataset with progress, starts a job and follows it live to registered", async () => {
    const { page } = s;
    await openFromSidebar(page, "Training jobs");
    await page.getByText("Live", { exact: true }).waitFor();

    // A broken file is refused with the lines that are wrong.
    await page.getByLabel("JSONL file").setInputFiles({ name: "broken.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(`${JSONL.split("\n")[0]}\nnot json\n`) });
    await page.getByRole("button", { name: "Upload dataset" }).click();
    await page.getByRole("list", { name: "Lines with problems" }).getByText(/Line 2/).waitFor();
    takeRefusals([{ status: 400, path: "/api/v1/datasets" }]);

    await page.getByLabel("JSONL file").setInputFiles({ name: "lead-replies.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(JSONL) });
    await page.getByRole("button", { name: "Upload dataset" }).click();
    const bar = page.getByRole("progressbar", { name: "Dataset upload" });
    await expect.poll(() => bar.getAttribute("aria-valuenow")).toBe("100");
    await page.getByRole("table", { name: "Datasets" }).getByText("lead-replies", { exact: true }).waitFor();

    await page.getByRole("button", { name: "New training job" }).click();
    const dialog = page.getByRole("dialog", { name: "New training job" });
    await dialog.getByLabel("Epochs").fill("2");
    await dialog.getByLabel("Register into model").fill(MODEL_KEY);
    await dialog.getByRole("button", { name: "Start training" }).click();
    await dialog.waitFor({ state: "hidden" });

    const { data } = await apiData<{ data: { id: string; providerJobId: string | null; status: string }[] }>("GET", "/training-jobs");
    const job = data[0];
    expect(job?.status).toBe("queued");
    expect(job?.providerJobId).toBeTruthy();
    const row = page.getByRole("row").filter({ hasText: job?.id ?? "" });
    await row.getByText("queued").waitFor();

    await markDocument(page);
    await advanceGpuJob(job?.providerJobId ?? "", { steps: 2 });
    await row.getByText("running").waitFor();
    await expect.poll(() => row.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("50");
    await s.screenshot("models-training");

    await advanceGpuJob(job?.providerJobId ?? "", { to: "succeeded" });
    await row.getByText("registered").waitFor({ timeout: 30_000 });
    // The job's version follows the one registered by hand.
    await row.getByRole("link", { name: `${MODEL_KEY} v2` }).waitFor();
    expect(await stillMarked(page)).toBe(true);

    // A second job, cancelled after a confirmation.
    await page.getByRole("button", { name: "New training job" }).click();
    await dialog.getByLabel("Register into model").fill(MODEL_KEY);
    await dialog.getByRole("button", { name: "Start training" }).click();
    await dialog.waitFor({ state: "hidden" });
    const second = (await apiData<{ data: { id: string }[] }>("GET", "/training-jobs")).data[0]?.id ?? "";
    await page.getByRole("button", { name: `Cancel job ${second}` }).click();
    const confirm = page.getByRole("dialog", { name: "Cancel this training job?" });
    await confirm.getByRole("button", { name: "Cancel job" }).click();
    await confirm.waitFor({ state: "hidden" });
    await page.getByRole("row").filter({ hasText: second }).getByText("cancelled", { exact: true }).waitFor();

    await page.setViewportSize({ width: 820, height: 1180 });
    // At tablet width the navigation slides away into a drawer; shoot once it has gone.
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect.poll(async () => {
      const box = await nav.boundingBox();
      return box ? box.x + box.width : 0;
    }).toBeLessThanOrEqual(0);
    await s.screenshot("models-training-tablet");
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  it("makes the trained version the challenger with a canary share, shown in the registry", async () => {
    const { page } = s;
    await openFromSidebar(page, "Models");
    await page.getByRole("link", { name: MODEL_KEY }).click();
    await page.getByRole("heading", { level: 1, name: MODEL_KEY }).waitFor();
    await page.getByRole("button", { name: "Promote v2" }).click();
    const promote = page.getByRole("dialog", { name: `Promote ft:${MODEL_KEY}@v2` });
    await promote.getByLabel("Alias").selectOption("challenger");
    await promote.getByRole("button", { name: "Promote to challenger" }).click();
    await promote.waitFor({ state: "hidden" });

    await page.getByLabel(/^Canary share/).fill("25");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("canary 25 %", { exact: true }).waitFor();

    await openFromSidebar(page, "Models");
    const row = page.getByRole("row").filter({ hasText: MODEL_KEY });
    await row.getByText("v1", { exact: true }).waitFor();
    await row.getByText("v2", { exact: true }).waitFor();
    await row.getByText("canary 25 %").waitFor();
    await s.screenshot("models-list");
  });
});

describe("knowledge, assistants and the widget", () => {
  it("creates a knowledge base, uploads a Markdown file with progress and finds it by search", async () => {
    const { page } = s;
    await openFromSidebar(page, "Knowledge bases");
    await page.getByRole("button", { name: "New knowledge base" }).click();
    const dialog = page.getByRole("dialog", { name: "New knowledge base" });
    await dialog.getByLabel("Name", { exact: true }).fill(KB_NAME);
    await dialog.getByLabel("Name", { exact: true }).press("Enter");
    await dialog.waitFor({ state: "hidden" });
    await page.getByRole("heading", { name: `Documents in ${KB_NAME}` }).waitFor();

    await page.getByLabel("File", { exact: true }).setInputFiles({ name: "service-faq.md", mimeType: "text/markdown", buffer: Buffer.from(FAQ) });
    await page.getByRole("button", { name: "Upload document" }).click();
    const bar = page.getByRole("progressbar", { name: "Document upload" });
    await expect.poll(() => bar.getAttribute("aria-valuenow")).toBe("100");
    await expect.poll(() => bar.getAttribute("aria-valuetext"), { timeout: 20_000 }).toMatch(/ready, \d+ chunks/);
    const doc = page.getByRole("table", { name: "Documents" }).getByRole("row").filter({ hasText: "service-faq.md" });
    await doc.getByText("ready").waitFor();

    const search = page.getByRole("search", { name: "Search this knowledge base" });
    await search.getByLabel("Search", { exact: true }).fill("When is the service department open on Saturday?");
    await search.getByLabel("Search", { exact: true }).press("Enter");
    const hits = page.getByRole("list", { name: "Search results" });
    await hits.getByText("service-faq.md").first().waitFor();
    await hits.getByText(/Saturday 8:00 to 14:00/).first().waitFor();
    await hits.getByText(/score \d/).first().waitFor();

    // A second document, deleted after a confirmation.
    await page.getByLabel("File", { exact: true }).setInputFiles({ name: "old-prices.csv", mimeType: "text/csv", buffer: Buffer.from("model,price\nCivic,24000\nAccord,29000\n") });
    await page.getByRole("button", { name: "Upload document" }).click();
    const old = page.getByRole("table", { name: "Documents" }).getByRole("row").filter({ hasText: "old-prices.csv" });
    await old.getByText("ready").waitFor();
    await old.getByText("CSV", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Delete old-prices.csv" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete this document?" });
    await confirm.getByRole("button", { name: "Delete document" }).click();
    await confirm.waitFor({ state: "hidden" });
    await old.waitFor({ state: "detached" });
    await s.screenshot("assistants-knowledge");
  });

  it("creates an assistant on that knowledge base and streams a reply in the try-it chat", async () => {
    const { page } = s;
    await openFromSidebar(page, "Assistants");
    await page.getByRole("button", { name: "New assistant" }).click();
    const dialog = page.getByRole("dialog", { name: "New assistant" });
    await dialog.getByLabel("Name", { exact: true }).fill(ASSISTANT_NAME);
    await dialog.getByLabel("Instructions").fill("You answer for Demo Motors. Be brief.");
    await dialog.getByLabel(KB_NAME).check();
    await dialog.getByRole("button", { name: "Create assistant" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByRole("link", { name: ASSISTANT_NAME }).waitFor();
    await s.screenshot("assistants-list");

    await page.getByRole("link", { name: ASSISTANT_NAME }).click();
    await page.getByRole("heading", { level: 1, name: ASSISTANT_NAME }).waitFor();
    await page.getByRole("list", { name: "Pipeline, in order" }).getByText("Retrieval").waitFor();

    await markDocument(page);
    const message = page.getByLabel("Message");
    await message.fill("When is the service department open on Saturday?");
    await message.press("Enter");
    const reply = page.getByRole("log", { name: "Conversation" }).getByRole("article", { name: "Assistant message" }).last();
    await expect.poll(async () => (await reply.innerText()).length, { timeout: 20_000 }).toBeGreaterThan(20);
    await reply.getByLabel("Signals").getByText(/intent:/).waitFor({ timeout: 20_000 });
    await reply.getByRole("list", { name: "Sources" }).getByText("service-faq.md").first().waitFor();
    expect(await stillMarked(page)).toBe(true);

    // The turn is stored as a thread, readable with its citations and signals.
    const thread = page.getByLabel(/^Thread thr_/);
    await thread.getByRole("article", { name: "Assistant message" }).getByText(/lead score:/).waitFor();
    await s.screenshot("assistants-detail");

    // Editing: a lower lead threshold and one step fewer in the pipeline.
    await page.getByRole("button", { name: "Edit", exact: true }).click();
    const edit = page.getByRole("dialog", { name: `Edit ${ASSISTANT_NAME}` });
    await edit.getByLabel("Lead threshold").fill("60");
    await edit.getByRole("button", { name: "Remove Quality score" }).click();
    await edit.getByRole("button", { name: "Save changes" }).click();
    await edit.waitFor({ state: "hidden" });
    await page.getByText("lead score ≥ 60").waitFor();
    const pipeline = page.getByRole("list", { name: "Pipeline, in order" });
    await expect.poll(() => pipeline.getByRole("listitem").count()).toBe(8);
  });

  it("creates a widget, shows its snippet, and its live preview answers", async () => {
    const { page } = s;
    await openFromSidebar(page, "Chat widget");
    await page.getByRole("button", { name: "New widget" }).click();
    const dialog = page.getByRole("dialog", { name: "New widget" });
    await dialog.getByLabel("Assistant").selectOption({ label: ASSISTANT_NAME });

    // An origin with a path is refused next to the field.
    await dialog.getByLabel("Allowed websites").fill("https://www.demo-motors.example/contact");
    await dialog.getByRole("button", { name: "Create widget" }).click();
    await expect.poll(() => dialog.getByLabel("Allowed websites").getAttribute("aria-invalid")).toBe("true");
    takeRefusals([{ status: 400, path: "/api/v1/widgets" }]);
    await dialog.getByLabel("Allowed websites").fill("https://www.demo-motors.example");
    await dialog.getByLabel("Title", { exact: true }).fill("Ask Demo Motors");
    await dialog.getByRole("button", { name: "Create widget" }).click();
    await dialog.waitFor({ state: "hidden" });

    await page.getByText(/<script src="http[^"]+\/widget\/v1\.js" data-widget="wgt_/).waitFor();
    const frame = page.getByTitle("Live preview of Ask Demo Motors");
    await frame.scrollIntoViewIfNeeded();
    const preview = frame.contentFrame();
    await preview.getByRole("button", { name: "Open chat: Ask Demo Motors" }).click();
    await preview.getByRole("textbox", { name: "Your message" }).fill("Are loaner cars free?");
    await preview.getByRole("textbox", { name: "Your message" }).press("Enter");
    const log = preview.getByRole("log");
    await log.getByText("Are loaner cars free?").waitFor();
    await expect.poll(async () => (await log.innerText()).includes("Sources:"), { timeout: 20_000 }).toBe(true);
    await s.screenshot("assistants-widget");
    takeRefusals([]);
    expect(s.problems).toEqual([]);
  });
});
