/**
 * Cancelling a job: ask the provider, then apply its answer under the usual forward-only
 * rules (a job that finished meanwhile stays finished).
 */
import { AppError } from "../../errors";
import { canCancel } from "./lifecycle";
import { getJob, type JobRow, statusOf, type TrainingDeps } from "./jobs";
import { observe } from "./observe";
import { providerFor } from "./providers";

export async function cancelTrainingJob(deps: TrainingDeps & { tenantId: string }, id: string): Promise<JobRow> {
  const job = await getJob({ db: deps.db, tenantId: deps.tenantId }, id);
  if (!canCancel(statusOf(job))) throw new AppError("conflict", `The job is already ${job.status}`);
  if (!job.providerJobId) throw new AppError("conflict", "The job has not reached its provider yet");
  const { provider, cfg } = providerFor(deps.env, job.provider);
  const snap = await provider.cancel(cfg, job.providerJobId);
  return (await observe(deps, job, snap, "cancel")).job;
}
