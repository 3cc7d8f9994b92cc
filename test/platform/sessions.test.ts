import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { verifyAccessToken } from "../../workers/auth/jwt";
import { makeDb } from "../../workers/db";
import { AppError } from "../../workers/errors";
import { issueSession, REFRESH_TOKEN_TTL_MS, refreshSession } from "../../workers/platform/sessions";
import { createUser } from "../../workers/platform/users";
import { uniqueEmail } from "../api/helpers";
import { createTestTenant } from "../helpers/fixtures";

async function newUser() {
  const { tenantId } = await createTestTenant();
  const db = makeDb(env.DB);
  const user = await createUser({ db, tenantId }, { email: uniqueEmail(), name: "S", role: "admin", rooftopId: null });
  return { db, user };
}

describe("issueSession", () => {
  it("issues a 15-minute access token carrying the user's tenant and role", async () => {
    const { db, user } = await newUser();
    const s = await issueSession({ db, jwtSecret: env.JWT_SECRET }, user);
    expect(s).toMatchObject({ expiresIn: 900, tokenType: "Bearer" });
    expect(await verifyAccessToken(env.JWT_SECRET, s.accessToken)).toMatchObject({ sub: user.id, tid: user.tenantId, role: "admin" });
    expect(s.refreshToken).toMatch(/^rt_[0-9A-Za-z]{48}$/);
  });

  it("stores only a hash of the refresh token", async () => {
    const { db, user } = await newUser();
    const s = await issueSession({ db, jwtSecret: env.JWT_SECRET }, user);
    const rows = await env.DB.prepare("select token_hash from refresh_tokens where user_id = ?").bind(user.id).all<{ token_hash: string }>();
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]?.token_hash).not.toContain(s.refreshToken);
    expect(rows.results[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("refreshSession", () => {
  it("refuses a refresh token older than 30 days", async () => {
    const { db, user } = await newUser();
    const issuedAt = Date.now() - REFRESH_TOKEN_TTL_MS - 1000;
    const s = await issueSession({ db, jwtSecret: env.JWT_SECRET, now: issuedAt }, user);
    const err = await refreshSession({ db, jwtSecret: env.JWT_SECRET }, s.refreshToken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "invalid_token", message: expect.stringMatching(/expired/) });
  });

  it("accepts one a day before it expires, and the new one carries the user's current role", async () => {
    const { db, user } = await newUser();
    const s = await issueSession({ db, jwtSecret: env.JWT_SECRET, now: Date.now() - REFRESH_TOKEN_TTL_MS + 86_400_000 }, user);
    await env.DB.prepare("update users set role = 'viewer' where id = ?").bind(user.id).run();
    const result = await refreshSession({ db, jwtSecret: env.JWT_SECRET }, s.refreshToken);
    if (!result.ok) throw new Error("expected a new session");
    expect((await verifyAccessToken(env.JWT_SECRET, result.session.accessToken)).role).toBe("viewer");
  });

  it("reports reuse of a rotated token instead of issuing a session", async () => {
    const { db, user } = await newUser();
    const s = await issueSession({ db, jwtSecret: env.JWT_SECRET }, user);
    expect((await refreshSession({ db, jwtSecret: env.JWT_SECRET }, s.refreshToken)).ok).toBe(true);
    expect(await refreshSession({ db, jwtSecret: env.JWT_SECRET }, s.refreshToken)).toMatchObject({ ok: false, reason: "reused", userId: user.id });
  });
});
