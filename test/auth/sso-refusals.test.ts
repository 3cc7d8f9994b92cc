import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { refreshTokens, ssoStates, users } from "../../d1/schema";
import { makeDb } from "../../workers/db";
import { createUser, writeUser } from "../../workers/platform/users";
import { createTestTenant } from "../helpers/fixtures";
import { authorizeAt, callback, configureSso, signIn, slugOf, spoilNextIdToken } from "./sso-flow";

const db = () => makeDb(env.DB);

async function refused(res: Response, status: number, message: RegExp): Promise<void> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  const body: unknown = JSON.parse(text);
  expect(body).toMatchObject({ error: { message: expect.stringMatching(message) } });
}

async function sessionsOf(tenantId: string): Promise<number> {
  return (await db().query.refreshTokens.findMany({ where: eq(refreshTokens.tenantId, tenantId) })).length;
}

async function setup(name: string, settings: Parameters<typeof configureSso>[1] = {}) {
  const t = await createTestTenant(name);
  const client = await configureSso(t.adminKey, settings);
  return { ...t, client, slug: await slugOf(t.tenantId) };
}

describe("SSO sign-in refusals", () => {
  it("refuses an email domain the tenant does not allow, and provisions no one", async () => {
    const t = await setup("Domain Motors", { allowedDomains: ["domainmotors.example"] });
    await refused(await signIn(t.slug, "intruder@gmail.example"), 403, /gmail\.example may not sign in/);
    expect(await db().query.users.findFirst({ where: eq(users.email, "intruder@gmail.example") })).toBeUndefined();
    expect((await signIn(t.slug, "staff@domainmotors.example")).status).toBe(200);
  });

  it("refuses a user who belongs to another tenant", async () => {
    const other = await createTestTenant("Other Motors");
    await createUser({ db: db(), tenantId: other.tenantId }, { email: "shared@example.com", name: "Shared", role: "owner" });
    const t = await setup("Claiming Motors");
    await refused(await signIn(t.slug, "shared@example.com"), 403, /another organisation/);
    expect(await sessionsOf(t.tenantId)).toBe(0);
    expect(await sessionsOf(other.tenantId)).toBe(0);
  });

  it("refuses a disabled user", async () => {
    const t = await setup("Disabled Motors");
    const scope = { db: db(), tenantId: t.tenantId };
    const user = await createUser(scope, { email: "gone@example.com", name: "Gone", role: "member" });
    await writeUser(scope, user.id, { status: "disabled" });
    await refused(await signIn(t.slug, "gone@example.com"), 403, /disabled/);
    expect(await sessionsOf(t.tenantId)).toBe(0);
  });

  it("refuses a replayed, unknown or expired state", async () => {
    const t = await setup("Replay Motors");
    const back = await authorizeAt(t.slug, { email: "once@example.com" });
    expect((await callback(back)).status).toBe(200);
    await refused(await callback(back), 400, /expired or was already completed/);

    const forged = new URL(back);
    forged.searchParams.set("state", "made-up-state");
    await refused(await callback(forged.toString()), 400, /expired or was already completed/);

    const late = await authorizeAt(t.slug, { email: "late@example.com" });
    const state = new URL(late).searchParams.get("state") ?? "";
    await db().update(ssoStates).set({ expiresAt: Date.now() - 1 }).where(eq(ssoStates.state, state));
    await refused(await callback(late), 400, /expired/);
    expect(await db().query.users.findFirst({ where: eq(users.email, "late@example.com") })).toBeUndefined();
  });

  const tampers = [
    ["signature", "signed with a key that is not the provider's", /signature/],
    ["nonce", "minted for another sign-in (nonce)", /nonce/],
    ["audience", "issued to another client (audience)", /aud/],
    ["expired", "already expired", /expired/],
  ] as const;
  for (const [tamper, what, reason] of tampers) {
    it(`refuses an id_token ${what}`, async () => {
      const t = await setup(`Tamper ${tamper} Motors`);
      await spoilNextIdToken(t.client.clientId, tamper);
      await refused(await signIn(t.slug, `${tamper}@example.com`), 401, reason);
      expect(await sessionsOf(t.tenantId)).toBe(0);
      expect(await db().query.users.findFirst({ where: eq(users.email, `${tamper}@example.com`) })).toBeUndefined();
      // Only that one token was bad: the next sign-in goes through.
      expect((await signIn(t.slug, `${tamper}@example.com`)).status).toBe(200);
    });
  }

  it("refuses an email the identity provider says is unverified", async () => {
    const t = await setup("Unverified Motors");
    await spoilNextIdToken(t.client.clientId, "unverified_email");
    await refused(await signIn(t.slug, "unverified@example.com"), 403, /not verified/);
    expect(await sessionsOf(t.tenantId)).toBe(0);
  });

  it("reports an error the identity provider sent back instead of a code", async () => {
    const t = await setup("Denied Motors");
    const back = new URL(await authorizeAt(t.slug));
    back.searchParams.delete("code");
    back.searchParams.set("error", "access_denied");
    await refused(await callback(back.toString()), 401, /refused the sign-in: access_denied/);
  });

  it("refuses a code the identity provider does not recognise", async () => {
    const t = await setup("Forged Code Motors");
    const back = new URL(await authorizeAt(t.slug));
    back.searchParams.set("code", "code_forged");
    await refused(await callback(back.toString()), 401, /invalid_grant/);
  });

  it("refuses a callback without a state, and a start for a tenant whose SSO is switched off", async () => {
    expect((await exports.default.fetch("http://auterity.test/api/v1/auth/sso/callback?code=x")).status).toBe(400);
    const t = await setup("Off Motors", { enabled: false });
    const start = await exports.default.fetch(`http://auterity.test/api/v1/auth/sso/start?tenant=${t.slug}`, { redirect: "manual" });
    await refused(start, 404, /not enabled/);
  });
});
