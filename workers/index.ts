/**
 * Worker entry: HTTP, queue and cron handlers, and the Durable Object classes.
 */
import { app } from "./app";
import { handleQueue } from "./queues";

export default {
  fetch: app.fetch,
  queue: handleQueue,
  async scheduled(_controller, _env, _ctx) {
    // Cron work (reservation sweeps, workflow triggers) registers here as it lands.
  },
} satisfies ExportedHandler<Env>;
