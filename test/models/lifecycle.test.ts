/**
 * The model lifecycle in one story, against the simulated GPU provider: a dataset becomes
 * a training job, signed callbacks take it to registered, the version is routable through
 * the gateway as ft:<key>, a second version goes out as a canary, passes the eval gate, is
 * promoted, and is rolled back.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { call, expectOk } from "../api/helpers";
import { BASE, workerFetch } from "../gateway/helpers";
import { createTestTenant } from "../helpers/fixtures";
import { auditOf, chat, promote } from "./registry/helpers";
import { advance, createJob, getJob, relay, uploadDataset } from "./training/helpers";

const EVAL_SET = [
  { messages: [{ role: "user", content: "Is the 2024 RAV4 XLE still available?" }] },
  { messages: [{ role: "user", content: "Can I book a test drive on Saturday?" }] },
];

async function trainedVersion(token: string, datasetId: string, modelKey: string, suffix: string) {
  const job = await createJob(token, datasetId, { modelKey, suffix });
  for (const cb of await advance(job.providerJobId ?? "", { to: "succeeded" })) expect((await relay(job.id, cb)).status).toBe(200);
  const done = await getJob(token, job.id);
  expect(done.status).toBe("registered");
  return { modelId: done.modelId ?? "", versionId: done.modelVersionId ?? "", served: done.fineTunedModel ?? "" };
}

async function servedBy(gatewayKey: string, model: string, requestId: string): Promise<{ text: string; version: string | null }> {
  const res = await chat(gatewayKey, model, requestId);
  expect(res.status, await res.clone().text()).toBe(200);
  const body = z.object({ choices: z.array(z.object({ message: z.object({ content: z.string() }) })) }).parse(await res.json());
  return { text: body.choices[0]?.message.content ?? "", version: res.headers.get("x-auterity-model-version") };
}

describe("dataset → job → registered → routable → canary → promoted → rolled back", () => {
  it("moves a fine-tuned model through its whole life", { timeout: 60_000 }, async () => {
    const t = await createTestTenant("Lifecycle Motors");
    const token = t.adminKey;
    const modelKey = "lead-reply";
    const ds = await uploadDataset(token);

    // v1: trained, registered, made champion after its eval, served for ft:lead-reply.
    const v1 = await trainedVersion(token, ds.id, modelKey, "first");
    expect((await call("POST", `/models/${v1.modelId}/evals`, { token, body: { versionId: v1.versionId, evalSet: EVAL_SET } })).status).toBe(201);
    expect((await promote(token, v1.modelId, v1.versionId, "champion")).status).toBe(200);
    expect((await servedBy(t.gatewayKey, `ft:${modelKey}`, "req-v1")).text).toContain(`Fine-tuned model ${v1.served}`);

    // v2: trained on the same dataset, out as the challenger with all canary traffic.
    const v2 = await trainedVersion(token, ds.id, modelKey, "second");
    expect(v2.modelId).toBe(v1.modelId);
    expect((await promote(token, v1.modelId, v2.versionId, "challenger")).status).toBe(200);
    expectOk(await call("PATCH", `/models/${v1.modelId}`, { token, body: { canaryPercent: 100 } }), 200, z.object({ canaryPercent: z.literal(100) }));
    expect((await servedBy(t.gatewayKey, `ft:${modelKey}`, "req-canary")).text).toContain(`Fine-tuned model ${v2.served}`);
    expect((await servedBy(t.gatewayKey, `ft:${modelKey}@champion`, "req-pinned")).text).toContain(`Fine-tuned model ${v1.served}`);

    // The eval gate compares v2 with the champion; then v2 becomes champion.
    expect((await call("POST", `/models/${v1.modelId}/evals`, { token, body: { versionId: v2.versionId, evalSet: EVAL_SET } })).status).toBe(201);
    const promoted = await promote(token, v1.modelId, v2.versionId, "champion");
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(200);
    expectOk(await call("PATCH", `/models/${v1.modelId}`, { token, body: { canaryPercent: 0 } }), 200, z.object({ canaryPercent: z.literal(0) }));
    expect((await servedBy(t.gatewayKey, `ft:${modelKey}`, "req-v2")).text).toContain(`Fine-tuned model ${v2.served}`);

    // Rollback moves the champion alias back to v1.
    expect((await call("POST", `/models/${v1.modelId}/rollback`, { token })).status).toBe(200);
    expect((await servedBy(t.gatewayKey, `ft:${modelKey}`, "req-back")).text).toContain(`Fine-tuned model ${v1.served}`);

    const actions = (await auditOf(t.tenantId, v1.modelId)).map((a) => a.action);
    expect(actions.filter((a) => a.includes("promot")).length).toBeGreaterThanOrEqual(3);
    expect(actions.some((a) => a.includes("rollback") || a.includes("rolled_back"))).toBe(true);
  });
});

describe("GET /v1/models", () => {
  it("lists a fine-tuned model once it has a champion", async () => {
    const t = await createTestTenant("Listing Motors");
    const ds = await uploadDataset(t.adminKey);
    const v1 = await trainedVersion(t.adminKey, ds.id, "listed", "one");
    const ids = async () => {
      const res = await workerFetch(`${BASE}/v1/models`, { headers: { authorization: `Bearer ${t.gatewayKey}` } });
      return z.object({ data: z.array(z.object({ id: z.string() })) }).parse(await res.json()).data.map((m) => m.id);
    };
    expect(await ids()).not.toContain("ft:listed");
    expect((await promote(t.adminKey, v1.modelId, v1.versionId, "champion", true)).status).toBe(200);
    expect(await ids()).toContain("ft:listed");
  });
});
