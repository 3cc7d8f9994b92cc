/**
 * /usage: what the gateway was used for and what it cost — summaries grouped by day (in the
 * tenant's time zone), model, provider or API key, and the calls behind them.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { platformAuth, requirePermission } from "../auth/middleware";
import { AppError } from "../errors";
import { listUsageEvents, usageSummary } from "../gateway/usage";
import { scopeOf } from "./context";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, EpochMs, jsonResponse } from "./schemas";

const DAY_MS = 86_400_000;
const DEFAULT_RANGE_MS = 30 * DAY_MS;
const MAX_RANGE_MS = 400 * DAY_MS;

const Instant = z
  .string()
  .max(40)
  .transform((v, ctx) => {
    const ms = /^\d{1,16}$/.test(v) ? Number(v) : Date.parse(v);
    if (Number.isFinite(ms)) return ms;
    ctx.addIssue({ code: "custom", message: "Expected epoch milliseconds or an ISO 8601 date/time" });
    return z.NEVER;
  })
  .openapi({ type: "string", description: "Epoch milliseconds or ISO 8601 (e.g. 2026-01-01 or 2026-01-01T05:00:00Z)", example: "2026-01-01T00:00:00Z" });

const Range = z.object({
  from: Instant.optional().openapi({ description: "Inclusive start; default: 30 days before `to`" }),
  to: Instant.optional().openapi({ description: "Exclusive end; default: now" }),
});

// Defaults: the 30 days up to now. Oversized ranges would make one request scan a year of rows.
function rangeOf(q: { from?: number; to?: number }, now = Date.now()): { from: number; to: number } {
  const to = q.to ?? now;
  const from = q.from ?? to - DEFAULT_RANGE_MS;
  if (from >= to) throw new AppError("validation_failed", "'from' must be before 'to'", [{ path: "from", message: "must be before 'to'" }]);
  if (to - from > MAX_RANGE_MS) throw new AppError("validation_failed", "The range may span at most 400 days", [{ path: "from", message: "range too long" }]);
  return { from, to };
}

const SummaryQuery = Range.extend({
  groupBy: z.enum(["day", "model", "provider", "key"]).default("day").openapi({ description: "day = calendar day in the tenant's time zone" }),
});

const StatusFilter = z
  .string()
  .regex(/^(ok|error|[1-5]\d\d)$/, "Expected ok, error, or an HTTP status such as 429")
  .transform((v) => (v === "ok" || v === "error" ? v : Number(v)))
  .openapi({ type: "string", example: "error" });

const EventsQuery = Range.extend({
  model: z.string().min(1).max(200).optional().openapi({ description: "Matches the model asked for or the one served" }),
  provider: z.string().min(1).max(100).optional().openapi({ description: "The provider that served the call", example: "openai" }),
  apiKeyId: z.string().min(1).max(64).optional(),
  status: StatusFilter.optional(),
  cursor: z.string().min(1).max(400).optional().openapi({ description: "nextCursor of the previous page" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const Totals = z.object({
  calls: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cachedTokens: z.number().int(),
  costNanoUsd: z.number().int().openapi({ description: "Exact cost in 1e-9 USD" }),
  costUsd: z.number().openapi({ example: 0.01234 }),
  errors: z.number().int().openapi({ description: "Calls that answered 400 or above" }),
  unpricedCalls: z.number().int().openapi({ description: "Calls recorded at zero cost because their model had no price" }),
  avgLatencyMs: z.number().int(),
});

const Summary = z
  .object({
    from: EpochMs,
    to: EpochMs,
    groupBy: z.enum(["day", "model", "provider", "key"]),
    timezone: z.string().openapi({ example: "America/New_York" }),
    rows: z.array(Totals.extend({ key: z.string().openapi({ example: "2026-01-31" }), label: z.string().nullable().openapi({ description: "The API key's name (groupBy=key)" }) })),
    totals: Totals,
  })
  .openapi("UsageSummary");

const Event = z
  .object({
    id: z.string(),
    requestId: z.string().nullable().openapi({ description: "The call's x-request-id, as in the logs" }),
    apiKeyId: z.string().nullable(),
    userId: z.string().nullable(),
    endpoint: z.string(),
    modelRequested: z.string(),
    modelServed: z.string().nullable(),
    provider: z.string().nullable(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    cachedTokens: z.number().int(),
    costNanoUsd: z.number().int(),
    costUsd: z.number(),
    priceSource: z.enum(["tenant", "platform", "unknown"]).nullable(),
    latencyMs: z.number().int(),
    ttftMs: z.number().int().nullable(),
    status: z.number().int(),
    attempts: z.number().int(),
    cacheHit: z.boolean().openapi({ description: "Answered from the exact-match cache" }),
    stream: z.boolean(),
    errorCode: z.string().nullable(),
    tags: z.array(z.string()),
    template: z.string().nullable().openapi({ description: "The prompt template the call was rendered from, as key@version" }),
    createdAt: EpochMs,
  })
  .openapi("UsageEvent");

export const usageApi = createApiApp();
usageApi.use("*", platformAuth);

const tags = ["Usage"];
const read = requirePermission("usage:read");

usageApi.openapi(
  createRoute({ method: "get", path: "/summary", tags, security: bearerSecurity, middleware: [read], request: { query: SummaryQuery },
    responses: { 200: jsonResponse(Summary, "Usage totals per group, and overall"), ...authErrors } }),
  async (c) => {
    const q = c.req.valid("query");
    return c.json(await usageSummary(scopeOf(c), { ...rangeOf(q), groupBy: q.groupBy }), 200);
  },
);

usageApi.openapi(
  createRoute({ method: "get", path: "/events", tags, security: bearerSecurity, middleware: [read], request: { query: EventsQuery },
    responses: { 200: jsonResponse(z.object({ data: z.array(Event), nextCursor: z.string().nullable() }), "Calls, newest first"), ...authErrors } }),
  async (c) => {
    const q = c.req.valid("query");
    const page = await listUsageEvents(scopeOf(c), { ...q, ...rangeOf(q) });
    return c.json({ data: page.data.map(({ tenantId: _tenant, ...event }) => event), nextCursor: page.nextCursor }, 200);
  },
);
