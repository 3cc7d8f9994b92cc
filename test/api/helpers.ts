/**
 * Helpers for platform API tests: calling the Worker, reading bodies through zod, and
 * users with sessions made by the same functions the API uses.
 */
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { z } from "zod";
import type { Role } from "../../d1/schema";
import { makeDb } from "../../workers/db";
import { randomString } from "../../workers/lib/ids";
import { issueSession } from "../../workers/platform/sessions";
import { createUser } from "../../workers/platform/users";

export const API = "http://auterity.test/api/v1";

export type CallOptions = { token?: string; body?: unknown; raw?: string; contentType?: string; headers?: Record<string, string> };
export type Reply = { status: number; body: unknown; res: Response };

/** Calls /api/v1`path` with a bearer token and a JSON body (or a raw one). */
export async function call(method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers["content-type"] = opts.contentType ?? "application/json";
  const res = await exports.default.fetch(`${API}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? parseJson(text) : null, res };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const ErrorReply = z.object({ error: z.object({ code: z.string(), message: z.string(), requestId: z.string(), details: z.unknown().optional() }) });

/** Asserts the platform API's one error body with this status and code; returns its message. */
export function expectError(reply: Reply, status: number, code: string): string {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  const parsed = ErrorReply.parse(reply.body);
  expect(parsed.error.code).toBe(code);
  return parsed.error.message;
}

/** Asserts a status and parses the body with `schema`. */
export function expectOk<S extends z.ZodType>(reply: Reply, status: number, schema: S): z.output<S> {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  return schema.parse(reply.body);
}

export const WithId = z.object({ id: z.string() });
export const ListOf = <S extends z.ZodType>(item: S) => z.object({ data: z.array(item) });
export const Session = z.object({ accessToken: z.string(), refreshToken: z.string(), expiresIn: z.number(), tokenType: z.literal("Bearer") });
export const UserBody = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.string(),
  rooftopId: z.string().nullable(),
  status: z.enum(["active", "disabled"]),
  hasPassword: z.boolean(),
});

export function uniqueEmail(label = "user"): string {
  return `${label}-${randomString(8).toLowerCase()}@dealer.example`;
}

export type TestUser = { id: string; email: string; accessToken: string; refreshToken: string };

/** A user of `tenantId` with a fresh session (no password unless given). */
export async function createTestUser(
  tenantId: string,
  role: Role,
  opts: { rooftopId?: string | null; password?: string; email?: string } = {},
): Promise<TestUser> {
  const db = makeDb(env.DB);
  const email = opts.email ?? uniqueEmail(role);
  const user = await createUser({ db, tenantId }, { email, name: `${role} user`, role, rooftopId: opts.rooftopId ?? null, password: opts.password ?? null });
  const session = await issueSession({ db, jwtSecret: env.JWT_SECRET }, user);
  return { id: user.id, email, accessToken: session.accessToken, refreshToken: session.refreshToken };
}
