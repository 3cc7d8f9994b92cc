import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { call, expectError, expectOk } from "../../api/helpers";
import { type Harness, harness } from "../helpers";
import { constant, postWorkflow, problemOf, problemsOf, Workflow } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await harness("Strict Workflow Motors");
});

const branchWith = (inner: unknown) => ({
  name: "Nested",
  steps: [{ id: "route", type: "branch", cases: [{ when: { path: "input.vip", op: "truthy" }, steps: [{ id: "warm", type: "transform", output: 1 }, inner] }] }],
});

/** Each bad definition, the step its problem names, the path, and words the message must hold. */
const BAD: [string, unknown, string, string, RegExp][] = [
  ["an unknown step type", { name: "X", steps: [{ id: "signal", type: "smoke_signal", text: "hi" }] }, "signal", "steps[0].type", /"smoke_signal" is not a known type; use one of ai, http, transform/],
  ["a missing field in a nested branch step", branchWith({ id: "draft", type: "ai", prompt: "Hi" }), "draft", "steps[0].cases[0].steps[1].model", /model is required/],
  ["a duplicate step id", { name: "X", steps: [{ id: "same", type: "transform", output: 1 }, { id: "same", type: "transform", output: 2 }] }, "same", "steps[1].id", /used by another step/],
  ["a template naming an unknown step", { name: "X", steps: [{ id: "greet", type: "transform", output: "Hi {{ steps.lookup.name }}" }] }, "greet", "steps[0].output", /steps\.lookup.*no step has the id 'lookup'/],
  ["a bad duration", { name: "X", steps: [{ id: "nap", type: "sleep", duration: "5 minutes" }] }, "nap", "steps[0].duration", /duration must be a duration such as 30s.*"5 minutes"/],
  ["an unknown event type", { name: "X", steps: [{ id: "tell", type: "emit", event: "lead.exploded", data: {} }] }, "tell", "steps[0].event", /event must be one of lead\.created.*"lead\.exploded"/],
  ["an unknown field (a typo)", { name: "X", steps: [{ id: "pause", type: "sleep", duration: "1s", retyr: { limit: 1 } }] }, "pause", "steps[0].retyr", /retyr is not a known field/],
  ["a bad timeout on a step inside a parallel branch", { name: "X", steps: [{ id: "fan", type: "parallel", branches: { a: [{ id: "left", type: "transform", output: 1, timeout: "soon" }], b: [{ id: "right", type: "transform", output: 2 }] } }] }, "left", "steps[0].branches.a[0].timeout", /timeout must be a duration/],
];

describe("bad definitions come back as 400 validation_failed with pointers", () => {
  for (const [what, definition, stepId, path, message] of BAD) {
    it(`${what}: names step '${stepId}' and ${path}`, async () => {
      const reply = await postWorkflow(h.token, { key: "bad-one", definition });
      const problem = problemOf(reply, stepId);
      expect(problem.path).toBe(path);
      expect(problem.message).toMatch(message);
      expect(problem.message).toContain(`step '${stepId}'`);
      // The top-level message names the first problem, so a person reading only it knows where to look.
      expect(expectError(reply, 400, "validation_failed")).toContain(`step '${stepId}'`);
      // Validating without saving answers the same.
      expect(problemsOf(await call("POST", "/workflows/validate", { token: h.token, body: { definition } }))).toEqual(problemsOf(reply));
    });
  }

  it("nothing was saved by any of them", async () => {
    expectError(await call("GET", "/workflows/bad-one", { token: h.token }), 404, "not_found");
  });

  it("a problem outside any step names the path and no step", async () => {
    const problems = problemsOf(await postWorkflow(h.token, { key: "no-steps", definition: { name: "Empty", steps: [] } }));
    expect(problems).toEqual([expect.objectContaining({ path: "steps", stepId: null })]);
    const trigger = problemsOf(await postWorkflow(h.token, { key: "bad-trigger", definition: { ...constant(1), triggers: [{ type: "webhook" }] } }));
    expect(trigger).toEqual([expect.objectContaining({ path: "triggers[0].type", stepId: null, message: expect.stringContaining("use one of api, event, cron") })]);
  });

  it("PUT refuses a bad definition the same way and keeps the current version", async () => {
    const wf = expectOk(await postWorkflow(h.token, { key: "kept", definition: constant(1) }), 201, Workflow);
    const reply = await call("PUT", `/workflows/${wf.id}`, { token: h.token, body: { definition: { name: "X", steps: [{ id: "nap", type: "sleep" }] } } });
    expect(problemOf(reply, "nap").message).toMatch(/either duration or until/);
    expect(expectOk(await call("GET", `/workflows/${wf.id}`, { token: h.token }), 200, Workflow).latestVersion).toBe(1);
  });
});

