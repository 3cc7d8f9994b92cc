/**
 * Drives an SSO sign-in the way a browser would: the Worker's start endpoint, the OIDC
 * simulator's authorize endpoint, and back to the Worker's callback, one redirect at a time.
 */
import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { tenants } from "../../d1/schema";
import { makeDb } from "../../workers/db";
import { randomString } from "../../workers/lib/ids";

export const BASE = "http://auterity.test";
export const CALLBACK = `${BASE}/api/v1/auth/sso/callback`;

export function issuer(): string {
  return `${env.SIM_URL}/oidc`;
}

export function worker(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(`${BASE}${path}`, init);
}

async function simPost(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${issuer()}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** Registers a fresh client at the simulator and returns its credentials. */
export async function registerClient(): Promise<{ clientId: string; clientSecret: string }> {
  const client = { clientId: `client-${randomString(10)}`, clientSecret: `secret-${randomString(32)}` };
  await simPost("/_clients", { client_id: client.clientId, client_secret: client.clientSecret, redirect_uris: [CALLBACK] });
  return client;
}

/** Makes the simulator's next id_token for this client bad in one way. */
export function spoilNextIdToken(clientId: string, tamper: "signature" | "nonce" | "audience" | "expired" | "unverified_email"): Promise<void> {
  return simPost("/_next", { tamper, client_id: clientId });
}

export async function slugOf(tenantId: string): Promise<string> {
  const row = await makeDb(env.DB).query.tenants.findFirst({ where: eq(tenants.id, tenantId) });
  if (!row) throw new Error(`no tenant ${tenantId}`);
  return row.slug;
}

export type SsoSettings = { allowedDomains?: string[]; defaultRole?: string; enabled?: boolean };

/** Configures SSO for a tenant through the API with a freshly registered simulator client. */
export async function configureSso(adminKey: string, settings: SsoSettings = {}) {
  const client = await registerClient();
  const res = await worker("/api/v1/sso", {
    method: "PUT",
    headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({ issuer: issuer(), clientId: client.clientId, clientSecret: client.clientSecret, ...settings }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return client;
}

/** Start -> authorize: the callback URL the identity provider sends the browser back to. */
export async function authorizeAt(slug: string, opts: { email?: string; redirect?: string } = {}): Promise<string> {
  const q = new URLSearchParams({ tenant: slug });
  if (opts.email) q.set("login_hint", opts.email);
  if (opts.redirect) q.set("redirect", opts.redirect);
  const start = await worker(`/api/v1/auth/sso/start?${q}`, { redirect: "manual" });
  expect(start.status, await start.clone().text()).toBe(302);
  const authorize = await fetch(start.headers.get("location") ?? "", { redirect: "manual" });
  expect(authorize.status).toBe(302);
  const back = authorize.headers.get("location") ?? "";
  expect(back.startsWith(CALLBACK)).toBe(true);
  return back;
}

/** The callback as a JSON caller makes it. */
export function callback(url: string): Promise<Response> {
  return exports.default.fetch(url, { headers: { accept: "application/json" }, redirect: "manual" });
}

/** The whole sign-in; returns the callback's response. */
export async function signIn(slug: string, email?: string): Promise<Response> {
  return callback(await authorizeAt(slug, { email }));
}
