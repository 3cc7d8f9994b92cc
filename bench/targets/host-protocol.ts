/**
 * What the Miniflare host process (worker-host.ts) is told on start, and the messages it
 * exchanges with the benchmark over IPC.
 */
import { z } from "zod";

export const hostSpec = z.object({
  kind: z.enum(["passthrough", "auterity"]),
  /** The bundled Worker (auterity) or the pass-through source (passthrough). */
  script: z.string(),
  simUrl: z.url(),
  root: z.string(),
  /** Where D1, Durable Object, KV and R2 data live (on disk, as under wrangler dev, not in workerd's memory). */
  stateDir: z.string(),
  /** Opens Miniflare's inspector on this port, for the CPU profiler. */
  inspectorPort: z.number().int().positive().optional(),
});
export type HostSpec = z.infer<typeof hostSpec>;

export const hostMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready"), url: z.string(), workerdPids: z.array(z.number()), gatewayKey: z.string().nullable(), migrations: z.array(z.string()) }),
  z.object({ type: z.literal("usage"), rows: z.number() }),
  z.object({ type: z.literal("failed"), error: z.string() }),
]);
export type HostMessage = z.infer<typeof hostMessage>;

/** The one request the parent sends: how many usage rows has the queue consumer written. */
export const parentMessage = z.object({ type: z.literal("usage") });
