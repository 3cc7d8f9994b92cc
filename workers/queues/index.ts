/**
 * The queue handler: one consumer per queue, chosen by queue name.
 */
import { consumeUsage } from "./usage";
import { consumeEvents } from "./events";
import { consumeWebhookDeliveries } from "./webhooks";
import { consumeWorkflowDeadLetters, consumeWorkflowSteps } from "./workflows";

export type QueueConsumer = (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => Promise<void>;

const consumers: Record<string, QueueConsumer> = {
  "auterity-usage": consumeUsage,
  "auterity-events": consumeEvents,
  "auterity-events-dlq": consumeEvents,
  "auterity-webhooks": consumeWebhookDeliveries,
  "auterity-workflows": consumeWorkflowSteps,
  "auterity-workflows-dlq": consumeWorkflowDeadLetters,
};

export async function handleQueue(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
  // Dead-letter queues share their source's consumer name with a -dlq suffix.
  const consumer = consumers[batch.queue];
  if (!consumer) {
    console.error(JSON.stringify({ level: "error", msg: "no consumer for queue", queue: batch.queue }));
    batch.retryAll();
    return;
  }
  await consumer(batch, env, ctx);
}
