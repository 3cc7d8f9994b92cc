import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { makeDb } from "../../../workers/db";
import { registerVersion, type RegisterInput } from "../../../workers/models/registry/register";
import { sealSecret } from "../../../workers/lib/secret-box";
import { call, createTestUser, expectError, expectOk } from "../../api/helpers";
import { createTestTenant } from "../../helpers/fixtures";
import { addVersion, auditOf, createModel, ModelBody, modelKey, VersionBody } from "./helpers";

const t = await createTestTenant("Registry Motors");
const other = await createTestTenant("Other Registry Motors");
const scope = { db: makeDb(env.DB), tenantId: t.tenantId };

function jobInput(jobId: string, key: string): RegisterInput {
  return {
    modelKey: key,
    baseModel: "llama-3.1-8b-instruct",
    datasetId: "ds_abc",
    datasetSha256: "a".repeat(64),
    hyperparameters: { n_epochs: 3, learning_rate: 0.0002 },
    provider: "sim-gpu",
    providerJobId: "ftjob-123",
    jobId,
    metrics: { trainLoss: 0.41, validLoss: 0.52 },
    servingEndpoint: { baseUrl: `${env.SIM_URL}/openai/v1/`, model: "ft:llama-3.1-8b:dealer:abc" },
  };
}

const Detail = ModelBody.extend({ versions: z.array(VersionBody), aliasHistory: z.array(z.unknown()) });

describe("registerVersion (a finished training job)", () => {
  it("creates the model on first use, numbers versions and keeps the lineage", async () => {
    const key = modelKey("lead-reply");
    const first = await registerVersion(scope, jobInput("job_one", key), Date.now());
    const second = await registerVersion(scope, jobInput("job_two", key), Date.now());
    expect(first.version).toBe(1);
    expect(second).toMatchObject({ modelId: first.modelId, version: 2 });
    const detail = expectOk(await call("GET", `/models/${first.modelId}`, { token: t.adminKey }), 200, Detail);
    expect(detail.key).toBe(key);
    const v1 = detail.versions.find((v) => v.id === first.versionId);
    expect(v1).toMatchObject({
      name: `ft:${key}@v1`,
      lineage: { baseModel: "llama-3.1-8b-instruct", datasetId: "ds_abc", datasetSha256: "a".repeat(64), hyperparameters: { n_epochs: 3, learning_rate: 0.0002 }, provider: "sim-gpu", providerJobId: "ftjob-123", jobId: "job_one" },
      metrics: { trainLoss: 0.41, validLoss: 0.52 },
      servingEndpoint: { baseUrl: `${env.SIM_URL}/openai/v1`, model: "ft:llama-3.1-8b:dealer:abc", hasApiKey: false },
    });
  });

  it("is idempotent on the job id: a second call answers the first registration", async () => {
    const key = modelKey("svc");
    const a = await registerVersion(scope, jobInput("job_same", key), Date.now());
    const b = await registerVersion(scope, { ...jobInput("job_same", key), metrics: { trainLoss: 9 } }, Date.now());
    expect(b).toEqual(a);
    const versions = expectOk(await call("GET", `/models/${a.modelId}/versions`, { token: t.adminKey }), 200, z.object({ data: z.array(VersionBody) }));
    expect(versions.data).toHaveLength(1);
    expect(versions.data[0]?.metrics).toEqual({ trainLoss: 0.41, validLoss: 0.52 });
  });

  it("refuses a serving endpoint that is not an http(s) URL", async () => {
    const input = { ...jobInput("job_bad_url", modelKey()), servingEndpoint: { baseUrl: "ftp://models.example", model: "x" } };
    await expect(registerVersion(scope, input, Date.now())).rejects.toMatchObject({ code: "validation_failed" });
  });

  it("keeps a sealed serving key sealed: the API only says one exists", async () => {
    const sealed = await sealSecret(env.MASTER_KEY, "sk-provider-secret");
    const r = await registerVersion(scope, { ...jobInput("job_key", modelKey()), servingEndpoint: { baseUrl: "https://gpu.example/v1", model: "m", apiKeySealed: sealed } }, Date.now());
    const res = await call("GET", `/models/${r.modelId}`, { token: t.adminKey });
    expect(JSON.stringify(res.body)).not.toContain("sk-provider-secret");
    expect(JSON.stringify(res.body)).not.toContain(sealed);
    expect(Detail.parse(res.body).versions[0]?.servingEndpoint.hasApiKey).toBe(true);
  });
});

