import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createWorkflow, harness, startRun, stepOf, waitForRun } from "../helpers";

describe("an ai step using a prompt template of the library", () => {
  it("renders the template with the run's variables and records template@version on the usage row", async () => {
    const h = await harness();
    await createWorkflow(h, "templated", {
      name: "Templated reply",
      steps: [
        {
          id: "draft",
          type: "ai",
          model: "gpt-4o-mini",
          template: "lead-reply",
          variables: { customer_name: "{{ input.name }}", vehicle: "2024 Toyota RAV4", dealership: "Sunrise Toyota", question: "Is it available?" },
          prompt: "Keep it under 80 words.",
        },
      ],
    });
    const run = await startRun(h, "templated", { name: "Dana Reyes" });
    const done = await waitForRun(h, run.id, ["complete", "errored"]);
    expect(done.status, JSON.stringify(done.error)).toBe("complete");
    const draft = stepOf(done, "draft");
    expect(draft.input).toMatchObject({ model: "gpt-4o-mini", prompt: "Keep it under 80 words." });
    await vi.waitFor(
      async () => {
        const row = await env.DB.prepare("select template from usage_events where request_id = ?").bind(`${run.id}:draft:0:1`).first<{ template: string | null }>();
        expect(row?.template).toMatch(/^lead-reply@/);
      },
      { timeout: 15_000, interval: 200 },
    );
  });

  it("fails the step, without retrying, when a required variable is missing", async () => {
    const h = await harness();
    await createWorkflow(h, "templated-bad", {
      name: "Templated, missing variable",
      steps: [{ id: "draft", type: "ai", model: "gpt-4o-mini", template: "lead-reply", variables: { customer_name: "Dana" }, prompt: "Go." }],
    });
    const run = await startRun(h, "templated-bad", {});
    const done = await waitForRun(h, run.id, ["complete", "errored"]);
    expect(done.status).toBe("errored");
    const draft = stepOf(done, "draft");
    expect(draft.attempts).toBe(1);
    expect(draft.error?.retryable).toBe(false);
    expect(draft.error?.message).toMatch(/vehicle|dealership/);
  });
});
