/**
 * The full job lifecycle against the simulated GPU provider: dataset → job → signed
 * callbacks → succeeded (re-fetched) → registered into the model registry, and the
 * forward-only rules for duplicate, late and out-of-order callbacks.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { trainingCallbacks, modelVersions } from "../../../d1/schema";
import { makeDb } from "../../../workers/db";
import { decideTransition } from "../../../workers/models/training/lifecycle";
import { advance, CallbackAnswer, createJob, failSim, getJob, relay, signedAs, tenant, uploadDataset } from "./helpers";

let token: string;
beforeAll(async () => {
  token = await tenant();
});

describe("a generic-protocol job driven by callbacks", () => {
  it("goes queued → running → succeeded → registered, with progress, cost and lineage", async () => {
    const ds = await uploadDataset(token);
    const created = await createJob(token, ds.id);
    expect(created.status).toBe("queued");
    expect(created.providerJobId).toMatch(/^gpujob-/);
    const pid = created.providerJobId ?? "";

    const first = await advance(pid);
    expect(CallbackAnswer.parse((await relay(created.id, first[0]!)).body)).toMatchObject({ applied: true, status: "running" });
    const running = await getJob(token, created.id);
    expect(running.progress).toBeCloseTo(0.25);
    expect(running.etaSeconds).toBeGreaterThan(0);
    expect(running.costNanoUsd).toBeGreaterThan(0);

    const all = await advance(pid, { to: "succeeded" });
    for (const cb of all.slice(1)) expect((await relay(created.id, cb)).status).toBe(200);
    const done = await getJob(token, created.id);
    expect(done.status).toBe("registered");
    expect(done.progress).toBe(1);
    expect(done.fineTunedModel).toBe(`ft:llama-3.1-8b:leads:${pid}`);
    expect(done.metrics).toEqual({ trainLoss: 0.42, validLoss: 0.47 });
    expect(done.modelVersionId).toMatch(/^mv_/);
    expect(done.modelVersion).toBe(1);

    const version = await makeDb(env.DB).query.modelVersions.findFirst({ where: eq(modelVersions.id, done.modelVersionId ?? "") });
    expect(version).toMatchObject({ jobId: created.id, providerJobId: pid, datasetSha256: ds.sha256, baseModel: "llama-3.1-8b", servingModel: done.fineTunedModel });
  });

  it("serves the trained model as an OpenAI-compatible chat endpoint", async () => {
    const ds = await uploadDataset(token);
    const job = await createJob(token, ds.id, { suffix: "chat" });
    const cbs = await advance(job.providerJobId ?? "", { to: "succeeded" });
    for (const cb of cbs) await relay(job.id, cb);
    const done = await getJob(token, job.id);
    const res = await fetch(`${done.servingBaseUrl}/chat/completions`, {
      method: "POST", headers: { authorization: "Bearer sk-sim-gpu", "content-type": "application/json" },
      body: JSON.stringify({ model: done.fineTunedModel, messages: [{ role: "user", content: "Hello" }] }),
    });
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toContain(`Fine-tuned model ${done.fineTunedModel} answering: Hello`);
  });
});

describe("callbacks that come twice, late or out of order", () => {
  it("refuses a replayed webhook-id and drops stale or out-of-order reports, recording why", async () => {
    const ds = await uploadDataset(token);
    const job = await createJob(token, ds.id);
    const cbs = await advance(job.providerJobId ?? "", { steps: 2 });
    expect(cbs.map((c) => c.status)).toEqual(["running", "running"]);
    expect(CallbackAnswer.parse((await relay(job.id, cbs[1]!)).body).applied).toBe(true);
    // The 25 % report arrives after the 50 % one.
    const late = CallbackAnswer.parse((await relay(job.id, cbs[0]!)).body);
    expect(late).toMatchObject({ applied: false, status: "running" });
    expect(late.reason).toMatch(/stale progress/);
    // The same delivery again.
    const again = await relay(job.id, cbs[1]!);
    expect(again.status).toBe(409);
    expect((await getJob(token, job.id)).progress).toBeCloseTo(0.5);

    const rows = await makeDb(env.DB).select().from(trainingCallbacks).where(eq(trainingCallbacks.jobId, job.id));
    expect(rows.map((r) => r.outcome).sort()).toEqual(["applied", "dropped", "replayed"]);
  });

  it("keeps a registered job registered when an old 'running' callback shows up", async () => {
    const ds = await uploadDataset(token);
    const job = await createJob(token, ds.id);
    const cbs = await advance(job.providerJobId ?? "", { to: "succeeded" });
    await relay(job.id, cbs[cbs.length - 1]!);
    expect((await getJob(token, job.id)).status).toBe("registered");
    const late = CallbackAnswer.parse((await relay(job.id, cbs[0]!)).body);
    expect(late).toMatchObject({ applied: false, status: "registered" });
    expect(late.reason).toMatch(/already registered/);
  });

  it("registers a job once even when its success is reported twice", async () => {
    const ds = await uploadDataset(token);
    const job = await createJob(token, ds.id, { modelKey: "twice" });
    const cbs = await advance(job.providerJobId ?? "", { to: "succeeded" });
    const last = cbs[cbs.length - 1]!;
    await relay(job.id, last);
    // The provider sends its success again under a new webhook-id.
    const again = CallbackAnswer.parse((await relay(job.id, await signedAs(job.id, JSON.parse(last.body)))).body);
    expect(again).toMatchObject({ applied: false, status: "registered" });
    const versions = await makeDb(env.DB).select().from(modelVersions).where(eq(modelVersions.jobId, job.id));
    expect(versions).toHaveLength(1);
  });
});

describe("provider failure", () => {
  it("ends the job failed with the provider's error after re-fetching it", async () => {
    const ds = await uploadDataset(token);
    const job = await createJob(token, ds.id);
    const pid = job.providerJobId ?? "";
    await advance(pid);
    const cbs = await failSim(pid, "CUDA out of memory");
    const answer = CallbackAnswer.parse((await relay(job.id, cbs[cbs.length - 1]!)).body);
    expect(answer).toMatchObject({ applied: true, status: "failed" });
    const failed = await getJob(token, job.id);
    expect(failed.error).toEqual({ code: "training_error", message: "CUDA out of memory" });
    expect(failed.modelVersionId).toBeNull();
  });
});

describe("decideTransition", () => {
  it("only moves forward", () => {
    expect(decideTransition({ status: "queued", progress: 0 }, { status: "running", progress: 0.1 })).toMatchObject({ apply: true, next: "running" });
    expect(decideTransition({ status: "running", progress: 0.5 }, { status: "queued" })).toMatchObject({ apply: false });
    expect(decideTransition({ status: "succeeded", progress: 1 }, { status: "failed" })).toMatchObject({ apply: false });
    expect(decideTransition({ status: "cancelled", progress: 0.2 }, { status: "succeeded" })).toMatchObject({ apply: false });
    expect(decideTransition({ status: "validating", progress: 0 }, { status: "succeeded" })).toMatchObject({ apply: true, next: "succeeded" });
  });
});