describe("/api/v1/models", () => {
  it("creates, lists and reads models; registers an externally trained version by hand (audited)", async () => {
    const m = await createModel(t.adminKey);
    expect(m.aliases).toEqual({ champion: null, challenger: null });
    const v = await addVersion(t.adminKey, m.id, "sim-external-1");
    expect(v).toMatchObject({ version: 1, lineage: { provider: "sim", jobId: null }, servingEndpoint: { model: "sim-external-1" } });
    const list = expectOk(await call("GET", "/models", { token: t.adminKey }), 200, z.object({ data: z.array(ModelBody) }));
    expect(list.data.map((x) => x.id)).toContain(m.id);
    expect((await auditOf(t.tenantId, m.id)).map((a) => a.action)).toEqual(["model.created", "model.version.registered"]);
  });

  it("stores a version's API key sealed and never shows it", async () => {
    const m = await createModel(t.adminKey);
    const body = { provider: "together", servingEndpoint: { baseUrl: "https://api.together.example/v1", model: "dealer-ft", apiKey: "tg-secret-value" } };
    const v = expectOk(await call("POST", `/models/${m.id}/versions`, { token: t.adminKey, body }), 201, VersionBody);
    expect(v.servingEndpoint.hasApiKey).toBe(true);
    const row = await env.DB.prepare("select serving_key_enc from model_versions where id = ?").bind(v.id).first<{ serving_key_enc: string }>();
    expect(row?.serving_key_enc).toBeTruthy();
    expect(row?.serving_key_enc).not.toContain("tg-secret-value");
  });

  it("refuses a duplicate key, a malformed key and a malformed version", async () => {
    const m = await createModel(t.adminKey);
    expectError(await call("POST", "/models", { token: t.adminKey, body: { key: m.key, baseModel: "x" } }), 409, "conflict");
    expectError(await call("POST", "/models", { token: t.adminKey, body: { key: "Bad Key!", baseModel: "x" } }), 400, "validation_failed");
    expectError(await call("POST", "/models", { token: t.adminKey, body: { key: "ok-key" } }), 400, "validation_failed");
    expectError(await call("POST", `/models/${m.id}/versions`, { token: t.adminKey, body: { provider: "sim", servingEndpoint: { baseUrl: "not a url", model: "m" } } }), 400, "validation_failed");
    expectError(await call("POST", `/models/${m.id}/versions`, { token: t.adminKey, body: { provider: "sim" } }), 400, "validation_failed");
  });

  it("lets a viewer read but not write", async () => {
    const viewer = await createTestUser(t.tenantId, "viewer");
    expectOk(await call("GET", "/models", { token: viewer.accessToken }), 200, z.object({ data: z.array(ModelBody) }));
    expectError(await call("POST", "/models", { token: viewer.accessToken, body: { key: modelKey(), baseModel: "x" } }), 403, "forbidden");
  });

  it("keeps tenants apart: another tenant's model is not found, and not listed", async () => {
    const m = await createModel(t.adminKey);
    expectError(await call("GET", `/models/${m.id}`, { token: other.adminKey }), 404, "not_found");
    expectError(await call("POST", `/models/${m.id}/versions`, { token: other.adminKey, body: { provider: "sim", servingEndpoint: { baseUrl: "https://x.example/v1", model: "m" } } }), 404, "not_found");
    const list = expectOk(await call("GET", "/models", { token: other.adminKey }), 200, z.object({ data: z.array(ModelBody) }));
    expect(list.data.map((x) => x.id)).not.toContain(m.id);
  });
});
