import { describe, expect, it } from "vitest";
import { z } from "zod";
import { call, expectError, expectOk } from "../../api/helpers";
import { harness, RunDetail, startRun, waitForRun, waitForStep } from "../helpers";
import { constant, gated, postWorkflow, Version, Versions, Workflow, WorkflowWithDefinition } from "./helpers";

const YAML = `name: Greeter
description: Says hello
input:
  type: object
  required: [name]
  properties:
    name: { type: string }
steps:
  - id: greet
    type: transform
    output: "Hello {{ input.name }}"
`;

describe("creating a workflow", () => {
  it("from JSON: 201 with version 1, and GET shows the definition with its defaults", async () => {
    const h = await harness();
    const wf = expectOk(await postWorkflow(h.token, { key: "json-made", definition: constant(42, "From JSON") }), 201, Workflow);
    expect(wf).toMatchObject({ key: "json-made", name: "From JSON", latestVersion: 1, enabled: true, template: null });
    expect(wf.id).toMatch(/^wf_/);
    const got = expectOk(await call("GET", `/workflows/${wf.id}`, { token: h.token }), 200, WorkflowWithDefinition);
    expect(got.definition).toMatchObject({ name: "From JSON", steps: [{ id: "answer", type: "transform", output: 42 }], triggers: [{ type: "api" }] });
    const byKey = expectOk(await call("GET", "/workflows/json-made", { token: h.token }), 200, WorkflowWithDefinition);
    expect(byKey.id).toBe(wf.id);
    const list = expectOk(await call("GET", "/workflows", { token: h.token }), 200, z.object({ data: z.array(Workflow) }));
    expect(list.data.map((w) => w.key)).toEqual(["json-made"]);
  });

  it("from YAML: the same definition as JSON, and a run of it works", async () => {
    const h = await harness();
    const wf = expectOk(await postWorkflow(h.token, { key: "yaml-made", yaml: YAML }), 201, Workflow);
    expect(wf).toMatchObject({ name: "Greeter", description: "Says hello", latestVersion: 1 });
    const got = expectOk(await call("GET", `/workflows/${wf.id}`, { token: h.token }), 200, WorkflowWithDefinition);
    expect(got.definition).toMatchObject({ name: "Greeter", input: { required: ["name"] }, steps: [{ id: "greet", type: "transform", output: "Hello {{ input.name }}" }] });
    const run = await startRun(h, "yaml-made", { name: "Robin" });
    expect((await waitForRun(h, run.id, ["complete", "errored"])).output).toBe("Hello Robin");
  });

  it("an unknown workflow is 404, by id and by key", async () => {
    const h = await harness();
    expectError(await call("GET", "/workflows/wf_doesnotexist", { token: h.token }), 404, "not_found");
    expectError(await call("GET", "/workflows/no-such-key", { token: h.token }), 404, "not_found");
    expectError(await call("PUT", "/workflows/no-such-key", { token: h.token, body: { definition: constant(1) } }), 404, "not_found");
    expectError(await call("GET", "/workflows/no-such-key/versions", { token: h.token }), 404, "not_found");
  });
});

