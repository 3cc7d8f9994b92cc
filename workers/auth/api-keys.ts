/**
 * API keys: `sk-aut-<12-char lookup id><32-char secret>`. Shown once; stored as the
 * lookup prefix plus a SHA-256 of the whole key. Verification is cached per isolate
 * for a short time because it sits on every gateway call.
 */
import { and, eq, isNull } from "drizzle-orm";
import { apiKeys, type ApiKeyScope } from "../../d1/schema";
import type { Db, TenantScope } from "../db";
import { AppError } from "../errors";
import { sha256Hex, timingSafeEqual } from "../lib/crypto";
import { newId, randomString } from "../lib/ids";

const KEY_PREFIX = "sk-aut-";
const LOOKUP_LENGTH = KEY_PREFIX.length + 12;
const KEY_PATTERN = /^sk-aut-[0-9A-Za-z]{44}$/;
/** How long a verified key is trusted without asking D1 again (revocation in this isolate is immediate). */
const CACHE_MS = 30_000;

export type VerifiedKey = { id: string; tenantId: string; scopes: ApiKeyScope[]; tags: string[] };
type CacheEntry = { hash: string; key: VerifiedKey | null; expiresAt: number | null; until: number };
const cache = new Map<string, CacheEntry>();

export type NewApiKey = { name: string; scopes: ApiKeyScope[]; tags?: string[]; expiresAt?: number | null; createdBy?: string | null };

/** Creates a key; the returned `key` is the only time the secret exists in plain text. */
export async function createApiKey(scope: TenantScope, input: NewApiKey, raw?: string) {
  const key = raw ?? `${KEY_PREFIX}${randomString(44)}`;
  if (!KEY_PATTERN.test(key)) throw new AppError("bad_request", "API keys look like sk-aut- followed by 44 letters and digits");
  const row: typeof apiKeys.$inferSelect = {
    id: newId("key"),
    tenantId: scope.tenantId,
    name: input.name,
    prefix: key.slice(0, LOOKUP_LENGTH),
    hash: await sha256Hex(key),
    scopes: input.scopes,
    tags: input.tags ?? [],
    createdBy: input.createdBy ?? null,
    expiresAt: input.expiresAt ?? null,
    revokedAt: null,
    lastUsedAt: null,
    createdAt: Date.now(),
  };
  await scope.db.insert(apiKeys).values(row);
  return { key, row };
}

/** Resolves a presented key to its tenant and scopes, or throws invalid_api_key. */
export async function verifyApiKey(db: Db, presented: string, now = Date.now()): Promise<VerifiedKey> {
  if (!KEY_PATTERN.test(presented)) throw new AppError("invalid_api_key", "Invalid API key");
  const prefix = presented.slice(0, LOOKUP_LENGTH);
  const hash = await sha256Hex(presented);
  let entry = cache.get(prefix);
  if (!entry || entry.until < now) {
    const row = await db.query.apiKeys.findFirst({ where: and(eq(apiKeys.prefix, prefix), isNull(apiKeys.revokedAt)) });
    entry = row
      ? { hash: row.hash, key: { id: row.id, tenantId: row.tenantId, scopes: row.scopes, tags: row.tags }, expiresAt: row.expiresAt, until: now + CACHE_MS }
      : { hash: "", key: null, expiresAt: null, until: now + CACHE_MS };
    cache.set(prefix, entry);
  }
  if (!entry.key || !timingSafeEqual(entry.hash, hash)) throw new AppError("invalid_api_key", "Invalid API key");
  if (entry.expiresAt !== null && entry.expiresAt <= now) throw new AppError("invalid_api_key", "This API key has expired");
  return entry.key;
}

/** Revokes a key of this tenant; returns the row as it was, or null when there is none. */
export async function revokeApiKey(scope: TenantScope, id: string, now = Date.now()) {
  const row = await scope.db.query.apiKeys.findFirst({ where: and(eq(apiKeys.id, id), eq(apiKeys.tenantId, scope.tenantId)) });
  if (!row) return null;
  if (row.revokedAt === null) {
    await scope.db.update(apiKeys).set({ revokedAt: now }).where(and(eq(apiKeys.id, id), eq(apiKeys.tenantId, scope.tenantId)));
  }
  cache.delete(row.prefix);
  return row;
}
