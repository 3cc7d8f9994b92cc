/**
 * SSO sign-in: the start (state, nonce and PKCE verifier kept in D1, then off to the
 * identity provider) and the callback (state consumed once, code exchanged, id_token
 * verified, user matched or provisioned just in time, session issued).
 */
import { eq, lt } from "drizzle-orm";
import { ssoStates, tenants } from "../../d1/schema";
import type { Db, TenantScope } from "../db";
import { AppError } from "../errors";
import { randomString } from "../lib/ids";
import { openSecret } from "../lib/secret-box";
import { type AuditActor, recordAudit } from "../platform/audit";
import { issueSession, type Session } from "../platform/sessions";
import { createUser, findUserByEmail, writeUser, type UserRow } from "../platform/users";
import { authorizationUrl, createPkce, type Discovery, discover, exchangeCode, type Fetch, type IdentityClaims, verifyIdToken } from "./oidc";
import { getSsoConfig, type SsoConfigRow } from "./sso-config";

export const SSO_STATE_TTL_MS = 10 * 60_000;

export type StartInput = { tenantSlug: string; redirect: string | null; redirectUri: string; loginHint?: string };

async function enabledConfig(scope: TenantScope): Promise<SsoConfigRow> {
  const config = await getSsoConfig(scope);
  if (!config?.enabled) throw new AppError("not_found", "Single sign-on is not enabled for this organisation");
  return config;
}

async function discoveryFor(deps: { fetch: Fetch; now?: number }, issuer: string): Promise<Discovery> {
  const found = await discover(deps, issuer);
  if (!found.ok) throw new AppError("upstream_error", `The identity provider is unavailable: ${found.reason}`);
  return found.doc;
}

/** Records a pending sign-in and returns the identity provider URL to send the browser to. */
export async function beginSsoLogin(deps: { db: Db; fetch: Fetch; now?: number }, input: StartInput): Promise<{ location: string }> {
  const now = deps.now ?? Date.now();
  const tenant = await deps.db.query.tenants.findFirst({ where: eq(tenants.slug, input.tenantSlug) });
  if (!tenant) throw new AppError("not_found", "Single sign-on is not enabled for this organisation");
  const config = await enabledConfig({ db: deps.db, tenantId: tenant.id });
  const doc = await discoveryFor(deps, config.issuer);
  const state = randomString(43);
  const nonce = randomString(43);
  const pkce = await createPkce();
  // Abandoned sign-ins would otherwise pile up; the table only ever holds minutes of rows.
  await deps.db.delete(ssoStates).where(lt(ssoStates.expiresAt, now));
  await deps.db.insert(ssoStates).values({
    state,
    tenantId: tenant.id,
    nonce,
    codeVerifier: pkce.verifier,
    redirectTo: input.redirect,
    expiresAt: now + SSO_STATE_TTL_MS,
  });
  const location = authorizationUrl(doc, {
    clientId: config.clientId,
    redirectUri: input.redirectUri,
    state,
    nonce,
    codeChallenge: pkce.challenge,
    loginHint: input.loginHint,
  });
  return { location };
}

export type CallbackInput = { state: string; code?: string; error?: string; errorDescription?: string; redirectUri: string };
export type CallbackDeps = { db: Db; fetch: Fetch; masterKey: string; jwtSecret: string; audit: Omit<AuditActor, "actorType" | "actorId">; now?: number };
export type SsoLoginResult = { session: Session; user: UserRow; redirectTo: string | null; provisioned: boolean };

/** Deleting with RETURNING makes the state single-use even when two callbacks race. */
async function consumeState(db: Db, state: string, now: number) {
  const [row] = await db.delete(ssoStates).where(eq(ssoStates.state, state)).returning();
  if (!row || row.expiresAt <= now) {
    throw new AppError("bad_request", "This sign-in has expired or was already completed; start the sign-in again");
  }
  return row;
}

function checkIdentity(config: SsoConfigRow, id: IdentityClaims): string {
  if (!id.email) throw new AppError("forbidden", "The identity provider did not share an email address for this account");
  if (id.emailVerified === false) throw new AppError("forbidden", "The identity provider has not verified this email address");
  const domain = id.email.slice(id.email.lastIndexOf("@") + 1);
  if (config.allowedDomains.length > 0 && !config.allowedDomains.includes(domain)) {
    throw new AppError("forbidden", `Accounts from ${domain} may not sign in to this organisation`);
  }
  return id.email;
}

/** The existing user of this tenant for the email, or a new one with the configured default role. */
async function matchUser(scope: TenantScope, config: SsoConfigRow, email: string, id: IdentityClaims, now: number) {
  const existing = await findUserByEmail(scope.db, email);
  if (existing && existing.tenantId !== scope.tenantId) {
    throw new AppError("forbidden", "This email address belongs to an account of another organisation");
  }
  if (existing?.status === "disabled") throw new AppError("forbidden", "This account is disabled");
  if (existing) return { user: existing, provisioned: false };
  const name = id.name?.trim() || email.slice(0, email.indexOf("@"));
  return { user: await createUser(scope, { email, name, role: config.defaultRole, now }), provisioned: true };
}

/** Completes a sign-in from the identity provider's redirect. */
export async function completeSsoLogin(deps: CallbackDeps, input: CallbackInput): Promise<SsoLoginResult> {
  const now = deps.now ?? Date.now();
  const pending = await consumeState(deps.db, input.state, now);
  if (input.error) {
    throw new AppError("unauthorized", `The identity provider refused the sign-in: ${input.error}${input.errorDescription ? ` (${input.errorDescription})` : ""}`);
  }
  if (!input.code) throw new AppError("bad_request", "The identity provider returned no authorization code");
  const scope = { db: deps.db, tenantId: pending.tenantId };
  const config = await enabledConfig(scope);
  const doc = await discoveryFor(deps, config.issuer);
  const { idToken } = await exchangeCode(deps, doc, {
    clientId: config.clientId,
    clientSecret: await openSecret(deps.masterKey, config.clientSecretEnc),
    code: input.code,
    redirectUri: input.redirectUri,
    codeVerifier: pending.codeVerifier,
  });
  const identity = await verifyIdToken(deps, doc, { idToken, issuer: config.issuer, clientId: config.clientId, nonce: pending.nonce });
  const email = checkIdentity(config, identity);
  const { user, provisioned } = await matchUser(scope, config, email, identity, now);
  const session = await issueSession({ db: deps.db, jwtSecret: deps.jwtSecret, now }, { id: user.id, tenantId: user.tenantId, role: user.role, rooftopId: user.rooftopId });
  const signedIn = await writeUser(scope, user.id, { lastLoginAt: now });
  await recordLogin(scope, deps.audit, signedIn, provisioned, config.issuer, now);
  return { session, user: signedIn, redirectTo: pending.redirectTo, provisioned };
}

async function recordLogin(scope: TenantScope, actor: CallbackDeps["audit"], user: UserRow, provisioned: boolean, issuer: string, now: number) {
  const who: AuditActor = { ...actor, actorType: "user", actorId: user.id };
  if (provisioned) {
    await recordAudit(scope, who, { action: "user.provisioned", resourceType: "user", resourceId: user.id, after: { email: user.email, role: user.role, via: "sso" } }, now);
  }
  await recordAudit(scope, who, { action: "user.sso_login", resourceType: "user", resourceId: user.id, after: { email: user.email, issuer } }, now);
}

