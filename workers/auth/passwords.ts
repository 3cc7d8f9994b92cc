/**
 * Password hashing: PBKDF2-SHA256 through WebCrypto, stored as
 * `pbkdf2$sha256$<iterations>$<salt b64>$<hash b64>`. The iteration count travels with
 * the hash so it can be raised later without breaking stored passwords.
 */
import { fromBase64, toBase64, timingSafeEqual } from "../lib/crypto";

/** workerd refuses PBKDF2 above 100000 iterations. */
export const PBKDF2_ITERATIONS = 100_000;
export const MIN_PASSWORD_LENGTH = 10;
const SALT_BYTES = 16;
const HASH_BITS = 256;
const STORED = /^pbkdf2\$sha256\$(\d{1,7})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, material, HASH_BITS);
  return new Uint8Array(bits);
}

/** Hashes a password with a fresh random salt. */
export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, iterations);
  return `pbkdf2$sha256$${iterations}$${toBase64(salt)}$${toBase64(hash)}`;
}

/** Checks a password against a stored hash in constant time; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = STORED.exec(stored);
  if (!m?.[1] || !m[2] || !m[3]) return false;
  const iterations = Number(m[1]);
  if (iterations < 1 || iterations > PBKDF2_ITERATIONS) return false;
  const hash = await derive(password, fromBase64(m[2]), iterations);
  return timingSafeEqual(toBase64(hash), m[3]);
}

let dummyHash: Promise<string> | null = null;

/**
 * Spends the same work as a real check, so "no such user" and "wrong password" cannot be
 * told apart by response time.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword("auterity-dummy-password");
  await verifyPassword(password, await dummyHash);
  return false;
}
