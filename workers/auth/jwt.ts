/**
 * Short-lived access tokens: HS256 JWTs signed with the JWT_SECRET Worker secret.
 * Only HS256 is accepted, so `alg: none` and algorithm swaps are refused.
 */
import { SignJWT, jwtVerify } from "jose";
import { z } from "zod";
import { ROLES } from "../../d1/schema";
import { AppError } from "../errors";

export const ACCESS_TOKEN_TTL_S = 15 * 60;
const ISSUER = "auterity";
const AUDIENCE = "auterity-api";

const claimsSchema = z.object({
  sub: z.string(),
  tid: z.string(),
  role: z.enum(ROLES),
  rid: z.string().nullable().optional(),
  typ: z.literal("access"),
});
export type AccessClaims = z.infer<typeof claimsSchema>;

const secretKeys = new Map<string, Uint8Array>();
function keyFor(secret: string): Uint8Array {
  let key = secretKeys.get(secret);
  if (!key) {
    if (secret.length < 32) throw new Error("JWT_SECRET must be at least 32 characters");
    key = new TextEncoder().encode(secret);
    secretKeys.set(secret, key);
  }
  return key;
}

export async function signAccessToken(secret: string, claims: Omit<AccessClaims, "typ">, nowS = Math.floor(Date.now() / 1000)) {
  return new SignJWT({ tid: claims.tid, role: claims.role, rid: claims.rid ?? null, typ: "access" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(nowS)
    .setExpirationTime(nowS + ACCESS_TOKEN_TTL_S)
    .sign(keyFor(secret));
}

export async function verifyAccessToken(secret: string, token: string): Promise<AccessClaims> {
  try {
    const { payload } = await jwtVerify(token, keyFor(secret), { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE });
    return claimsSchema.parse(payload);
  } catch (e) {
    const expired = e instanceof Error && "code" in e && e.code === "ERR_JWT_EXPIRED";
    throw new AppError("invalid_token", expired ? "The access token has expired; refresh it" : "Invalid access token");
  }
}
