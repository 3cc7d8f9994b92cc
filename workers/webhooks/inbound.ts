/**
 * Verifying webhooks the platform receives (e.g. a training provider's callbacks) when
 * the sender signs the Standard Webhooks way. Refuses bad signatures, timestamps outside
 * the tolerance (either direction) and ids already accepted.
 */
import { timingSafeEqual } from "../lib/crypto";
import { signPayload } from "./signing";

export type InboundRefusal = "missing_headers" | "bad_timestamp" | "stale" | "future" | "bad_signature" | "replayed";

export type InboundResult = { ok: true; id: string; timestamp: number } | { ok: false; reason: InboundRefusal };

export type InboundInput = {
  /** Every secret currently valid for this sender (two during a rotation). */
  secrets: readonly string[];
  headers: Headers | Record<string, string | undefined>;
  /** The raw body, exactly as received. */
  body: string;
  /** Epoch ms. */
  now: number;
  toleranceSeconds?: number;
  /**
   * Called only once the signature verifies: true when this id was accepted before.
   * Implementations record the id as they answer (see `kvReplayGuard`).
   */
  seen: (id: string) => Promise<boolean>;
};

function headerOf(headers: InboundInput["headers"], name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  return headers[name] ?? headers[name.toLowerCase()];
}

async function anySignatureMatches(secrets: readonly string[], id: string, ts: number, body: string, header: string): Promise<boolean> {
  const offered = header.split(" ").filter((s) => s.startsWith("v1,"));
  let match = false;
  for (const secret of secrets) {
    const expected = await signPayload(secret, id, ts, body);
    // Compare against every offered signature so the time taken does not reveal which matched.
    for (const sig of offered) match = timingSafeEqual(sig, expected) || match;
  }
  return match;
}

/** Verifies an inbound Standard Webhooks request; never throws for a bad request. */
export async function verifyInboundWebhook(input: InboundInput): Promise<InboundResult> {
  const id = headerOf(input.headers, "webhook-id");
  const tsText = headerOf(input.headers, "webhook-timestamp");
  const sigHeader = headerOf(input.headers, "webhook-signature");
  if (!id || !tsText || !sigHeader) return { ok: false, reason: "missing_headers" };
  if (!/^\d{1,12}$/.test(tsText)) return { ok: false, reason: "bad_timestamp" };
  const ts = Number(tsText);
  const tolerance = input.toleranceSeconds ?? 300;
  const nowSeconds = Math.floor(input.now / 1000);
  if (ts < nowSeconds - tolerance) return { ok: false, reason: "stale" };
  if (ts > nowSeconds + tolerance) return { ok: false, reason: "future" };
  const valid = input.secrets.length > 0 && (await anySignatureMatches(input.secrets, id, ts, input.body, sigHeader));
  if (!valid) return { ok: false, reason: "bad_signature" };
  if (await input.seen(id)) return { ok: false, reason: "replayed" };
  return { ok: true, id, timestamp: ts };
}

/**
 * A `seen` for verifyInboundWebhook backed by KV: remembers each accepted id for
 * `ttlSeconds` (at least the timestamp tolerance, after which the timestamp check refuses
 * a replay anyway). KV is eventually consistent across locations, so two copies arriving
 * at once in different places could both pass; handlers stay idempotent on the id too.
 */
export function kvReplayGuard(kv: KVNamespace, namespace: string, ttlSeconds = 600): (id: string) => Promise<boolean> {
  return async (id) => {
    const key = `webhook-seen:${namespace}:${id}`;
    if ((await kv.get(key)) !== null) return true;
    await kv.put(key, "1", { expirationTtl: Math.max(60, ttlSeconds) });
    return false;
  };
}
