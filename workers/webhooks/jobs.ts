/**
 * The message on "auterity-webhooks": deliver attempt `attempt` of message `messageId`.
 * A job whose attempt number is no longer the next one is stale and dropped, so a
 * duplicate (a redelivery, a sweep racing a delayed send) never causes a second attempt.
 */
import { z } from "zod";

export const deliveryJobSchema = z.object({
  v: z.literal(1),
  messageId: z.string().startsWith("msg_"),
  attempt: z.number().int().min(1),
});

export type DeliveryJob = z.infer<typeof deliveryJobSchema>;

/** Puts delivery jobs on the queue, after `delaySeconds` when given. */
export type Enqueue = (jobs: readonly DeliveryJob[], delaySeconds?: number) => Promise<void>;

/** Queues cap a message's delay at 12 hours; later attempts wait for a redelivery or the sweep. */
export const MAX_QUEUE_DELAY_SECONDS = 12 * 3600;
const SEND_BATCH_LIMIT = 100;

export function job(messageId: string, attempt: number): DeliveryJob {
  return { v: 1, messageId, attempt };
}

/** An Enqueue that sends to a Queue binding in batches. */
export function queueEnqueue(queue: Queue): Enqueue {
  return async (jobs, delaySeconds = 0) => {
    const delay = Math.min(Math.max(0, Math.ceil(delaySeconds)), MAX_QUEUE_DELAY_SECONDS);
    for (let i = 0; i < jobs.length; i += SEND_BATCH_LIMIT) {
      const chunk = jobs.slice(i, i + SEND_BATCH_LIMIT).map((body) => ({ body, contentType: "json" as const, ...(delay > 0 ? { delaySeconds: delay } : {}) }));
      await queue.sendBatch(chunk);
    }
  };
}
