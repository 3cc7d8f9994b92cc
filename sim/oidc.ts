/**
 * An OpenID Connect provider stand-in, mounted under /oidc: discovery, JWKS, an
 * authorization endpoint that approves at once (no UI), a token endpoint that checks
 * client credentials, single-use codes and PKCE, and userinfo. `login_hint` picks who
 * signs in. Control routes: `POST /oidc/_clients` registers a client, `POST /oidc/_next`
 * spoils the next id_token in one chosen way, for negative tests.
 */
import { createHash, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { z } from "zod";
import { header, randomId, readJson, readText, sendJson, type SimHandler } from "./http.ts";

/** Who signs in when the authorize URL carries no `login_hint`. */
export const DEFAULT_OIDC_USER = "sam.driver@example.com";
const CODE_TTL_MS = 60_000;
const ID_TOKEN_TTL_S = 3600;

const TAMPERS = ["signature", "nonce", "audience", "expired", "unverified_email"] as const;
type Tamper = (typeof TAMPERS)[number];

const clientInput = z.object({
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  redirect_uris: z.array(z.url()).min(1),
});
const nextInput = z.object({ tamper: z.enum(TAMPERS), client_id: z.string().min(1).optional() });
type Client = z.infer<typeof clientInput>;

type Grant = { clientId: string; redirectUri: string; challenge: string; nonce: string | null; email: string; expiresAt: number; used: boolean };
type Keys = { kid: string; privateKey: CryptoKey; jwk: Record<string, unknown>; strangerKey: CryptoKey };

async function makeKeys(): Promise<Keys> {
  const pair = await generateKeyPair("RS256", { extractable: true });
  // Signs "signature"-tampered tokens under the real kid, so only the signature gives them away.
  const stranger = await generateKeyPair("RS256");
  const kid = randomId("key-", 8);
  return { kid, privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: "RS256", use: "sig" }, strangerKey: stranger.privateKey };
}

function s256(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

function subjectOf(email: string): string {
  return createHash("sha256").update(email).digest("hex").slice(0, 24);
}

function displayName(email: string): string {
  const local = email.split("@")[0] ?? email;
  return local.split(/[._-]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join(" ");
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, "cache-control": "no-store" });
  res.end();
}

function oauthError(res: ServerResponse, status: number, error: string, description: string): true {
  sendJson(res, status, { error, error_description: description }, { "cache-control": "no-store" });
  return true;
}

/** Client credentials from `Authorization: Basic` (form-encoded parts) or from the form body. */
function clientCredentials(req: IncomingMessage, form: URLSearchParams): { id: string; secret: string } | null {
  const auth = header(req, "authorization");
  const basic = auth && /^Basic\s+(.+)$/i.exec(auth);
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    const at = decoded.indexOf(":");
    if (at < 0) return null;
    return { id: decodeURIComponent(decoded.slice(0, at)), secret: decodeURIComponent(decoded.slice(at + 1)) };
  }
  const id = form.get("client_id");
  const secret = form.get("client_secret");
  return id && secret ? { id, secret } : null;
}

/** The OIDC provider's state: keys, clients, outstanding codes and access tokens. */
class OidcProvider {
  private readonly clients = new Map<string, Client>();
  private readonly grants = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, { email: string; expiresAt: number }>();
  private readonly tampers = new Map<string, Tamper>();
  constructor(
    private readonly keys: Promise<Keys>,
    private readonly fixedIssuer: string | undefined,
  ) {}

  issuer(req: IncomingMessage): string {
    return this.fixedIssuer ?? `http://${header(req, "host") ?? "127.0.0.1"}/oidc`;
  }

