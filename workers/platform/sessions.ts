/**
 * Sign-in sessions: a short-lived access token (JWT) plus an opaque refresh token.
 * Refresh tokens are stored as SHA-256 hashes, rotated on every use, and grouped in a
 * family per sign-in: presenting one that was already used means it was copied, so the
 * whole family is revoked.
 */
import { and, eq, isNull } from "drizzle-orm";
import { refreshTokens, users, type Role } from "../../d1/schema";
import { ACCESS_TOKEN_TTL_S, signAccessToken } from "../auth/jwt";
import type { Db } from "../db";
import { AppError } from "../errors";
import { sha256Hex } from "../lib/crypto";
import { newId, randomString } from "../lib/ids";

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export type Session = { accessToken: string; refreshToken: string; expiresIn: number; tokenType: "Bearer" };
export type SessionUser = { id: string; tenantId: string; role: Role; rooftopId: string | null };
type SessionDeps = { db: Db; jwtSecret: string; now?: number };

async function mint(deps: SessionDeps, user: SessionUser, familyId: string): Promise<Session> {
  const now = deps.now ?? Date.now();
  const refreshToken = `rt_${randomString(48)}`;
  await deps.db.insert(refreshTokens).values({
    id: newId("rtk"),
    tenantId: user.tenantId,
    userId: user.id,
    familyId,
    tokenHash: await sha256Hex(refreshToken),
    expiresAt: now + REFRESH_TOKEN_TTL_MS,
    createdAt: now,
  });
  const accessToken = await signAccessToken(
    deps.jwtSecret,
    { sub: user.id, tid: user.tenantId, role: user.role, rid: user.rooftopId },
    Math.floor(now / 1000),
  );
  return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_TTL_S, tokenType: "Bearer" };
}

/** Starts a new session (a new refresh-token family) for a user who has just proven who they are. */
export async function issueSession(
  deps: { db: Db; jwtSecret: string; now?: number },
  user: { id: string; tenantId: string; role: Role; rooftopId: string | null },
): Promise<{ accessToken: string; refreshToken: string; expiresIn: number; tokenType: "Bearer" }> {
  return mint(deps, user, newId("rtf"));
}

async function revokeFamily(db: Db, familyId: string, now: number): Promise<void> {
  await db.update(refreshTokens).set({ revokedAt: now }).where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

/** Revokes every refresh token a user holds, e.g. when the user is disabled. */
export async function revokeUserSessions(db: Db, userId: string, now = Date.now()): Promise<void> {
  await db.update(refreshTokens).set({ revokedAt: now }).where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
}

export type RefreshResult =
  | { ok: true; session: Session; user: SessionUser }
  | { ok: false; reason: "reused"; tenantId: string; userId: string; familyId: string };

/**
 * Trades a refresh token for a new session in the same family. A reused token revokes
 * the family and comes back as `{ok: false}` so the caller can record the incident.
 */
export async function refreshSession(deps: SessionDeps, presented: string): Promise<RefreshResult> {
  const now = deps.now ?? Date.now();
  const row = await deps.db.query.refreshTokens.findFirst({ where: eq(refreshTokens.tokenHash, await sha256Hex(presented)) });
  if (!row) throw new AppError("invalid_token", "Invalid refresh token");
  const reused = { ok: false as const, reason: "reused" as const, tenantId: row.tenantId, userId: row.userId, familyId: row.familyId };
  if (row.usedAt !== null || row.revokedAt !== null) {
    await revokeFamily(deps.db, row.familyId, now);
    return reused;
  }
  if (row.expiresAt <= now) throw new AppError("invalid_token", "The refresh token has expired; sign in again");
  // Claiming with a conditional update means two concurrent uses cannot both win.
  const claimed = await deps.db
    .update(refreshTokens)
    .set({ usedAt: now })
    .where(and(eq(refreshTokens.id, row.id), isNull(refreshTokens.usedAt), isNull(refreshTokens.revokedAt)))
    .returning({ id: refreshTokens.id });
  if (claimed.length === 0) {
    await revokeFamily(deps.db, row.familyId, now);
    return reused;
  }
  const user = await deps.db.query.users.findFirst({ where: and(eq(users.id, row.userId), eq(users.tenantId, row.tenantId)) });
  if (!user || user.status !== "active") {
    await revokeFamily(deps.db, row.familyId, now);
    throw new AppError("invalid_token", "This account is disabled");
  }
  const sessionUser = { id: user.id, tenantId: user.tenantId, role: user.role, rooftopId: user.rooftopId };
  return { ok: true, session: await mint(deps, sessionUser, row.familyId), user: sessionUser };
}

/** Ends the sign-in a refresh token belongs to; returns whose it was, or null for an unknown token. */
export async function endSession(deps: { db: Db; now?: number }, presented: string): Promise<{ tenantId: string; userId: string } | null> {
  const row = await deps.db.query.refreshTokens.findFirst({ where: eq(refreshTokens.tokenHash, await sha256Hex(presented)) });
  if (!row) return null;
  await revokeFamily(deps.db, row.familyId, deps.now ?? Date.now());
  return { tenantId: row.tenantId, userId: row.userId };
}
