/**
 * Callback verification: only the job's own secret signs, within the 5-minute window, once
 * per webhook-id; and a callback's claim of a terminal state is checked with the provider.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../../api/helpers";
import { advance, CallbackAnswer, createJob, getJob, type Job, relay, signedAs, tenant, uploadDataset } from "./helpers";

let token: string;
let job: Job;
beforeAll(async () => {
  token = await tenant();
  job = await createJob(token, (await uploadDataset(token)).id);
});

const succeeded = (id: string) => ({ type: "job.updated", data: { id, status: "succeeded", progress: 1, fine_tuned_model: "ft:evil", serving_base_url: "http://127.0.0.1:1/v1" } });

function errorOf(r: { status: number; body: unknown }, status: number, code: string) {
  return expectError({ status: r.status, body: r.body, res: new Response() }, status, code);
}

describe("training callbacks", () => {
  it("refuses a forged signature, a missing one and another job's secret with 401", async () => {
    const body = succeeded(job.providerJobId ?? "");
    const forged = await signedAs(job.id, body, { secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" });
    errorOf(await relay(job.id, forged), 401, "unauthorized");
    errorOf(await relay(job.id, { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }), 401, "unauthorized");
    const other = await createJob(token, job.datasetSha256 ? (await uploadDataset(token)).id : "");
    errorOf(await relay(job.id, await signedAs(other.id, body)), 401, "unauthorized");
    expect((await getJob(token, job.id)).status).toBe("queued");
  });

  it("refuses a timestamp outside the 5-minute window", async () => {
    const old = await signedAs(job.id, succeeded(job.providerJobId ?? ""), { at: Date.now() - 10 * 60_000 });
    errorOf(await relay(job.id, old), 401, "unauthorized");
    const future = await signedAs(job.id, succeeded(job.providerJobId ?? ""), { at: Date.now() + 10 * 60_000 });
    errorOf(await relay(job.id, future), 401, "unauthorized");
  });

  it("answers 404 for an unknown job only to a signed caller, 401 to an unsigned one", async () => {
    const signed = await signedAs("job_doesNotExist000000", succeeded("x"), { secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" });
    errorOf(await relay("job_doesNotExist000000", signed), 404, "not_found");
    errorOf(await relay("job_doesNotExist000000", { headers: {}, body: "{}" }), 401, "unauthorized");
  });

  it("refuses a replayed callback with 409", async () => {
    const cbs = await advance(job.providerJobId ?? "");
    expect((await relay(job.id, cbs[0]!)).status).toBe(200);
    errorOf(await relay(job.id, cbs[0]!), 409, "conflict");
  });

  it("rejects a signed body that is not a job update", async () => {
    errorOf(await relay(job.id, await signedAs(job.id, { type: "something.else" })), 400, "validation_failed");
  });

  it("treats a terminal claim as a hint: the provider's own answer wins", async () => {
    // Signed with the right secret, but the provider says the job is still running.
    const answer = CallbackAnswer.parse((await relay(job.id, await signedAs(job.id, succeeded(job.providerJobId ?? "")))).body);
    expect(answer.status).toBe("running");
    const now = await getJob(token, job.id);
    expect(now.status).toBe("running");
    expect(now.fineTunedModel).toBeNull();
  });
});
