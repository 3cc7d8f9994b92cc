/**
 * Exact-match response cache in KV. Opt-in, per routing rule or per request header; the
 * key is a hash of everything in the request that can change the answer, scoped to the
 * tenant and the wire format. Entries carry their own expiry, so a TTL shorter than KV's
 * 60-second minimum still holds.
 */
import { z } from "zod";
import { AppError } from "../errors";
import { sha256Hex } from "../lib/crypto";
import { isObject } from "./translate/json";
import type { WireFormat } from "./translate/types";

export { cachedAsStream } from "./cache/replay";

export type CacheDecision = { enabled: boolean; ttlSeconds: number };

export type CachedAnswer = {
  /** The answer as the client received it, in the request's wire format. */
  body: unknown;
  provider: string;
  model: string;
  storedAt: number;
  usage: { inputTokens: number; outputTokens: number; cachedTokens: number };
};

/** TTL when a request opts in without saying how long. */
export const DEFAULT_CACHE_TTL_SECONDS = 300;
export const MAX_CACHE_TTL_SECONDS = 7 * 24 * 3600;
/** KV refuses shorter expirations; freshness below it is checked on read. */
const KV_MIN_TTL_SECONDS = 60;
/** Larger answers (in UTF-16 units, well under KV's 25 MiB value limit) are simply not cached. */
const MAX_ENTRY_CHARS = 1024 * 1024;

const CacheSwitch = z.enum(["on", "off"], { error: "x-auterity-cache must be 'on' or 'off'" });
const CacheTtl = z.coerce
  .number({ error: "x-auterity-cache-ttl must be a number of seconds" })
  .int("x-auterity-cache-ttl must be a whole number of seconds")
  .min(1, "x-auterity-cache-ttl must be at least 1 second")
  .max(MAX_CACHE_TTL_SECONDS, `x-auterity-cache-ttl must be at most ${MAX_CACHE_TTL_SECONDS} seconds (7 days)`);

function header<T>(headers: Headers, name: string, schema: z.ZodType<T>): T | undefined {
  const raw = headers.get(name);
  if (raw === null) return undefined;
  const parsed = schema.safeParse(raw.trim().toLowerCase());
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues[0]?.message ?? `${name} is invalid`;
  throw new AppError("validation_failed", message, [{ path: name, message }]);
}

function clampTtl(seconds: number): number {
  return Math.min(MAX_CACHE_TTL_SECONDS, Math.max(1, Math.floor(seconds)));
}

/**
 * Whether to use the cache for this request, and for how long. `x-auterity-cache: off`
 * always wins; `on` opts in without a rule; a TTL header alone opts nothing in.
 * Malformed headers answer 400 rather than being silently ignored.
 */
export function cacheDecision(headers: Headers, rule: { ttlSeconds: number } | null): CacheDecision {
  const onOff = header(headers, "x-auterity-cache", CacheSwitch);
  const ttl = header(headers, "x-auterity-cache-ttl", CacheTtl);
  const enabled = onOff === "on" || (onOff === undefined && rule !== null);
  return { enabled, ttlSeconds: clampTtl(ttl ?? rule?.ttlSeconds ?? DEFAULT_CACHE_TTL_SECONDS) };
}

/** Fields that shape how an answer is delivered or attributed, not what it says. */
const IGNORED = new Set(["stream", "stream_options", "user", "metadata"]);

// Objects with their keys sorted, so key order in the request never changes the key.
function sortedKeys(_key: string, value: unknown): unknown {
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) out[k] = value[k];
  return out;
}

/** Canonical JSON: sorted keys at every depth, no whitespace. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, sortedKeys);
}

/** The KV key of a request: the tenant in the clear (for listing), a hash of the rest. */
export async function cacheKey(tenantId: string, format: WireFormat, body: Record<string, unknown>): Promise<string> {
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (!IGNORED.has(k)) kept[k] = v;
  const digest = await sha256Hex(`${tenantId}\n${format}\n${canonicalJson(kept)}`);
  return `gw-cache:${tenantId}:${digest}`;
}

const Entry = z.object({
  v: z.literal(1),
  expiresAt: z.number(),
  answer: z.object({
    body: z.unknown(),
    provider: z.string(),
    model: z.string(),
    storedAt: z.number(),
    usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), cachedTokens: z.number() }),
  }),
});

/** The stored answer for `key`, or null when there is none, it has expired, or it is unreadable. */
export async function cacheGet(kv: KVNamespace, key: string, now = Date.now()): Promise<CachedAnswer | null> {
  const raw: unknown = await kv.get(key, "json").catch(() => null);
  const entry = Entry.safeParse(raw);
  if (!entry.success || entry.data.expiresAt <= now) return null;
  return entry.data.answer;
}

/** Stores `answer` under `key` for `ttlSeconds`. */
export async function cachePut(kv: KVNamespace, key: string, answer: CachedAnswer, ttlSeconds: number, now = Date.now()): Promise<void> {
  const ttl = clampTtl(ttlSeconds);
  const value = JSON.stringify({ v: 1, expiresAt: now + ttl * 1000, answer });
  if (value.length > MAX_ENTRY_CHARS) return;
  await kv.put(key, value, { expirationTtl: Math.max(KV_MIN_TTL_SECONDS, ttl) });
}