describe("versions", () => {
  it("PUT with a change saves version 2 (201); the same again answers 200 and adds no version 3", async () => {
    const h = await harness();
    const wf = expectOk(await postWorkflow(h.token, { key: "versioned", definition: constant(1, "V") }), 201, Workflow);
    const v2 = expectOk(await call("PUT", `/workflows/${wf.id}`, { token: h.token, body: { definition: constant(2, "V two") } }), 201, Workflow);
    expect(v2).toMatchObject({ latestVersion: 2, name: "V two" });
    const same = expectOk(await call("PUT", `/workflows/${wf.id}`, { token: h.token, body: { definition: constant(2, "V two") } }), 200, Workflow);
    expect(same.latestVersion).toBe(2);
    // The same definition as YAML is still the same definition.
    const asYaml = "name: V two\nsteps:\n  - id: answer\n    type: transform\n    output: 2\n";
    expect(expectOk(await call("PUT", "/workflows/versioned", { token: h.token, body: { yaml: asYaml } }), 200, Workflow).latestVersion).toBe(2);

    const versions = expectOk(await call("GET", `/workflows/${wf.id}/versions`, { token: h.token }), 200, Versions);
    expect(versions.data.map((v) => v.version)).toEqual([2, 1]);
    const [second, first] = versions.data;
    expect(second?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(second?.sha256).not.toBe(first?.sha256);
    const one = expectOk(await call("GET", `/workflows/${wf.id}/versions/1`, { token: h.token }), 200, Version);
    expect(one.definition).toMatchObject({ name: "V", steps: [{ output: 1 }] });
    expect(one.createdBy).toEqual(expect.any(String));
    expectError(await call("GET", `/workflows/${wf.id}/versions/3`, { token: h.token }), 404, "not_found");
    expectError(await call("GET", `/workflows/${wf.id}/versions/zero`, { token: h.token }), 400, "validation_failed");
    const latest = expectOk(await call("GET", `/workflows/${wf.id}`, { token: h.token }), 200, WorkflowWithDefinition);
    expect(latest.definition).toMatchObject({ name: "V two", steps: [{ output: 2 }] });
  });

  it("sha256 is the same for the same definition written with its keys in another order", async () => {
    const h = await harness();
    const ordered = { name: "Order", description: "d", steps: [{ id: "a", type: "transform", output: { x: 1, y: [1, 2] } }] };
    const shuffled = { steps: [{ output: { y: [1, 2], x: 1 }, type: "transform", id: "a" }], description: "d", name: "Order" };
    expectOk(await postWorkflow(h.token, { key: "ordered", definition: ordered }), 201, Workflow);
    expectOk(await postWorkflow(h.token, { key: "shuffled", definition: shuffled }), 201, Workflow);
    const shaOf = async (key: string) => expectOk(await call("GET", `/workflows/${key}/versions/1`, { token: h.token }), 200, Version).sha256;
    expect(await shaOf("shuffled")).toBe(await shaOf("ordered"));
    expect(expectOk(await call("PUT", "/workflows/ordered", { token: h.token, body: { definition: shuffled } }), 200, Workflow).latestVersion).toBe(1);
    // Array order is meaning, not formatting: swapping it is a change.
    const swapped = { ...ordered, steps: [{ id: "a", type: "transform", output: { x: 1, y: [2, 1] } }] };
    expect(expectOk(await call("PUT", "/workflows/ordered", { token: h.token, body: { definition: swapped } }), 201, Workflow).latestVersion).toBe(2);
  });

  it("a run started on v1 keeps v1 after v2 is saved; new runs take v2", async () => {
    const h = await harness();
    expectOk(await postWorkflow(h.token, { key: "pinned", definition: gated("v1") }), 201, Workflow);
    const old = await startRun(h, "pinned", {});
    expect(old.version).toBe(1);
    await waitForStep(h, old.id, "gate", "waiting");
    expectOk(await call("PUT", "/workflows/pinned", { token: h.token, body: { definition: constant({ label: "v2" }, "Ungated") } }), 201, Workflow);

    expectOk(await call("POST", `/approvals/${old.id}/gate`, { token: h.token, body: { decision: "approve" } }), 200, RunDetail);
    const oldDone = await waitForRun(h, old.id, ["complete", "errored"]);
    expect(oldDone).toMatchObject({ status: "complete", version: 1, output: { label: "v1", approved: true } });
    expect(oldDone.steps.map((s) => s.stepId)).toEqual(["gate", "answer"]);

    const fresh = await startRun(h, "pinned", {});
    expect(fresh.version).toBe(2);
    const freshDone = await waitForRun(h, fresh.id, ["complete", "errored"]);
    expect(freshDone).toMatchObject({ status: "complete", version: 2, output: { label: "v2" } });
  });

  it("a run can ask for an older version, and an unknown version is 404", async () => {
    const h = await harness();
    expectOk(await postWorkflow(h.token, { key: "older", definition: constant("one") }), 201, Workflow);
    expectOk(await call("PUT", "/workflows/older", { token: h.token, body: { definition: constant("two") } }), 201, Workflow);
    const run = await startRun(h, "older", {}, { version: 1 });
    expect((await waitForRun(h, run.id, ["complete", "errored"])).output).toBe("one");
    expectError(await call("POST", "/workflows/older/runs", { token: h.token, body: { version: 9 } }), 404, "not_found");
  });
});
