/**
 * Worker entry: HTTP, queue and cron handlers, and the Durable Object classes.
 */
import { app } from "./app";
import { handleQueue } from "./queues";
import { runWebhookSweep } from "./webhooks/sweep";

export { ProviderHealth } from "../durable-objects/provider-health";
export { TenantLedger } from "../durable-objects/tenant-ledger";

export default {
  fetch: app.fetch,
  queue: handleQueue,
  async scheduled(_controller, _env, _ctx) {
    // Cron work (reservation sweeps, workflow triggers) registers here as it lands.
    _ctx.waitUntil(runWebhookSweep(_env));
  },
} satisfies ExportedHandler<Env>;