  discovery(req: IncomingMessage, res: ServerResponse): void {
    const iss = this.issuer(req);
    sendJson(res, 200, {
      issuer: iss,
      authorization_endpoint: `${iss}/authorize`,
      token_endpoint: `${iss}/token`,
      userinfo_endpoint: `${iss}/userinfo`,
      jwks_uri: `${iss}/jwks`,
      response_types_supported: ["code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid", "email", "profile"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      code_challenge_methods_supported: ["S256"],
      claims_supported: ["sub", "iss", "aud", "exp", "iat", "nonce", "email", "email_verified", "name"],
    });
  }

  async jwks(res: ServerResponse): Promise<void> {
    sendJson(res, 200, { keys: [(await this.keys).jwk] });
  }

  authorize(res: ServerResponse, q: URLSearchParams): void {
    const client = this.clients.get(q.get("client_id") ?? "");
    const redirectUri = q.get("redirect_uri") ?? "";
    // Never redirect to an unregistered URI: answer the browser directly instead.
    if (!client) return void oauthError(res, 400, "invalid_client", "Unknown client_id");
    if (!client.redirect_uris.includes(redirectUri)) return void oauthError(res, 400, "invalid_request", "redirect_uri is not registered for this client");
    const back = new URL(redirectUri);
    const state = q.get("state");
    if (state !== null) back.searchParams.set("state", state);
    const fail = (error: string, description: string) => {
      back.searchParams.set("error", error);
      back.searchParams.set("error_description", description);
      redirect(res, back.toString());
    };
    if (q.get("response_type") !== "code") return fail("unsupported_response_type", "Only response_type=code is supported");
    if (!(q.get("scope") ?? "").split(" ").includes("openid")) return fail("invalid_scope", "The openid scope is required");
    const challenge = q.get("code_challenge") ?? "";
    if (q.get("code_challenge_method") !== "S256" || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) {
      return fail("invalid_request", "PKCE with code_challenge_method=S256 is required");
    }
    const now = Date.now();
    for (const [k, g] of this.grants) if (g.expiresAt < now) this.grants.delete(k);
    const code = randomId("code_", 24);
    const email = (q.get("login_hint") || DEFAULT_OIDC_USER).trim().toLowerCase();
    this.grants.set(code, { clientId: client.client_id, redirectUri, challenge, nonce: q.get("nonce"), email, expiresAt: now + CODE_TTL_MS, used: false });
    back.searchParams.set("code", code);
    redirect(res, back.toString());
  }

  async token(req: IncomingMessage, res: ServerResponse): Promise<true> {
    const form = new URLSearchParams(await readText(req));
    const creds = clientCredentials(req, form);
    const client = creds ? this.clients.get(creds.id) : undefined;
    if (!creds || !client || client.client_secret !== creds.secret) return oauthError(res, 401, "invalid_client", "Client authentication failed");
    if (form.get("grant_type") !== "authorization_code") return oauthError(res, 400, "unsupported_grant_type", "Only authorization_code is supported");
    const grant = this.grants.get(form.get("code") ?? "");
    if (!grant || grant.used || grant.expiresAt < Date.now() || grant.clientId !== client.client_id) {
      return oauthError(res, 400, "invalid_grant", "The code is unknown, expired, already used or not issued to this client");
    }
    grant.used = true;
    if (form.get("redirect_uri") !== grant.redirectUri) return oauthError(res, 400, "invalid_grant", "redirect_uri does not match the authorization request");
    const verifier = form.get("code_verifier") ?? "";
    if (!verifier || s256(verifier) !== grant.challenge) return oauthError(res, 400, "invalid_grant", "code_verifier does not match the code_challenge");
    const accessToken = randomId("at_", 24);
    this.accessTokens.set(accessToken, { email: grant.email, expiresAt: Date.now() + ID_TOKEN_TTL_S * 1000 });
    const idToken = await this.idToken(req, client.client_id, grant);
    sendJson(res, 200, { access_token: accessToken, token_type: "Bearer", expires_in: ID_TOKEN_TTL_S, scope: "openid email profile", id_token: idToken }, { "cache-control": "no-store" });
    return true;
  }

  private takeTamper(clientId: string): Tamper | undefined {
    for (const key of [clientId, "*"]) {
      const t = this.tampers.get(key);
      if (t) {
        this.tampers.delete(key);
        return t;
      }
    }
    return undefined;
  }

  private async idToken(req: IncomingMessage, clientId: string, grant: Grant): Promise<string> {
    const keys = await this.keys;
    const tamper = this.takeTamper(clientId);
    const now = Math.floor(Date.now() / 1000);
    const iat = tamper === "expired" ? now - 2 * ID_TOKEN_TTL_S : now;
    const claims: Record<string, unknown> = {
      email: grant.email,
      email_verified: tamper !== "unverified_email",
      name: displayName(grant.email),
    };
    if (grant.nonce !== null) claims.nonce = tamper === "nonce" ? randomUUID() : grant.nonce;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: keys.kid, typ: "JWT" })
      .setIssuer(this.issuer(req))
      .setAudience(tamper === "audience" ? "some-other-client" : clientId)
      .setSubject(subjectOf(grant.email))
      .setIssuedAt(iat)
      .setExpirationTime(iat + ID_TOKEN_TTL_S)
      .sign(tamper === "signature" ? keys.strangerKey : keys.privateKey);
  }

  userinfo(req: IncomingMessage, res: ServerResponse): void {
    const m = /^Bearer\s+(.+)$/i.exec(header(req, "authorization") ?? "");
    const token = m?.[1] ? this.accessTokens.get(m[1]) : undefined;
    if (!token || token.expiresAt < Date.now()) {
      res.writeHead(401, { "www-authenticate": 'Bearer error="invalid_token"' });
      res.end();
      return;
    }
    sendJson(res, 200, { sub: subjectOf(token.email), email: token.email, email_verified: true, name: displayName(token.email) });
  }

  register(input: Client): void {
    this.clients.set(input.client_id, input);
  }

  spoilNext(input: z.infer<typeof nextInput>): void {
    this.tampers.set(input.client_id ?? "*", input.tamper);
  }
}

async function control<S extends z.ZodType>(req: IncomingMessage, res: ServerResponse, schema: S, apply: (v: z.output<S>) => void): Promise<true> {
  let raw: unknown;
  try {
    raw = await readJson(req);
  } catch {
    sendJson(res, 400, { error: "invalid_json" });
    return true;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    sendJson(res, 400, { error: "invalid_request", issues: parsed.error.issues });
    return true;
  }
  apply(parsed.data);
  sendJson(res, 200, { ok: true });
  return true;
}

/**
 * The /oidc handler. The issuer is `http://<Host header>/oidc` unless `issuer` fixes it.
 */
export function createOidcHandler(opts: { issuer?: string } = {}): SimHandler {
  const provider = new OidcProvider(makeKeys(), opts.issuer);
  return async (req, res, url) => {
    if (url.pathname !== "/oidc" && !url.pathname.startsWith("/oidc/")) return false;
    const route = `${req.method ?? "GET"} ${url.pathname.slice("/oidc".length) || "/"}`;
    switch (route) {
      case "GET /.well-known/openid-configuration":
        provider.discovery(req, res);
        return true;
      case "GET /jwks":
        await provider.jwks(res);
        return true;
      case "GET /authorize":
        provider.authorize(res, url.searchParams);
        return true;
      case "POST /token":
        return provider.token(req, res);
      case "GET /userinfo":
        provider.userinfo(req, res);
        return true;
      case "POST /_clients":
        return control(req, res, clientInput, (v) => provider.register(v));
      case "POST /_next":
        return control(req, res, nextInput, (v) => provider.spoilNext(v));
      default:
        sendJson(res, 404, { error: "not_found", message: `No OIDC route for ${route}` });
        return true;
    }
  };
}
