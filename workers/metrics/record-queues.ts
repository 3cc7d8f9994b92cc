/**
 * Retries of queue messages: the batch a consumer gets is wrapped so that every message it
 * hands back (`msg.retry()`, `batch.retryAll()`) counts in auterity_queue_retries_total
 * under the batch's queue, whichever consumer and code path did it.
 */
import { metrics } from "./buffer";

function counted(queue: string, msg: Message<unknown>): Message<unknown> {
  return {
    get id() {
      return msg.id;
    },
    get timestamp() {
      return msg.timestamp;
    },
    get body() {
      return msg.body;
    },
    get attempts() {
      return msg.attempts;
    },
    ack: () => msg.ack(),
    retry: (options?: QueueRetryOptions) => {
      metrics.inc("auterity_queue_retries_total", { queue, kind: "message" });
      msg.retry(options);
    },
  };
}

/** `batch`, with its retries counted. */
export function countingRetries(batch: MessageBatch<unknown>): MessageBatch<unknown> {
  const messages = batch.messages.map((m) => counted(batch.queue, m));
  return {
    messages,
    get queue() {
      return batch.queue;
    },
    get metadata() {
      return batch.metadata;
    },
    ackAll: () => batch.ackAll(),
    retryAll: (options?: QueueRetryOptions) => {
      metrics.inc("auterity_queue_retries_total", { queue: batch.queue, kind: "message" }, batch.messages.length);
      batch.retryAll(options);
    },
  };
}
