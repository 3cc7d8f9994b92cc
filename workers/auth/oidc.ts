/**
 * OpenID Connect relying-party protocol: discovery, PKCE, the authorization URL, the
 * code exchange and id_token verification. Plain functions over a fetch function, so
 * they never depend on where they run or on a request context.
 */
import { createRemoteJWKSet, customFetch, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from "jose";
import { z } from "zod";
import { AppError } from "../errors";
import { timingSafeEqual, toBase64 } from "../lib/crypto";
import { randomString } from "../lib/ids";

export type Fetch = typeof fetch;
export type OidcDeps = { fetch: Fetch; now?: number };

const DISCOVERY_TTL_MS = 5 * 60_000;
const FETCH_TIMEOUT_MS = 10_000;
/** Asymmetric algorithms only: an HMAC id_token would be "signed" with the client secret, which we do not accept. */
const ID_TOKEN_ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];

const discoverySchema = z.object({
  issuer: z.string().min(1),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  userinfo_endpoint: z.url().optional(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
});
export type Discovery = z.infer<typeof discoverySchema>;

export type DiscoveryResult = { ok: true; doc: Discovery } | { ok: false; reason: string };

const discoveryCache = new Map<string, { doc: Discovery; until: number }>();

function stripSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/** Where an issuer publishes its configuration (OpenID Connect Discovery 1.0, section 4). */
export function discoveryUrl(issuer: string): string {
  return `${stripSlash(issuer)}/.well-known/openid-configuration`;
}

async function readDiscovery(fetchFn: Fetch, issuer: string): Promise<DiscoveryResult> {
  const url = discoveryUrl(issuer);
  let res: Response;
  try {
    res = await fetchFn(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (e) {
    return { ok: false, reason: `could not reach ${url} (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!res.ok) return { ok: false, reason: `${url} answered HTTP ${res.status}` };
  const parsed = discoverySchema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) return { ok: false, reason: `${url} is not an OpenID Connect discovery document` };
  // The document must name the issuer it was fetched for, or tokens could be minted by someone else.
  if (stripSlash(parsed.data.issuer) !== stripSlash(issuer)) {
    return { ok: false, reason: `${url} names issuer '${parsed.data.issuer}', not '${issuer}'` };
  }
  const methods = parsed.data.code_challenge_methods_supported;
  if (methods && !methods.includes("S256")) return { ok: false, reason: "the provider does not support PKCE with S256" };
  return { ok: true, doc: parsed.data };
}

/** Fetches (or reuses for a few minutes in this isolate) an issuer's discovery document. */
export async function discover(deps: OidcDeps, issuer: string, opts: { fresh?: boolean } = {}): Promise<DiscoveryResult> {
  const now = deps.now ?? Date.now();
  const hit = discoveryCache.get(issuer);
  if (hit && hit.until > now && !opts.fresh) return { ok: true, doc: hit.doc };
  const result = await readDiscovery(deps.fetch, issuer);
  if (result.ok) discoveryCache.set(issuer, { doc: result.doc, until: now + DISCOVERY_TTL_MS });
  return result;
}

function base64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A PKCE verifier and its S256 challenge (RFC 7636). */
export async function createPkce(): Promise<{ verifier: string; challenge: string }> {
  const verifier = randomString(64);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return { verifier, challenge: base64Url(new Uint8Array(digest)) };
}

export type AuthorizationRequest = {
  clientId: string;
  redirectUri: string;
  state: string;
  nonce: string;
  codeChallenge: string;
  loginHint?: string;
};

/** The URL that sends the browser to the provider's sign-in page. */
export function authorizationUrl(doc: Discovery, req: AuthorizationRequest): string {
  const url = new URL(doc.authorization_endpoint);
  const params: Record<string, string> = {
    response_type: "code",
    client_id: req.clientId,
    redirect_uri: req.redirectUri,
    scope: "openid email profile",
    state: req.state,
    nonce: req.nonce,
    code_challenge: req.codeChallenge,
    code_challenge_method: "S256",
  };
  if (req.loginHint) params.login_hint = req.loginHint;
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

export type CodeExchange = { clientId: string; clientSecret: string; code: string; redirectUri: string; codeVerifier: string };

const tokenResponseSchema = z.object({ id_token: z.string().min(1), access_token: z.string().optional(), token_type: z.string().optional() });
const tokenErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

/** client_secret_basic unless the provider only offers client_secret_post (the spec's default is basic). */
function clientAuth(doc: Discovery, ex: CodeExchange): { headers: Record<string, string>; body: Record<string, string> } {
  const methods = doc.token_endpoint_auth_methods_supported ?? ["client_secret_basic"];
  if (methods.includes("client_secret_basic")) {
    // RFC 6749 2.3.1: both parts are form-encoded before they are joined and base64-encoded.
    const pair = `${encodeURIComponent(ex.clientId)}:${encodeURIComponent(ex.clientSecret)}`;
    return { headers: { authorization: `Basic ${btoa(pair)}` }, body: {} };
  }
  if (methods.includes("client_secret_post")) return { headers: {}, body: { client_id: ex.clientId, client_secret: ex.clientSecret } };
  throw new AppError("upstream_error", `The identity provider supports neither client_secret_basic nor client_secret_post (it offers ${methods.join(", ")})`);
}

/** Trades an authorization code (and its PKCE verifier) for tokens at the token endpoint. */
export async function exchangeCode(deps: OidcDeps, doc: Discovery, ex: CodeExchange): Promise<{ idToken: string }> {
  const auth = clientAuth(doc, ex);
  const form = new URLSearchParams({
    grant_type: "authorization_code",
    code: ex.code,
    redirect_uri: ex.redirectUri,
    code_verifier: ex.codeVerifier,
    client_id: ex.clientId,
    ...auth.body,
  });
  const res = await deps.fetch(doc.token_endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", ...auth.headers },
    body: form.toString(),
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = tokenErrorSchema.safeParse(json);
    const why = err.success ? `${err.data.error}${err.data.error_description ? `: ${err.data.error_description}` : ""}` : `HTTP ${res.status}`;
    throw new AppError("unauthorized", `The identity provider refused the authorization code (${why})`);
  }
  const parsed = tokenResponseSchema.safeParse(json);
  if (!parsed.success) throw new AppError("upstream_error", "The identity provider's token response carries no id_token");
  return { idToken: parsed.data.id_token };
}

const jwksCache = new Map<string, JWTVerifyGetKey>();

/** jose's remote key set refetches on an unknown `kid`, so a provider's key rotation needs nothing from us. */
function keySetFor(fetchFn: Fetch, jwksUri: string): JWTVerifyGetKey {
  let set = jwksCache.get(jwksUri);
  if (!set) {
    set = createRemoteJWKSet(new URL(jwksUri), { [customFetch]: (url, init) => fetchFn(url, init) });
    jwksCache.set(jwksUri, set);
  }
  return set;
}

const idClaimsSchema = z.object({
  sub: z.string().min(1),
  aud: z.union([z.string(), z.array(z.string())]),
  azp: z.string().optional(),
  nonce: z.string().optional(),
  email: z.string().optional(),
  email_verified: z.union([z.boolean(), z.enum(["true", "false"])]).optional(),
  name: z.string().optional(),
});

export type IdentityClaims = { subject: string; email: string | null; emailVerified: boolean | null; name: string | null };

function refuse(reason: string): AppError {
  return new AppError("unauthorized", `The identity provider's id_token was refused: ${reason}`);
}

function joseReason(e: unknown): string {
  if (e instanceof joseErrors.JWTExpired) return "it has expired";
  if (e instanceof joseErrors.JWTClaimValidationFailed) return `claim '${e.claim}' is invalid (${e.message})`;
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return "the signature does not verify";
  if (e instanceof joseErrors.JWKSNoMatchingKey) return "no key of the provider matches its signature";
  if (e instanceof joseErrors.JOSEAlgNotAllowed) return "it is signed with an algorithm we do not accept";
  if (e instanceof joseErrors.JOSEError) return e.message;
  throw e;
}

export type IdTokenCheck = { idToken: string; issuer: string; clientId: string; nonce: string };

/** Verifies signature, issuer, audience, expiry and nonce of an id_token and returns who signed in. */
export async function verifyIdToken(deps: OidcDeps, doc: Discovery, check: IdTokenCheck): Promise<IdentityClaims> {
  let payload: unknown;
  try {
    const verified = await jwtVerify(check.idToken, keySetFor(deps.fetch, doc.jwks_uri), {
      issuer: check.issuer,
      audience: check.clientId,
      algorithms: ID_TOKEN_ALGS,
      requiredClaims: ["exp", "iat", "sub"],
      currentDate: deps.now === undefined ? undefined : new Date(deps.now),
      clockTolerance: 60,
    });
    payload = verified.payload;
  } catch (e) {
    throw refuse(joseReason(e));
  }
  const claims = idClaimsSchema.safeParse(payload);
  if (!claims.success) throw refuse("its claims are malformed");
  const c = claims.data;
  // OIDC Core 3.1.3.7: with several audiences the token must have been issued to us (azp).
  if (Array.isArray(c.aud) && c.aud.length > 1 && c.azp !== check.clientId) throw refuse("it was issued to another client (azp)");
  if (!c.nonce || !timingSafeEqual(c.nonce, check.nonce)) throw refuse("its nonce does not match this sign-in");
  const verified = c.email_verified === undefined ? null : c.email_verified === true || c.email_verified === "true";
  return { subject: c.sub, email: c.email?.trim().toLowerCase() ?? null, emailVerified: verified, name: c.name ?? null };
}
