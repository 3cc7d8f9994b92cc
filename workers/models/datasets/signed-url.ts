/**
 * Expiring signed URLs a GPU provider downloads a dataset from without credentials:
 * /hooks/training/datasets/{id}?tenant=…&expires=…&sig=… where sig is an HMAC (keyed from
 * MASTER_KEY) over tenant, id and expiry.
 */
import { toBase64, timingSafeEqual } from "../../lib/crypto";

/** Long enough for a provider's queue; short enough that a leaked URL soon stops working. */
export const DATASET_URL_TTL_MS = 24 * 60 * 60 * 1000;

const keys = new Map<string, Promise<CryptoKey>>();

function keyFor(masterKey: string): Promise<CryptoKey> {
  let key = keys.get(masterKey);
  if (!key) {
    const material = new TextEncoder().encode(`auterity/dataset-url/${masterKey}`);
    key = crypto.subtle.importKey("raw", material, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keys.set(masterKey, key);
  }
  return key;
}

async function sign(masterKey: string, tenantId: string, id: string, expires: number): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await keyFor(masterKey), new TextEncoder().encode(`${tenantId}.${id}.${expires}`));
  return toBase64(new Uint8Array(mac)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A download URL for the dataset under `origin`, valid until now + ttl. */
export async function signedDatasetUrl(masterKey: string, origin: string, tenantId: string, id: string, now: number, ttlMs = DATASET_URL_TTL_MS): Promise<string> {
  const expires = now + ttlMs;
  const sig = await sign(masterKey, tenantId, id, expires);
  const q = new URLSearchParams({ tenant: tenantId, expires: String(expires), sig });
  return `${origin}/hooks/training/datasets/${encodeURIComponent(id)}?${q}`;
}

/** True when the signature matches and the URL has not expired. */
export async function verifyDatasetUrl(masterKey: string, q: { tenantId: string; id: string; expires: number; sig: string }, now: number): Promise<boolean> {
  const expected = await sign(masterKey, q.tenantId, q.id, q.expires);
  return timingSafeEqual(expected, q.sig) && q.expires > now;
}