describe("YAML problems carry the line and column", () => {
  it("a syntax error", async () => {
    const yaml = "name: Broken\nsteps:\n  - id: a\n    type: transform\n   output: [1,\n";
    const reply = await postWorkflow(h.token, { key: "yaml-syntax", yaml });
    const [first] = problemsOf(reply);
    expect(first).toMatchObject({ path: "(yaml)", stepId: null, line: 5, column: expect.any(Number) });
    expect(expectError(reply, 400, "validation_failed")).toMatch(/^The workflow definition is not valid: line 5, column \d+: /);
  });

  it("a schema error on line 8 points at line 8", async () => {
    const yaml = ["name: Nap", "steps:", "  - id: first", "    type: transform", "    output: 1", "  - id: nap", "    type: sleep", "    duration: soon", ""].join("\n");
    const reply = await postWorkflow(h.token, { key: "yaml-schema", yaml });
    expect(problemOf(reply, "nap")).toMatchObject({ path: "steps[1].duration", line: 8, column: 15 });
    expect(expectError(reply, 400, "validation_failed")).toContain("line 8, column 15: step 'nap': duration");
  });

  it("a typo points at the line of the unknown field", async () => {
    const yaml = ["name: Typo", "steps:", "  - id: greet", "    type: transform", "    output: hi", "    nmae: Greeting", ""].join("\n");
    expect(problemOf(await postWorkflow(h.token, { key: "yaml-typo", yaml }), "greet")).toMatchObject({ path: "steps[0].nmae", line: 6, column: 5 });
  });

  it("an empty document and a duplicate key are refused", async () => {
    expect(problemsOf(await postWorkflow(h.token, { key: "yaml-empty", yaml: "" }))[0]).toMatchObject({ line: 1, message: expect.stringContaining("empty") });
    const [dup] = problemsOf(await postWorkflow(h.token, { key: "yaml-dup", yaml: "name: A\nname: B\nsteps:\n  - { id: a, type: transform, output: 1 }\n" }));
    expect(dup).toMatchObject({ line: 2 });
  });

  it("/validate answers a valid YAML document with its definition, defaults filled in, and saves nothing", async () => {
    const yaml = "name: Fine\nsteps:\n  - id: nap\n    type: sleep\n    duration: 5m\n";
    const ok = expectOk(await call("POST", "/workflows/validate", { token: h.token, body: { yaml } }), 200, z.object({ valid: z.literal(true), definition: z.record(z.string(), z.unknown()) }));
    expect(ok.definition).toMatchObject({ name: "Fine", triggers: [{ type: "api" }], steps: [{ id: "nap", type: "sleep", duration: "5m" }] });
    const list = expectOk(await call("GET", "/workflows", { token: h.token }), 200, z.object({ data: z.array(Workflow) }));
    expect(list.data.map((w) => w.name)).not.toContain("Fine");
  });
});

describe("request bodies and keys", () => {
  it("both definition and yaml, or neither, is 400", async () => {
    const both = { key: "both", definition: constant(1), yaml: "name: X\nsteps:\n  - { id: a, type: transform, output: 1 }\n" };
    expect(expectError(await postWorkflow(h.token, both), 400, "validation_failed")).toMatch(/either definition or yaml/);
    expect(expectError(await postWorkflow(h.token, { key: "neither" }), 400, "validation_failed")).toMatch(/either definition or yaml/);
    expectError(await call("POST", "/workflows/validate", { token: h.token, body: {} }), 400, "validation_failed");
    expectError(await call("PUT", "/workflows/kept", { token: h.token, body: both }), 400, "validation_failed");
  });

  it("a key already taken is 409; the first workflow is untouched", async () => {
    expectOk(await postWorkflow(h.token, { key: "taken", definition: constant("first") }), 201, Workflow);
    expect(expectError(await postWorkflow(h.token, { key: "taken", definition: constant("second", "Second") }), 409, "conflict")).toContain("'taken'");
    expect(expectOk(await call("GET", "/workflows/taken", { token: h.token }), 200, Workflow).name).toBe("Constant");
  });

  it("keys that are not lower-case words joined by dashes are 400", async () => {
    for (const key of ["Has Caps", "-leading", "under_score", "", "x".repeat(64), "wf_lookalike!"]) {
      expectError(await postWorkflow(h.token, { key, definition: constant(1) }), 400, "validation_failed");
    }
  });

  it("a definition that is not an object, and unknown body fields, are 400", async () => {
    expectError(await postWorkflow(h.token, { key: "arr", definition: [1, 2] }), 400, "validation_failed");
    expectError(await postWorkflow(h.token, { key: "extra", definition: constant(1), enabled: false }), 400, "validation_failed");
  });
});
