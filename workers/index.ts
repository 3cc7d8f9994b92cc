/**
 * Worker entry: HTTP, queue and cron handlers, and the Durable Object classes.
 */
import { app } from "./app";
import { handleQueue } from "./queues";
import { runWebhookSweep } from "./webhooks/sweep";
import { runWorkflowCron } from "./workflows/scheduled";
import { runCanaryMonitor } from "./models/registry/monitor";

export { ProviderHealth } from "../durable-objects/provider-health";
export { TenantLedger } from "../durable-objects/tenant-ledger";
export { LiveHub } from "../durable-objects/live-hub";
export { TrainingJob } from "../durable-objects/training-job";

export default {
  fetch: app.fetch,
  queue: handleQueue,
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(runWebhookSweep(env));
    ctx.waitUntil(runWorkflowCron(env, (p) => ctx.waitUntil(p)));
    ctx.waitUntil(runCanaryMonitor(env));
  },
} satisfies ExportedHandler<Env>;
