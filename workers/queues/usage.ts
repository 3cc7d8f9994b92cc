/**
 * Consumer of "auterity-usage": writes gateway usage events to D1 in one batch per delivery.
 * The event id is the primary key and inserts skip existing ids, so a redelivered message
 * never counts twice.
 */
import { usageEvents } from "../../d1/schema";
import { makeDb, type Db } from "../db";
import { priceFor } from "../gateway/pricing";
import { usageEventSchema, type UsageEvent } from "../gateway/usage";
import { isHealthProbe } from "../health/probe-message";
import { log } from "../lib/log";
import { publishUsageRecorded } from "../live/usage";
import { countRecordedUsage, insertedRows } from "../metrics/record-gateway";
import { inMessageContext } from "./log-context";
import type { QueueConsumer } from "./index";

type Row = typeof usageEvents.$inferInsert;

// Records where the price came from, so a zero cost for lack of a price is visible in the
// row. Producers should say; when one does not, the price is looked up again (cached).
async function withPriceSource(db: Db, e: UsageEvent): Promise<Row> {
  if (e.priceSource) return e;
  if (!e.provider || !e.modelServed) return { ...e, priceSource: null };
  const { source } = await priceFor(db, e.tenantId, e.provider, e.modelServed, e.createdAt);
  // A cost was charged, so a price existed under a name other than the provider's (a tenant
  // key for a built-in provider is priced as that provider): known, but not which one.
  return { ...e, priceSource: source === "unknown" && e.costNanoUsd > 0 ? null : source };
}

function parseAll(batch: MessageBatch<unknown>): { msg: Message<unknown>; event: UsageEvent }[] {
  const valid: { msg: Message<unknown>; event: UsageEvent }[] = [];
  for (const msg of batch.messages) {
    inMessageContext(msg, () => {
      // The readiness check's probe proves the queue takes messages; it is not usage.
      if (isHealthProbe(msg.body)) {
        log.debug("health probe acknowledged", { queue: batch.queue });
        msg.ack();
        return;
      }
      const parsed = usageEventSchema.safeParse(msg.body);
      if (parsed.success) {
        valid.push({ msg, event: parsed.data });
      } else {
        // Retrying a message that can never parse only delays the good ones behind it.
        log.error("malformed usage event dropped", { queue: batch.queue, messageId: msg.id, issues: parsed.error.issues.slice(0, 5) });
        msg.ack();
      }
    });
  }
  return valid;
}

/** Writes a delivery of usage events; acks what was written or unreadable, retries on a D1 failure. */
export const consumeUsage: QueueConsumer = async (batch, env, ctx) => {
  const valid = parseAll(batch);
  if (valid.length === 0) return;
  const db = makeDb(env.DB);
  try {
    const rows = await Promise.all(valid.map(({ event }) => withPriceSource(db, event)));
    const [first, ...rest] = rows.map((row) => db.insert(usageEvents).values(row).onConflictDoNothing({ target: usageEvents.id }));
    if (first) {
      const written = insertedRows(rows, await db.batch([first, ...rest]));
      countRecordedUsage(written);
      ctx.waitUntil(publishUsageRecorded(env, written));
    }
  } catch (err) {
    // D1 being unavailable is transient: hand the batch back to the queue (dead-letter after max_retries).
    log.error("usage batch insert failed; retrying", { queue: batch.queue, size: valid.length, err });
    for (const { msg } of valid) msg.retry();
    return;
  }
  for (const { msg } of valid) msg.ack();
};
