/**
 * Webhook delivery series, counted by the delivery consumer from each attempt's outcome
 * (the consumer's batch flushes the isolate's buffer when it ends).
 */
import type { DeliveryOutcome } from "../webhooks/delivery";
import { metrics } from "./buffer";

/** Counts an attempt that reached the endpoint; jobs that were stale or early count nothing. */
export function countDelivery(outcome: DeliveryOutcome): void {
  if (outcome !== "delivered" && outcome !== "retrying" && outcome !== "failed") return;
  metrics.inc("auterity_webhook_deliveries_total", { outcome });
  if (outcome === "retrying") metrics.inc("auterity_queue_retries_total", { queue: "auterity-webhooks", kind: "scheduled" });
}
