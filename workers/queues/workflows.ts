/**
 * Consumers of "auterity-workflows" (one message per step to run or wake) and of its
 * dead-letter queue. A message that throws is retried by the queue; the step run's row
 * decides whether anything is left to do, so redeliveries are harmless.
 */
import { z } from "zod";
import { engineDeps } from "../workflows/engine/deps";
import { failRun } from "../workflows/engine/advance";
import { runJobs } from "../workflows/engine/jobs";
import { job, StepMessageSchema } from "../workflows/engine/messages";
import { failStep, loadRun, loadStep, TERMINAL } from "../workflows/engine/rows";
import { log } from "../lib/log";
import type { QueueConsumer } from "./index";
import { inMessageContext } from "./log-context";

/** The consumer with its clock injected (tests move time). */
export function workflowConsumer(now: () => number = Date.now): QueueConsumer {
  return async (batch, env, ctx) => {
    const deps = engineDeps(env, (p) => ctx.waitUntil(p), now);
    await Promise.all(
      batch.messages.map((msg) =>
        inMessageContext(msg, async () => {
          const parsed = StepMessageSchema.safeParse(msg.body);
          if (!parsed.success) {
            log.error("malformed workflow message dropped", { queue: batch.queue, messageId: msg.id, issues: parsed.error.issues.slice(0, 5) });
            msg.ack();
            return;
          }
          try {
            await runJobs(deps, [job(parsed.data, 0, true)], { inline: true });
            msg.ack();
          } catch (err) {
            log.error("workflow step message failed; retrying", { runId: parsed.data.runId, stepId: parsed.data.stepId, attempt: msg.attempts, err });
            msg.retry({ delaySeconds: Math.min(60, 2 ** msg.attempts) });
          }
        }),
      ),
    );
  };
}

const FailedRecord = z.object({ type: z.literal("failed"), runId: z.string(), tenantId: z.string(), stepId: z.string().nullable() });

/**
 * Dead letters: a step message that could not be processed after its deliveries errors
 * its run (re-runnable from that step); records of steps that failed past their retry
 * limit are already settled and only logged.
 */
export function workflowDeadLetterConsumer(now: () => number = Date.now): QueueConsumer {
  return async (batch, env, ctx) => {
    const deps = engineDeps(env, (p) => ctx.waitUntil(p), now);
    for (const msg of batch.messages) {
      await inMessageContext(msg, async () => {
        const failed = FailedRecord.safeParse(msg.body);
        if (failed.success) {
          log.warn("workflow step failed past its retries", failed.data);
          msg.ack();
          return;
        }
        const parsed = StepMessageSchema.safeParse(msg.body);
        if (!parsed.success) {
          log.error("malformed workflow dead letter dropped", { queue: batch.queue, messageId: msg.id, issues: parsed.error.issues.slice(0, 5) });
          msg.ack();
          return;
        }
        const { tenantId, runId, stepId, iteration } = parsed.data;
        const run = await loadRun(deps.db, tenantId, runId);
        if (run && !TERMINAL.has(run.status)) {
          const error = { code: "delivery_failed", message: "The step could not be processed after repeated deliveries", retryable: false };
          log.warn("workflow step undeliverable; run errored", { runId, stepId, iteration });
          const row = await loadStep(deps.db, runId, stepId, iteration);
          if (row) await failStep(deps.db, row, error, deps.now());
          await runJobs(deps, await failRun(deps, run, stepId, error), { inline: false });
        }
        msg.ack();
      });
    }
  };
}

export const consumeWorkflowSteps: QueueConsumer = workflowConsumer();
export const consumeWorkflowDeadLetters: QueueConsumer = workflowDeadLetterConsumer();
