/**
 * The queue handler: one consumer per queue, chosen by queue name.
 */
import { consumeUsage } from "./usage";
import { consumeEvents } from "./events";
import { consumeWebhookDeliveries } from "./webhooks";
import { consumeWorkflowDeadLetters, consumeWorkflowSteps } from "./workflows";
import { log } from "../lib/log";
import { inBatchContext } from "./log-context";

export type QueueConsumer = (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => Promise<void>;

const consumers: Record<string, QueueConsumer> = {
  "auterity-usage": consumeUsage,
  "auterity-events": consumeEvents,
  "auterity-events-dlq": consumeEvents,
  "auterity-webhooks": consumeWebhookDeliveries,
  "auterity-workflows": consumeWorkflowSteps,
  "auterity-workflows-dlq": consumeWorkflowDeadLetters,
};

/** Runs the batch's consumer; consumers open a log context per message inside the batch's. */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
  return inBatchContext(batch, async () => {
    // Dead-letter queues share their source's consumer name with a -dlq suffix.
    const consumer = consumers[batch.queue];
    if (!consumer) {
      log.error("no consumer for queue", { queue: batch.queue, size: batch.messages.length });
      batch.retryAll();
      return;
    }
    await consumer(batch, env, ctx);
  });
}
