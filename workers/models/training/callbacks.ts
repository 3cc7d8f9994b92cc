/**
 * A provider's callback for one job: verified with the job's own secret (Standard Webhooks
 * signature, 5-minute timestamp window, each webhook-id accepted once), then treated as a
 * hint about the job's state. Every verified callback is recorded with what became of it.
 */
import { trainingCallbacks } from "../../../d1/schema";
import { AppError } from "../../errors";
import { newId } from "../../lib/ids";
import { openSecret } from "../../lib/secret-box";
import { kvReplayGuard, verifyInboundWebhook } from "../../webhooks/inbound";
import { findJobById, type JobRow, type TrainingDeps } from "./jobs";
import { observe } from "./observe";
import { providerFor } from "./providers";

export type CallbackAnswer = { accepted: true; applied: boolean; reason: string | null; status: string };

const TOLERANCE_SECONDS = 300;

async function record(deps: TrainingDeps, job: JobRow, e: { webhookId: string; reported: string | null; outcome: "applied" | "dropped" | "replayed"; reason: string | null; statusAfter: string }) {
  await deps.db
    .insert(trainingCallbacks)
    .values({ id: newId("tcb"), tenantId: job.tenantId, jobId: job.id, webhookId: e.webhookId, reportedStatus: e.reported, outcome: e.outcome, reason: e.reason, statusAfter: e.statusAfter, receivedAt: deps.now() })
    .onConflictDoNothing();
}

function unsigned(): AppError {
  return new AppError("unauthorized", "The callback is not signed with this job's secret");
}

async function verify(deps: TrainingDeps, job: JobRow, headers: Headers, body: string): Promise<string> {
  const secret = await openSecret(deps.env.MASTER_KEY, job.callbackSecretEnc);
  const result = await verifyInboundWebhook({
    secrets: [secret], headers, body, now: deps.now(), toleranceSeconds: TOLERANCE_SECONDS,
    seen: kvReplayGuard(deps.env.CACHE, `training:${job.id}`, 2 * TOLERANCE_SECONDS),
  });
  if (result.ok) return result.id;
  if (result.reason === "replayed") {
    const webhookId = headers.get("webhook-id") ?? "";
    await record(deps, job, { webhookId, reported: null, outcome: "replayed", reason: "webhook-id already accepted", statusAfter: job.status });
    throw new AppError("conflict", "This callback was already received (webhook-id replayed)");
  }
  if (result.reason === "stale" || result.reason === "future") throw new AppError("unauthorized", "The callback's timestamp is outside the 5-minute window");
  throw unsigned();
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("invalid_json", "The callback body is not JSON");
  }
}

/**
 * Handles POST /hooks/training/{jobId}. An unsigned caller learns nothing (401 before the
 * job is looked up); a signed one for an unknown job gets 404.
 */
export async function handleTrainingCallback(deps: TrainingDeps, jobId: string, headers: Headers, body: string): Promise<CallbackAnswer> {
  if (!headers.get("webhook-id") || !headers.get("webhook-timestamp") || !headers.get("webhook-signature")) throw unsigned();
  const job = await findJobById(deps.db, jobId);
  if (!job) throw new AppError("not_found", "No such training job");
  const webhookId = await verify(deps, job, headers, body);
  const { provider } = providerFor(deps.env, job.provider);
  const snap = provider.parseCallback(parseBody(body));
  if (!snap) throw new AppError("validation_failed", `Not a ${provider.name} training callback`);
  if (job.providerJobId && snap.providerJobId !== job.providerJobId) {
    await record(deps, job, { webhookId, reported: snap.status, outcome: "dropped", reason: "names another provider job", statusAfter: job.status });
    return { accepted: true, applied: false, reason: "names another provider job", status: job.status };
  }
  const result = await observe(deps, job, snap, "callback");
  const outcome = result.applied ? "applied" : "dropped";
  await record(deps, job, { webhookId, reported: snap.status, outcome, reason: result.reason, statusAfter: result.job.status });
  return { accepted: true, applied: result.applied, reason: result.reason, status: result.job.status };
}
