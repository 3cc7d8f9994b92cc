/**
 * Worker entry: HTTP, queue and cron handlers, and the Durable Object classes.
 */
import { app } from "./app";
import { handleQueue } from "./queues";
import { runWebhookSweep } from "./webhooks/sweep";
import { runWorkflowCron } from "./workflows/scheduled";
import { runCanaryMonitor } from "./models/registry/monitor";
import { runAnomalyDetection } from "./operations/run-detection";
import { withLogContext } from "./lib/log";
import { flushMetricsSoon } from "./metrics/flush";
import { countingRetries } from "./metrics/record-queues";

export { ProviderHealth } from "../durable-objects/provider-health";
export { TenantLedger } from "../durable-objects/tenant-ledger";
export { LiveHub } from "../durable-objects/live-hub";
export { TrainingJob } from "../durable-objects/training-job";
export { MetricsStore } from "../durable-objects/metrics-store";

export default {
  fetch: app.fetch,
  // Messages handed back to the queue are counted; what the batch counted is flushed once it is done.
  queue: (batch, env, ctx) => handleQueue(countingRetries(batch), env, ctx).finally(() => flushMetricsSoon(env, (p) => ctx.waitUntil(p))),
  async scheduled(controller, env, ctx) {
    // Every line the run writes carries its id, cron:<scheduled time>.
    const work = withLogContext({ requestId: `cron:${new Date(controller.scheduledTime).toISOString()}` }, () => [
      runWebhookSweep(env),
      runWorkflowCron(env, (p) => ctx.waitUntil(p)),
      runCanaryMonitor(env),
      runAnomalyDetection(env),
    ]);
    for (const w of work) ctx.waitUntil(w);
    // Once the run's work is done, whatever it counted goes to the metrics store.
    ctx.waitUntil(Promise.allSettled(work).then(() => flushMetricsSoon(env, (p) => ctx.waitUntil(p))));
  },
} satisfies ExportedHandler<Env>;
