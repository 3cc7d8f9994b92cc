/**
 * Standard Webhooks signatures: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`
 * keyed by the base64 part of a `whsec_…` secret. Several secrets (during a rotation)
 * give several space-separated signatures; a receiver accepts any one that verifies.
 */
import { fromBase64, toBase64 } from "../lib/crypto";

const PREFIX = "whsec_";
const SECRET_BYTES = 32;
const encoder = new TextEncoder();

/** A new signing secret, `whsec_` + base64 of 32 random bytes. */
export function generateSecret(): string {
  return PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
}

/** The HMAC key bytes of a secret (with or without the `whsec_` prefix); throws if not base64. */
export function secretKeyBytes(secret: string): Uint8Array {
  const b64 = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  const bytes = fromBase64(b64);
  if (bytes.byteLength === 0) throw new Error("empty webhook secret");
  return bytes;
}

async function hmac(secret: string, content: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", secretKeyBytes(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return toBase64(new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(content))));
}

/** One `v1,<base64>` signature of a message. `timestamp` is in seconds. */
export async function signPayload(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  return `v1,${await hmac(secret, `${id}.${timestamp}.${body}`)}`;
}

/** The `webhook-signature` header: one signature per secret, space-separated. */
export async function signatureHeader(secrets: readonly string[], id: string, timestamp: number, body: string): Promise<string> {
  const sigs = await Promise.all(secrets.map((s) => signPayload(s, id, timestamp, body)));
  return sigs.join(" ");
}

/** The three Standard Webhooks headers for a message. */
export async function webhookHeaders(secrets: readonly string[], id: string, timestampSeconds: number, body: string): Promise<Record<string, string>> {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": await signatureHeader(secrets, id, timestampSeconds, body),
  };
}
