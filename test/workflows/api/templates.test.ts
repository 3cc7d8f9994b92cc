import { describe, expect, it } from "vitest";
import { z } from "zod";
import { call, expectError, expectOk } from "../../api/helpers";
import { harness } from "../helpers";
import { Version, Workflow, WorkflowWithDefinition } from "./helpers";

/** The workflow keys named by subworkflow steps anywhere in a definition. */
function subworkflowsOf(definition: unknown): string[] {
  const found: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === "object" && v !== null) {
      if ("type" in v && v.type === "subworkflow" && "workflow" in v && typeof v.workflow === "string") found.push(v.workflow);
      Object.values(v).forEach(visit);
    }
  };
  visit(definition);
  return found;
}

const Templates = z.object({ data: z.array(z.object({ key: z.string(), name: z.string(), description: z.string(), definition: z.record(z.string(), z.unknown()) })) });

describe("GET /workflows/templates", () => {
  it("lists the dealership templates, each a definition that validates", async () => {
    const h = await harness();
    const { data } = expectOk(await call("GET", "/workflows/templates", { token: h.token }), 200, Templates);
    expect(data.map((t) => t.key)).toEqual(expect.arrayContaining(["review-response", "service-reminder", "speed-to-lead"]));
    for (const t of data) {
      expect(t.name.length, t.key).toBeGreaterThan(0);
      expect(t.description.length, t.key).toBeGreaterThan(0);
      const valid = await call("POST", "/workflows/validate", { token: h.token, body: { definition: t.definition } });
      expect(valid.status, `${t.key}: ${JSON.stringify(valid.body)}`).toBe(200);
    }
    const speed = data.find((t) => t.key === "speed-to-lead");
    expect(speed?.definition).toMatchObject({ triggers: expect.arrayContaining([{ type: "event", event: "lead.created" }]) });
  });
});

describe("POST /workflows/templates/{name}/install", () => {
  it("creates a workflow under the template's key; a second install is 409; another key works", async () => {
    const h = await harness();
    const wf = expectOk(await call("POST", "/workflows/templates/speed-to-lead/install", { token: h.token, body: {} }), 201, Workflow);
    expect(wf).toMatchObject({ key: "speed-to-lead", name: "Speed to lead", template: "speed-to-lead", latestVersion: 1, enabled: true });
    const got = expectOk(await call("GET", `/workflows/${wf.id}`, { token: h.token }), 200, WorkflowWithDefinition);
    const { data } = expectOk(await call("GET", "/workflows/templates", { token: h.token }), 200, Templates);
    expect(got.definition).toEqual(data.find((t) => t.key === "speed-to-lead")?.definition);
    // Whatever the template calls as a subworkflow is installed with it, so its runs can start.
    for (const called of subworkflowsOf(got.definition)) expect((await call("GET", `/workflows/${called}`, { token: h.token })).status, called).toBe(200);

    expectError(await call("POST", "/workflows/templates/speed-to-lead/install", { token: h.token, body: {} }), 409, "conflict");
    const second = expectOk(await call("POST", "/workflows/templates/speed-to-lead/install", { token: h.token, body: { key: "speed-to-lead-north" } }), 201, Workflow);
    expect(second).toMatchObject({ key: "speed-to-lead-north", template: "speed-to-lead" });
    expect(second.id).not.toBe(wf.id);
  });

  it("an installed template is the tenant's to edit: a change saves version 2", async () => {
    const h = await harness();
    const wf = expectOk(await call("POST", "/workflows/templates/review-response/install", { token: h.token, body: {} }), 201, Workflow);
    const v1 = expectOk(await call("GET", `/workflows/${wf.id}/versions/1`, { token: h.token }), 200, Version);
    const edited = { ...v1.definition, description: "Our own review replies" };
    expect(expectOk(await call("PUT", `/workflows/${wf.id}`, { token: h.token, body: { definition: edited } }), 201, Workflow)).toMatchObject({ latestVersion: 2, description: "Our own review replies", template: "review-response" });
  });

  it("an unknown template is 404 naming the ones that exist; a bad key is 400", async () => {
    const h = await harness();
    const msg = expectError(await call("POST", "/workflows/templates/oil-change/install", { token: h.token, body: {} }), 404, "not_found");
    expect(msg).toContain("speed-to-lead");
    expectError(await call("POST", "/workflows/templates/service-reminder/install", { token: h.token, body: { key: "Not A Key" } }), 400, "validation_failed");
    expectError(await call("POST", "/workflows/templates/service-reminder/install", { token: h.token, body: { key: "ok", extra: 1 } }), 400, "validation_failed");
  });
});
