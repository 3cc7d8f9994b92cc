/**
 * The typed client of the platform API. Paths, parameters and bodies are checked against
 * schema.d.ts, generated from the API's OpenAPI document at build time.
 *
 *   const runs = await unwrap(api.GET("/runs", { params: { query: { limit: 20 } } }));
 */
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";
import { authedFetch } from "./session";

export type { components, paths };
export type Schemas = components["schemas"];

export const api = createClient<paths>({ baseUrl: "/api/v1", fetch: authedFetch });

/** The platform API's one error body, as an Error the UI can show (with the request id). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type Result<T> = { data?: T; error?: unknown; response: Response };

/** The data of a successful call, or an ApiError carrying the API's code, message and request id. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await call;
  } catch (e) {
    throw new ApiError(0, "network_error", `The server could not be reached (${(e as Error).message})`);
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  const body = (error ?? {}) as { error?: { code?: string; message?: string; requestId?: string; details?: unknown } };
  throw new ApiError(
    response.status,
    body.error?.code ?? `http_${response.status}`,
    body.error?.message ?? `${response.status} ${response.statusText}`,
    body.error?.requestId ?? response.headers.get("x-request-id") ?? undefined,
    body.error?.details,
  );
}

/** For endpoints outside the OpenAPI document (health, uploads of raw files): same errors, same auth. */
export async function rawCall(path: string, init: RequestInit = {}): Promise<Response> {
  const res = await authedFetch(new Request(path, init));
  if (res.ok) return res;
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string; requestId?: string; details?: unknown } };
  throw new ApiError(res.status, body.error?.code ?? `http_${res.status}`, body.error?.message ?? res.statusText, body.error?.requestId ?? res.headers.get("x-request-id") ?? undefined, body.error?.details);
}
