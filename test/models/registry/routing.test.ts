import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeDb } from "../../../workers/db";
import { registerVersion } from "../../../workers/models/registry/register";
import { z } from "zod";
import { canaryBucket, parseFtName } from "../../../workers/models/registry/routing";
import { call, expectError } from "../../api/helpers";
import { createTestTenant } from "../../helpers/fixtures";
import { requestId, upstreamRequests, waitForUsage } from "../../gateway/helpers";
import { addVersion, chat, createModel, expectPromoted, simModel } from "./helpers";

const t = await createTestTenant("Routing Motors");
const other = await createTestTenant("Other Routing Motors");

const OpenAIError = z.object({ error: z.object({ message: z.string(), type: z.string(), code: z.string().nullable().optional() }) });

/** A model with v1 as champion and v2 as challenger, both served by the simulator. */
async function championAndChallenger() {
  const m = await createModel(t.adminKey);
  const v1 = await addVersion(t.adminKey, m.id, simModel("champ"));
  const v2 = await addVersion(t.adminKey, m.id, simModel("chal"));
  await expectPromoted(t.adminKey, m.id, v1.id, "champion");
  await expectPromoted(t.adminKey, m.id, v2.id, "challenger");
  return { m, v1, v2 };
}

describe("ft:<key> through the gateway", () => {
  it("serves the champion, names the version in a header and records it in the usage row", async () => {
    const { m, v1 } = await championAndChallenger();
    const id = requestId();
    const res = await chat(t.gatewayKey, `ft:${m.key}`, id, { content: `hello ${id}` });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("x-auterity-model-version")).toBe(`ft:${m.key}@v1`);
    const [upstream] = await upstreamRequests(id);
    expect(upstream?.body).toMatchObject({ model: v1.servingEndpoint.model });
    const row = await waitForUsage(id);
    expect(row).toMatchObject({ model_requested: `ft:${m.key}`, model_served: `ft:${m.key}@v1`, status: 200 });
  });

  it("pins @challenger, @champion, @v2 and @2", async () => {
    const { m } = await championAndChallenger();
    const cases: [string, string][] = [["@challenger", "v2"], ["@champion", "v1"], ["@v2", "v2"], ["@2", "v2"], ["@v1", "v1"]];
    for (const [pin, version] of cases) {
      const res = await chat(t.gatewayKey, `ft:${m.key}${pin}`, requestId());
      expect(res.status).toBe(200);
      expect(res.headers.get("x-auterity-model-version")).toBe(`ft:${m.key}@${version}`);
    }
  });

  it("answers 404 model_not_found in OpenAI's format for unknown keys, versions and a missing champion", async () => {
    const m = await createModel(t.adminKey);
    await addVersion(t.adminKey, m.id);
    for (const name of [`ft:${m.key}`, `ft:${m.key}@challenger`, `ft:${m.key}@v9`, "ft:no-such-model", `ft:${m.key}@latest`]) {
      const res = await chat(t.gatewayKey, name, requestId());
      expect(res.status, name).toBe(404);
      const body = OpenAIError.parse(await res.json());
      expect(body.error.code).toBe("model_not_found");
    }
    const res = await chat(t.gatewayKey, `ft:${m.key}`, requestId());
    expect(OpenAIError.parse(await res.json()).error.message).toContain("has no champion");
  });

  it("routes a version registered from a training job, served under its fine-tuned name", async () => {
    const key = `job-${requestId().toLowerCase()}`;
    const scope = { db: makeDb(env.DB), tenantId: t.tenantId };
    const served = `ft:llama-3.1-8b:dealer:${key}`;
    const reg = await registerVersion(scope, { modelKey: key, baseModel: "llama-3.1-8b", datasetId: null, datasetSha256: null, hyperparameters: {}, provider: "sim", providerJobId: "ftjob-1", jobId: `job_${key}`, metrics: {}, servingEndpoint: { baseUrl: `${env.SIM_URL}/openai/v1`, model: served } }, Date.now());
    await expectPromoted(t.adminKey, reg.modelId, reg.versionId, "champion");
    const id = requestId();
    const res = await chat(t.gatewayKey, `ft:${key}`, id, { content: `trained ${id}` });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("x-auterity-model-version")).toBe(`ft:${key}@v1`);
    expect((await upstreamRequests(id))[0]?.body).toMatchObject({ model: served });
  });

  it("does not route another tenant's ft: names", async () => {
    const { m } = await championAndChallenger();
    const res = await chat(other.gatewayKey, `ft:${m.key}`, requestId());
    expect(res.status).toBe(404);
  });
});

describe("canary", () => {
  it("buckets request ids evenly: 30 % of 2,000 ids land within 27-33 %", () => {
    let hits = 0;
    for (let i = 0; i < 2000; i++) if (canaryBucket(`req-${i}`) < 30) hits++;
    expect(hits / 2000).toBeGreaterThan(0.27);
    expect(hits / 2000).toBeLessThan(0.33);
  });

  it("parses ft: names and refuses unreadable pins", () => {
    expect(parseFtName("ft:lead-reply")).toEqual({ key: "lead-reply", pin: { kind: "default" } });
    expect(parseFtName("ft:lead-reply@v3")).toEqual({ key: "lead-reply", pin: { kind: "version", version: 3 } });
    expect(parseFtName("ft:lead-reply@challenger")).toEqual({ key: "lead-reply", pin: { kind: "alias", alias: "challenger" } });
    expect(parseFtName("ft:lead-reply@newest")).toBeNull();
    expect(parseFtName("gpt-4o")).toBeNull();
    expect(parseFtName("ft:")).toBeNull();
  });

  it("sends exactly the requests whose id falls in the canary to the challenger", async () => {
    const { m } = await championAndChallenger();
    const patched = await call("PATCH", `/models/${m.id}`, { token: t.adminKey, body: { canaryPercent: 30 } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const ids = Array.from({ length: 40 }, (_, i) => `canary-${m.key}-${i}`);
    let challenger = 0;
    for (const id of ids) {
      const res = await chat(t.gatewayKey, `ft:${m.key}`, id);
      expect(res.status).toBe(200);
      const expected = canaryBucket(id) < 30 ? "v2" : "v1";
      expect(res.headers.get("x-auterity-model-version")).toBe(`ft:${m.key}@${expected}`);
      if (expected === "v2") challenger++;
    }
    expect(challenger).toBeGreaterThan(0);
    expect(challenger).toBeLessThan(ids.length);
  });

  it("refuses canary traffic without a challenger, and out-of-range shares", async () => {
    const m = await createModel(t.adminKey);
    const v1 = await addVersion(t.adminKey, m.id);
    await expectPromoted(t.adminKey, m.id, v1.id, "champion");
    expectError(await call("PATCH", `/models/${m.id}`, { token: t.adminKey, body: { canaryPercent: 10 } }), 409, "conflict");
    expectError(await call("PATCH", `/models/${m.id}`, { token: t.adminKey, body: { canaryPercent: 101 } }), 400, "validation_failed");
    expectError(await call("PATCH", `/models/${m.id}`, { token: t.adminKey, body: { canaryPercent: 5.5 } }), 400, "validation_failed");
  });
});
