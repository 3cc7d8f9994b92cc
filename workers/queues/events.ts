/**
 * Consumer of "auterity-events" (and its dead-letter queue): starts and wakes the workflows
 * the event concerns, fans it out to webhook messages and queues their first attempts. Writing is idempotent, so a
 * redelivered event completes what an earlier run left undone and duplicates nothing.
 */
import { makeDb } from "../db";
import { platformEventSchema } from "../events/publish";
import { fanOutEvent, targetLookup } from "../webhooks/fanout";
import { type DeliveryJob, type Enqueue, queueEnqueue } from "../webhooks/jobs";
import { engineDeps } from "../workflows/engine/deps";
import { runJobs } from "../workflows/engine/jobs";
import { dispatchEventToWorkflows } from "../workflows/triggers/events";
import { log } from "../lib/log";
import type { QueueConsumer } from "./index";
import { inMessageContext } from "./log-context";

/** The events consumer with its clock injected (tests control time). */
export function eventsConsumer(now: () => number = Date.now): QueueConsumer {
  return async (batch, env, ctx) => {
    const db = makeDb(env.DB);
    const deps = engineDeps(env, (p) => ctx.waitUntil(p), now);
    const lookup = targetLookup(db);
    const written: { msg: Message<unknown>; jobs: DeliveryJob[] }[] = [];
    await Promise.all(
      batch.messages.map((msg) =>
        inMessageContext(msg, async () => {
          const parsed = platformEventSchema.safeParse(msg.body);
          if (!parsed.success) {
            // An event that can never parse would only block the queue behind it.
            log.error("malformed platform event dropped", { queue: batch.queue, messageId: msg.id, issues: parsed.error.issues.slice(0, 5) });
            msg.ack();
            return;
          }
          try {
            // Workflows first: starting runs and waking waits is idempotent per event id, like fan-out.
            await runJobs(deps, await dispatchEventToWorkflows(deps, parsed.data), { inline: false });
            written.push({ msg, jobs: await fanOutEvent(db, parsed.data, now(), lookup) });
          } catch (err) {
            log.error("event fan-out failed; retrying", { queue: batch.queue, eventId: parsed.data.id, type: parsed.data.type, err });
            msg.retry();
          }
        }),
      ),
    );
    await enqueueThenAck(queueEnqueue(env.WEBHOOK_QUEUE), written, batch.queue);
  };
}

// One send for the whole batch. If it fails, the events are retried: fan-out is idempotent
// and hands back exactly the jobs not attempted yet.
async function enqueueThenAck(enqueue: Enqueue, written: { msg: Message<unknown>; jobs: DeliveryJob[] }[], queue: string): Promise<void> {
  try {
    await enqueue(written.flatMap((w) => w.jobs));
    for (const w of written) w.msg.ack();
  } catch (err) {
    log.error("enqueueing deliveries failed; retrying events", { queue, size: written.length, err });
    for (const w of written) w.msg.retry();
  }
}

export const consumeEvents: QueueConsumer = eventsConsumer();
