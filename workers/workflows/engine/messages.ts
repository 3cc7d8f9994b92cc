/**
 * What travels on the workflows queue: "run this step" or "wake this waiting step". The
 * key (run, step, iteration) names the step run; `attempt` is informational, the step
 * run's row is the truth.
 */
import { z } from "zod";

export const StepMessageSchema = z.object({
  type: z.enum(["step", "wake"]),
  v: z.literal(1),
  tenantId: z.string().min(1),
  runId: z.string().min(1),
  stepId: z.string().min(1),
  iteration: z.number().int().nonnegative(),
  attempt: z.number().int().positive(),
});
export type StepMessage = z.infer<typeof StepMessageSchema>;

/** A unit of engine work: a message not yet sent, or run right here when `inline`. */
export type Job = StepMessage & { delayMs: number; inline: boolean };

/** Cloudflare Queues delay a message by at most 12 hours; longer waits are re-sent when they come due early. */
export const MAX_QUEUE_DELAY_S = 12 * 3600;

export function job(fields: Omit<StepMessage, "v">, delayMs = 0, inline = false): Job {
  return { ...fields, v: 1, delayMs: Math.max(0, delayMs), inline };
}

function messageOf(j: Job): MessageSendRequest<StepMessage> {
  const { delayMs: _d, inline: _i, ...body } = j;
  return { body, contentType: "json", delaySeconds: Math.min(MAX_QUEUE_DELAY_S, Math.ceil(j.delayMs / 1000)) };
}

/** Sends jobs to the workflows queue (100 per batch, the Queues limit). */
export async function sendJobs(queue: Queue, jobs: Job[]): Promise<void> {
  for (let i = 0; i < jobs.length; i += 100) await queue.sendBatch(jobs.slice(i, i + 100).map(messageOf));
}
