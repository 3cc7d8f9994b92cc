/**
 * When callbacks never come: the TrainingJob alarm polls the provider; the OpenAI-compatible
 * adapter (which has no callbacks) is polled the same way. Also cancel and timeout.
 */
import { env } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, expectError } from "../../api/helpers";
import { makeDb } from "../../../workers/db";
import { pollJob } from "../../../workers/models/training/poll";
import { trainingJobStub } from "../../../workers/models/training/watch";
import { advance, CallbackAnswer, createJob, getJob, Job, relay, setDelivery, simJob, tenant, uploadDataset } from "./helpers";
import { expectOk } from "../../api/helpers";

let token: string;
let datasetId: string;
beforeAll(async () => {
  token = await tenant();
  datasetId = (await uploadDataset(token)).id;
});

describe("polling fallback", () => {
  it("registers a job whose callbacks are all lost, by alarm", async () => {
    const job = await createJob(token, datasetId);
    const stub = trainingJobStub(env, job.id);
    expect(await stub.nextPollAt()).not.toBeNull();
    await setDelivery(job.providerJobId ?? "", "drop");
    expect(await advance(job.providerJobId ?? "", { to: "succeeded" })).toEqual([]);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const done = await getJob(token, job.id);
    expect(done.status).toBe("registered");
    expect(done.modelVersionId).toMatch(/^mv_/);
    // Nothing left to watch.
    expect(await stub.nextPollAt()).toBeNull();
  });

  it("keeps polling while the job runs", async () => {
    const job = await createJob(token, datasetId);
    await setDelivery(job.providerJobId ?? "", "drop");
    await advance(job.providerJobId ?? "", { steps: 2 });
    const stub = trainingJobStub(env, job.id);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await getJob(token, job.id)).toMatchObject({ status: "running", progress: 0.5 });
    expect(await stub.nextPollAt()).not.toBeNull();
  });
});

describe("the openai-compatible adapter", () => {
  it("uploads the file, creates a fine-tuning job and follows it by polling to registered", async () => {
    const job = await createJob(token, datasetId, { provider: "openai", baseModel: "gpt-4o-mini", modelKey: "oa-reply" });
    expect(job).toMatchObject({ status: "validating", providerStatus: "validating_files" });
    expect(job.providerJobId).toMatch(/^ftjob-/);
    expect((await simJob(job.providerJobId ?? "")).training_file).toMatch(/^file-/);
    const stub = trainingJobStub(env, job.id);
    await advance(job.providerJobId ?? "", { steps: 2 });
    await runDurableObjectAlarm(stub);
    expect((await getJob(token, job.id)).status).toBe("running");
    await advance(job.providerJobId ?? "", { to: "succeeded" });
    await runDurableObjectAlarm(stub);
    const done = await getJob(token, job.id);
    expect(done).toMatchObject({ status: "registered", fineTunedModel: `ft:gpt-4o-mini:leads:${job.providerJobId}`, servingBaseUrl: env.OPENAI_BASE_URL });
    expect(done.costNanoUsd).toBe(60_000_000);
  });

  it("has no callbacks: a signed post for such a job is refused", async () => {
    const job = await createJob(token, datasetId, { provider: "openai", baseModel: "gpt-4o-mini" });
    const { signedAs } = await import("./helpers");
    const r = await relay(job.id, await signedAs(job.id, { type: "job.updated", data: { id: job.providerJobId, status: "succeeded" } }));
    expect(r.status).toBe(400);
  });
});

describe("cancel", () => {
  it("cancels at the provider, refuses a second cancel, and drops late callbacks", async () => {
    const job = await createJob(token, datasetId);
    const early = await advance(job.providerJobId ?? "");
    const cancelled = expectOk(await call("POST", `/training-jobs/${job.id}/cancel`, { token }), 200, Job);
    expect(cancelled.status).toBe("cancelled");
    expect((await simJob(job.providerJobId ?? "")).status).toBe("cancelled");
    expectError(await call("POST", `/training-jobs/${job.id}/cancel`, { token }), 409, "conflict");
    expect(CallbackAnswer.parse((await relay(job.id, early[0]!)).body)).toMatchObject({ applied: false, status: "cancelled" });
  });
});

describe("timeout", () => {
  it("times a job out when it has not moved for its timeout, and cancels it at the provider", async () => {
    const job = await createJob(token, datasetId, { timeoutHours: 1 });
    const deps = { env, db: makeDb(env.DB), now: () => Date.now() + 2 * 3_600_000 };
    const outcome = await pollJob(deps, job.id);
    expect(outcome).toMatchObject({ again: false, status: "timed_out" });
    const out = await getJob(token, job.id);
    expect(out.status).toBe("timed_out");
    expect(out.error?.code).toBe("timed_out");
    expect((await simJob(job.providerJobId ?? "")).status).toBe("cancelled");
  });

  it("does not time out a job that is still within its window", async () => {
    const job = await createJob(token, datasetId, { timeoutHours: 1 });
    const outcome = await pollJob({ env, db: makeDb(env.DB), now: () => Date.now() + 30 * 60_000 }, job.id);
    expect(outcome).toMatchObject({ again: true, status: "queued" });
  });
});
