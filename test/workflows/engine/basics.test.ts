import { describe, expect, it } from "vitest";
import { createWorkflow, harness, startRun, waitForRun } from "../helpers";

describe("a workflow run through the queue", () => {
  it("runs transform, branch and parallel steps to completion with outputs wired by templates", async () => {
    const h = await harness();
    await createWorkflow(h, "basics", {
      name: "Basics",
      input: { type: "object", required: ["name"], properties: { name: { type: "string" }, n: { type: "integer" } } },
      steps: [
        { id: "greet", type: "transform", output: { text: "Hello {{ input.name }}", n: "{{ input.n }}" } },
        {
          id: "fan",
          type: "parallel",
          branches: {
            a: [{ id: "a1", type: "transform", output: "A-{{ steps.greet.text }}" }],
            b: [{ id: "b1", type: "sentiment", text: "I love this car, great service!" }],
          },
        },
        {
          id: "pick",
          type: "branch",
          cases: [{ when: { path: "steps.greet.n", op: "gt", value: 5 }, steps: [{ id: "big", type: "transform", output: "big" }] }],
          else: [{ id: "small", type: "transform", output: "small" }],
        },
      ],
      output: { greeting: "{{ steps.greet.text }}", a: "{{ steps.fan.a }}", mood: "{{ steps.b1.label }}", size: "{{ steps.pick.output }}" },
    });
    const run = await startRun(h, "basics", { name: "Dana", n: 7 });
    const done = await waitForRun(h, run.id, ["complete", "errored"]);
    expect(done.status).toBe("complete");
    expect(done.output).toEqual({ greeting: "Hello Dana", a: "A-Hello Dana", mood: "positive", size: "big" });
    expect(done.steps.map((s) => s.stepId)).not.toContain("small");
    for (const s of done.steps) expect(s.status, s.stepId).toBe("succeeded");
  });

  it("refuses input that does not fit the input schema, naming the field", async () => {
    const h = await harness();
    await createWorkflow(h, "typed", { name: "Typed", input: { type: "object", required: ["name"], properties: { name: { type: "string" } } }, steps: [{ id: "x", type: "transform", output: 1 }] });
    const { call, expectError } = await import("../../api/helpers");
    const msg = expectError(await call("POST", "/workflows/typed/runs", { token: h.token, body: { input: { name: 5 } } }), 400, "validation_failed");
    expect(msg).toContain("name");
  });
});
