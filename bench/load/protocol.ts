/**
 * What a load process is told (as one JSON argument) and what it prints back (one JSON
 * line), parsed on both sides.
 */
import { z } from "zod";

const common = {
  url: z.url(),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
  warmupSec: z.number().min(0).max(30),
  durationSec: z.number().min(1).max(60),
};

export const httpLoadSpec = z.object({ ...common, connections: z.number().int().min(1).max(1000) });
export type HttpLoadSpec = z.infer<typeof httpLoadSpec>;

export const streamLoadSpec = z.object({ ...common, concurrency: z.number().int().min(1).max(1000), maxStreams: z.number().int().min(1).max(1_000_000) });
export type StreamLoadSpec = z.infer<typeof streamLoadSpec>;

const summary = z.object({ count: z.number(), mean: z.number().nullable(), p50: z.number().nullable(), p90: z.number().nullable(), p99: z.number().nullable(), max: z.number().nullable() });

export const httpLoadResult = z.object({
  connections: z.number(),
  /** 2xx responses during the warm-up (they cost the server CPU too). */
  warmupOk: z.number(),
  seconds: z.number(),
  ok: z.number(),
  rps: z.number(),
  latencyMs: summary,
  non2xx: z.number(),
  errors: z.number(),
  timeouts: z.number(),
  statusCodes: z.record(z.string(), z.number()),
});
export type HttpLoadResult = z.infer<typeof httpLoadResult>;

export const streamLoadResult = z.object({
  concurrency: z.number(),
  /** Streams completed during the warm-up. */
  warmupOk: z.number(),
  seconds: z.number(),
  ok: z.number(),
  failed: z.number(),
  streamsPerSec: z.number(),
  ttfbMs: summary,
  ttftMs: summary,
  totalMs: summary,
});
export type StreamLoadResult = z.infer<typeof streamLoadResult>;
