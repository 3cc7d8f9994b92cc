/**
 * Consumer of "auterity-webhooks": one delivery attempt per job, the batch's jobs in
 * parallel (each may wait up to the 15 s timeout). A job is acked once its outcome is
 * stored; only a storage failure hands it back to the queue, and the cron sweep catches
 * whatever the queue loses.
 */
import { makeDb } from "../db";
import { publishEvent } from "../events/publish";
import { deliver, DELIVERY_TIMEOUT_MS, type DeliveryDeps } from "../webhooks/delivery";
import { deliveryJobSchema, queueEnqueue } from "../webhooks/jobs";
import { urlPolicyFor } from "../webhooks/url-policy";
import { log } from "../lib/log";
import { countDelivery } from "../metrics/record-webhooks";
import type { QueueConsumer } from "./index";
import { inMessageContext } from "./log-context";
import { outboundFetch } from "../lib/outbound-fetch";

export type DeliveryClock = { now: () => number; random: () => number };

export type DeliveryOptions = { timeoutMs?: number; fetch?: typeof fetch };

const systemClock: DeliveryClock = { now: Date.now, random: Math.random };

/** Builds what delivery needs from the Worker's bindings. */
export function deliveryDeps(env: Env, clock: DeliveryClock = systemClock, opts: DeliveryOptions = {}): DeliveryDeps {
  return {
    db: makeDb(env.DB),
    masterKey: env.MASTER_KEY,
    policy: urlPolicyFor(env.ENVIRONMENT),
    fetch: opts.fetch ?? outboundFetch,
    now: clock.now,
    random: clock.random,
    timeoutMs: opts.timeoutMs ?? DELIVERY_TIMEOUT_MS,
    enqueue: queueEnqueue(env.WEBHOOK_QUEUE),
    publish: (event) => publishEvent(env, event),
  };
}

/** The delivery consumer with its clock (and optionally timeout and fetch) injected. */
export function webhookDeliveryConsumer(clock: DeliveryClock = systemClock, opts: DeliveryOptions = {}): QueueConsumer {
  return async (batch, env) => {
    const deps = deliveryDeps(env, clock, opts);
    await Promise.all(
      batch.messages.map((msg) =>
        inMessageContext(msg, async () => {
          const parsed = deliveryJobSchema.safeParse(msg.body);
          if (!parsed.success) {
            log.error("malformed delivery job dropped", { queue: batch.queue, messageId: msg.id, issues: parsed.error.issues.slice(0, 5) });
            msg.ack();
            return;
          }
          try {
            countDelivery(await deliver(deps, parsed.data));
            msg.ack();
          } catch (err) {
            log.error("webhook delivery failed to store; retrying", { queue: batch.queue, job: parsed.data, err });
            msg.retry();
          }
        }),
      ),
    );
  };
}

export const consumeWebhookDeliveries: QueueConsumer = webhookDeliveryConsumer();
