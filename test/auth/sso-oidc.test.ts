import { describe, expect, it } from "vitest";
import { AppError } from "../../workers/errors";
import { authorizationUrl, createPkce, type Discovery, discover, exchangeCode, verifyIdToken } from "../../workers/auth/oidc";
import { CALLBACK, issuer, registerClient } from "./sso-flow";

const deps = { fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init) };

async function simDiscovery(): Promise<Discovery> {
  const found = await discover(deps, issuer(), { fresh: true });
  if (!found.ok) throw new Error(found.reason);
  return found.doc;
}

/** A code from the simulator for a fresh client, with the verifier and nonce that go with it. */
async function codeFor(doc: Discovery) {
  const client = await registerClient();
  const pkce = await createPkce();
  const url = authorizationUrl(doc, { clientId: client.clientId, redirectUri: CALLBACK, state: "s1", nonce: "n1", codeChallenge: pkce.challenge });
  const res = await fetch(url, { redirect: "manual" });
  const code = new URL(res.headers.get("location") ?? "").searchParams.get("code") ?? "";
  return { ...client, code, verifier: pkce.verifier };
}

function fakeFetch(body: unknown, status = 200) {
  return { fetch: async () => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } }) };
}

async function appError(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

describe("OIDC protocol functions", () => {
  it("refuses a discovery document that names another issuer, or none at all", async () => {
    const doc = await simDiscovery();
    const other = await discover(fakeFetch({ ...doc, issuer: "https://attacker.example" }), "https://idp.example");
    expect(other).toEqual({ ok: false, reason: expect.stringContaining("names issuer 'https://attacker.example'") });
    const missing = await discover(fakeFetch({ error: "nope" }, 404), "https://idp2.example");
    expect(missing).toEqual({ ok: false, reason: expect.stringContaining("HTTP 404") });
    const garbage = await discover(fakeFetch({ issuer: "https://idp3.example" }), "https://idp3.example");
    expect(garbage.ok).toBe(false);
    const noS256 = await discover(fakeFetch({ ...doc, issuer: "https://idp4.example", code_challenge_methods_supported: ["plain"] }), "https://idp4.example");
    expect(noS256).toEqual({ ok: false, reason: expect.stringContaining("S256") });
  });

  it("authenticates with client_secret_post when that is all the provider offers", async () => {
    const doc = await simDiscovery();
    const c = await codeFor(doc);
    const postOnly = { ...doc, token_endpoint_auth_methods_supported: ["client_secret_post"] };
    const { idToken } = await exchangeCode(deps, postOnly, { clientId: c.clientId, clientSecret: c.clientSecret, code: c.code, redirectUri: CALLBACK, codeVerifier: c.verifier });
    const who = await verifyIdToken(deps, doc, { idToken, issuer: doc.issuer, clientId: c.clientId, nonce: "n1" });
    expect(who).toMatchObject({ email: "sam.driver@example.com", emailVerified: true, name: "Sam Driver" });
  });

  it("is refused a code with the wrong PKCE verifier or the wrong client secret", async () => {
    const doc = await simDiscovery();
    const c = await codeFor(doc);
    const wrongVerifier = (await createPkce()).verifier;
    const ex = { clientId: c.clientId, clientSecret: c.clientSecret, code: c.code, redirectUri: CALLBACK, codeVerifier: wrongVerifier };
    expect((await appError(exchangeCode(deps, doc, ex))).message).toMatch(/code_verifier does not match/);
    const c2 = await codeFor(doc);
    const badSecret = { clientId: c2.clientId, clientSecret: "wrong", code: c2.code, redirectUri: CALLBACK, codeVerifier: c2.verifier };
    expect((await appError(exchangeCode(deps, doc, badSecret))).message).toMatch(/invalid_client/);
  });

  it("refuses an unsigned id_token and one for another nonce", async () => {
    const doc = await simDiscovery();
    const c = await codeFor(doc);
    const { idToken } = await exchangeCode(deps, doc, { clientId: c.clientId, clientSecret: c.clientSecret, code: c.code, redirectUri: CALLBACK, codeVerifier: c.verifier });
    const [, payload] = idToken.split(".");
    const unsigned = `${btoa(JSON.stringify({ alg: "none", typ: "JWT" })).replace(/=+$/, "")}.${payload}.`;
    const check = { issuer: doc.issuer, clientId: c.clientId, nonce: "n1" };
    expect((await appError(verifyIdToken(deps, doc, { ...check, idToken: unsigned }))).status).toBe(401);
    expect((await appError(verifyIdToken(deps, doc, { ...check, idToken, nonce: "n2" }))).message).toMatch(/nonce/);
    expect((await appError(verifyIdToken(deps, doc, { ...check, idToken, issuer: "https://someone-else.example" }))).message).toMatch(/iss/);
  });
});
