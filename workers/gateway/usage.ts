/**
 * One usage event per gateway call. The call path only enqueues it (inside waitUntil, so
 * the response is never held up); workers/queues/usage.ts writes batches of them to D1.
 */
import { and, desc, eq, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { apiKeys, tenants, usageEvents } from "../../d1/schema";
import type { TenantScope } from "../db";
import { AppError } from "../errors";
import { log } from "../lib/log";

export type UsageEvent = {
  id: string;
  /** The request's x-request-id (the caller's own when it sent one), for correlation. */
  requestId: string | null;
  tenantId: string;
  apiKeyId: string | null;
  userId: string | null;
  endpoint: string;
  modelRequested: string;
  modelServed: string | null;
  provider: string | null;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  costNanoUsd: number;
  latencyMs: number;
  ttftMs: number | null;
  status: number;
  attempts: number;
  /** Served from the response cache, at no cost. */
  cacheHit: boolean;
  stream: boolean;
  errorCode: string | null;
  tags: string[];
  createdAt: number;
  /** Price.source of the price used for costNanoUsd; filled in by the consumer when absent. */
  priceSource?: "tenant" | "platform" | "unknown";
  /** The prompt template the call was rendered from, as key@version. */
  template?: string;
};

const count = z.number().int().nonnegative();

/** The queue message as the consumer accepts it. */
export const usageEventSchema = z.object({
  id: z.string().min(1).max(200),
  requestId: z.string().max(200).nullable().default(null),
  tenantId: z.string().min(1),
  apiKeyId: z.string().nullable(),
  userId: z.string().nullable(),
  endpoint: z.string().min(1),
  modelRequested: z.string(),
  modelServed: z.string().nullable(),
  provider: z.string().nullable(),
  inputTokens: count,
  outputTokens: count,
  cachedTokens: count,
  costNanoUsd: count,
  latencyMs: count,
  ttftMs: count.nullable(),
  status: z.number().int().min(0).max(999),
  attempts: count,
  cacheHit: z.boolean().default(false),
  stream: z.boolean(),
  errorCode: z.string().nullable(),
  tags: z.array(z.string()),
  createdAt: count,
  priceSource: z.enum(["tenant", "platform", "unknown"]).optional(),
  template: z.string().max(200).optional(),
}) satisfies z.ZodType<UsageEvent>;

/**
 * Enqueues a usage event without delaying the caller. A failed send is logged, not thrown:
 * the response has already been served and the ledger settled separately.
 */
export function recordUsage(queue: Queue, waitUntil: (p: Promise<unknown>) => void, event: UsageEvent): void {
  waitUntil(
    queue.send(event, { contentType: "json" }).catch((err: unknown) => {
      log.error("usage event not enqueued", { usageEventId: event.id, tenantId: event.tenantId, err });
    }),
  );
}

// ---- Reading usage back: summaries and the event list behind them. ----

export type UsageGroupBy = "day" | "model" | "provider" | "key";

export type UsageTotals = {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  costNanoUsd: number;
  costUsd: number;
  errors: number;
  /** Calls recorded at zero cost because their model had no price. */
  unpricedCalls: number;
  avgLatencyMs: number;
};
export type UsageSummaryRow = UsageTotals & { key: string; label: string | null };
export type UsageSummary = { from: number; to: number; groupBy: UsageGroupBy; timezone: string; rows: UsageSummaryRow[]; totals: UsageTotals };

// Every UTC offset in use is a multiple of 15 minutes, so a 15-minute bucket never spans
// two local dates: group by bucket in SQL, then fold buckets into the tenant's days.
const BUCKET_MS = 15 * 60_000;

const keyExpr: Record<UsageGroupBy, SQL<string | number>> = {
  day: sql<number>`(${usageEvents.createdAt} / ${BUCKET_MS})`,
  model: sql<string>`coalesce(${usageEvents.modelServed}, ${usageEvents.modelRequested})`,
  provider: sql<string>`coalesce(${usageEvents.provider}, '(none)')`,
  key: sql<string>`coalesce(${usageEvents.apiKeyId}, '(none)')`,
};

type Sums = { calls: number; inputTokens: number; outputTokens: number; cachedTokens: number; costNanoUsd: number; errors: number; unpricedCalls: number; latencyMs: number };

const sums = {
  calls: sql<number>`count(*)`,
  inputTokens: sql<number>`sum(${usageEvents.inputTokens})`,
  outputTokens: sql<number>`sum(${usageEvents.outputTokens})`,
  cachedTokens: sql<number>`sum(${usageEvents.cachedTokens})`,
  costNanoUsd: sql<number>`sum(${usageEvents.costNanoUsd})`,
  errors: sql<number>`sum(case when ${usageEvents.status} >= 400 then 1 else 0 end)`,
  unpricedCalls: sql<number>`sum(case when ${usageEvents.priceSource} = 'unknown' then 1 else 0 end)`,
  latencyMs: sql<number>`sum(${usageEvents.latencyMs})`,
};

const ZERO: Sums = { calls: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, costNanoUsd: 0, errors: 0, unpricedCalls: 0, latencyMs: 0 };

function add(a: Sums, b: Sums): Sums {
  return {
    calls: a.calls + b.calls,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
    costNanoUsd: a.costNanoUsd + b.costNanoUsd,
    errors: a.errors + b.errors,
    unpricedCalls: a.unpricedCalls + b.unpricedCalls,
    latencyMs: a.latencyMs + b.latencyMs,
  };
}

function totalsOf(s: Sums): UsageTotals {
  const { latencyMs, ...rest } = s;
  return { ...rest, costUsd: s.costNanoUsd / 1e9, avgLatencyMs: s.calls ? Math.round(latencyMs / s.calls) : 0 };
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The local calendar date (YYYY-MM-DD) of `ms` in `timeZone`. */
export function localDate(ms: number, timeZone: string): string {
  let fmt = dayFormats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormats.set(timeZone, fmt);
  }
  return fmt.format(ms);
}

function validZone(timeZone: string): string {
  try {
    localDate(0, timeZone);
    return timeZone;
  } catch {
    return "UTC";
  }
}

async function keyLabels(scope: TenantScope, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await scope.db
    .select({ id: apiKeys.id, name: apiKeys.name })
    .from(apiKeys)
    // D1 binds at most 100 variables per statement; keys past that are listed without a name.
    .where(and(eq(apiKeys.tenantId, scope.tenantId), inArray(apiKeys.id, ids.slice(0, 90))));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Usage of a tenant in [from, to), grouped; days are calendar days in the tenant's time zone. */
export async function usageSummary(scope: TenantScope, q: { from: number; to: number; groupBy: UsageGroupBy }): Promise<UsageSummary> {
  const tenant = await scope.db.query.tenants.findFirst({ columns: { timezone: true }, where: eq(tenants.id, scope.tenantId) });
  const timezone = validZone(tenant?.timezone ?? "UTC");
  const key = keyExpr[q.groupBy];
  const raw = await scope.db
    .select({ key, ...sums })
    .from(usageEvents)
    .where(and(eq(usageEvents.tenantId, scope.tenantId), gte(usageEvents.createdAt, q.from), lt(usageEvents.createdAt, q.to)))
    .groupBy(key);
  const grouped = new Map<string, Sums>();
  for (const { key: k, ...s } of raw) {
    const name = q.groupBy === "day" ? localDate(Number(k) * BUCKET_MS, timezone) : String(k);
    grouped.set(name, add(grouped.get(name) ?? ZERO, s));
  }
  const labels = q.groupBy === "key" ? await keyLabels(scope, [...grouped.keys()]) : new Map<string, string>();
  const rows = [...grouped].map(([k, s]) => ({ key: k, label: labels.get(k) ?? null, ...totalsOf(s) }));
  if (q.groupBy === "day") rows.sort((a, b) => (a.key < b.key ? -1 : 1));
  else rows.sort((a, b) => b.costNanoUsd - a.costNanoUsd || b.calls - a.calls || (a.key < b.key ? -1 : 1));
  const total = [...grouped.values()].reduce(add, ZERO);
  return { from: q.from, to: q.to, groupBy: q.groupBy, timezone, rows, totals: totalsOf(total) };
}

export type UsageEventQuery = {
  from: number;
  to: number;
  model?: string;
  provider?: string;
  apiKeyId?: string;
  /** An HTTP status, or "ok" (below 400) / "error" (400 and up). */
  status?: number | "ok" | "error";
  cursor?: string;
  limit: number;
};
export type UsageEventRow = typeof usageEvents.$inferSelect & { costUsd: number };

function encodeCursor(row: { createdAt: number; id: string }): string {
  return btoa(`${row.createdAt}.${row.id}`).replace(/=+$/, "");
}

const cursorSchema = z.string().regex(/^(\d{1,16})\.(.{1,200})$/);

function decodeCursor(cursor: string): { createdAt: number; id: string } {
  let text = "";
  try {
    text = atob(cursor);
  } catch {
    // handled below: an undecodable cursor fails the same check as a malformed one
  }
  const parsed = cursorSchema.safeParse(text);
  if (!parsed.success) throw new AppError("validation_failed", "Invalid cursor: pass back the nextCursor of a previous page");
  const dot = parsed.data.indexOf(".");
  return { createdAt: Number(parsed.data.slice(0, dot)), id: parsed.data.slice(dot + 1) };
}

function statusFilter(status: UsageEventQuery["status"]): SQL | undefined {
  if (status === undefined) return undefined;
  if (status === "ok") return lt(usageEvents.status, 400);
  if (status === "error") return gte(usageEvents.status, 400);
  return eq(usageEvents.status, status);
}

/** A tenant's calls in [from, to), newest first, one page at a time. */
export async function listUsageEvents(scope: TenantScope, q: UsageEventQuery): Promise<{ data: UsageEventRow[]; nextCursor: string | null }> {
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  const rows = await scope.db
    .select()
    .from(usageEvents)
    .where(
      and(
        eq(usageEvents.tenantId, scope.tenantId),
        gte(usageEvents.createdAt, q.from),
        lt(usageEvents.createdAt, q.to),
        q.model ? or(eq(usageEvents.modelRequested, q.model), eq(usageEvents.modelServed, q.model)) : undefined,
        q.apiKeyId ? eq(usageEvents.apiKeyId, q.apiKeyId) : undefined,
        q.provider ? eq(usageEvents.provider, q.provider) : undefined,
        statusFilter(q.status),
        after ? or(lt(usageEvents.createdAt, after.createdAt), and(eq(usageEvents.createdAt, after.createdAt), lt(usageEvents.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(usageEvents.createdAt), desc(usageEvents.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { data: page.map((r) => ({ ...r, costUsd: r.costNanoUsd / 1e9 })), nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null };
}
