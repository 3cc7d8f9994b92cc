/**
 * Schemas shared by the platform API's routes: the error body, ids in paths, and the
 * error responses each route declares in the OpenAPI document.
 */
import { z } from "@hono/zod-openapi";

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "not_found" }),
      message: z.string(),
      requestId: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi("Error");

/** A path id: anything unknown (or another tenant's) answers 404. */
export const IdParams = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" }, example: "usr_4fGh7Jk9LmNp2QrS5tUv" }) });

/** The security requirement of routes that need a signed-in user or an API key. */
export const bearerSecurity = [{ bearer: [] }];

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: ErrorBody } } });

/** The error responses of an authenticated route. */
export const authErrors = {
  400: errorResponse("Invalid request (malformed JSON, wrong types, unknown values)"),
  401: errorResponse("Missing or invalid credentials"),
  403: errorResponse("Signed in, but not allowed to do this"),
  404: errorResponse("No such resource in this tenant"),
} as const;

export const conflictError = { 409: errorResponse("Conflicts with the current state") } as const;
export const mediaTypeError = { 415: errorResponse("The body is not application/json") } as const;

/** Declares a required JSON request body. */
export function jsonBody<S extends z.ZodType>(schema: S) {
  return { required: true, content: { "application/json": { schema } } } as const;
}

export function jsonResponse<S extends z.ZodType>(schema: S, description: string) {
  return { description, content: { "application/json": { schema } } } as const;
}

/** A time in epoch milliseconds. */
export const EpochMs = z.number().int().openapi({ example: 1767225600000 });

/** Sign-in emails; stored lower-case by the domain functions. */
export const Email = z.email().max(254).openapi({ example: "pat@smithmotors.example" });

/** A time in a query string: epoch milliseconds or an ISO 8601 date-time. */
export const TimeParam = z
  .string()
  .max(40)
  .transform((v, ctx) => {
    const t = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    if (!Number.isFinite(t)) {
      ctx.addIssue({ code: "custom", message: "expected epoch milliseconds or an ISO 8601 time" });
      return z.NEVER;
    }
    return t;
  })
  .openapi({ example: "2026-01-01T00:00:00Z" });
