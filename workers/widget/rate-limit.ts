/**
 * A per-widget, per-visitor request limit on the public chat route: a fixed one-minute
 * window counted in D1. An upsert returning the new count makes each hit one statement, so
 * two simultaneous requests can never both read the same count.
 */
import { and, eq, lt, sql } from "drizzle-orm";
import { widgetRateCounters } from "../../d1/schema";
import type { Db } from "../db";
import { AppError } from "../errors";
import { sha256Hex } from "../lib/crypto";

export const WIDGET_CHAT_LIMIT = { requests: 20, windowMs: 60_000 } as const;

export type RateLimitDeps = { db: Db; limit?: { requests: number; windowMs: number }; now?: number; defer?: (p: Promise<unknown>) => void };

/** Counts one chat request from `visitorIp` on `widget`; throws `rate_limited` past the limit. */
export async function hitWidgetLimit(deps: RateLimitDeps, widget: { id: string; tenantId: string }, visitorIp: string): Promise<void> {
  const limit = deps.limit ?? WIDGET_CHAT_LIMIT;
  const now = deps.now ?? Date.now();
  const windowStart = now - (now % limit.windowMs);
  // Hashed with the widget id so the table never holds a visitor's address.
  const visitor = (await sha256Hex(`${widget.id}:${visitorIp}`)).slice(0, 32);
  const [row] = await deps.db
    .insert(widgetRateCounters)
    .values({ key: `${widget.id}:${visitor}:${windowStart}`, tenantId: widget.tenantId, widgetId: widget.id, windowStart, count: 1 })
    .onConflictDoUpdate({ target: widgetRateCounters.key, set: { count: sql`${widgetRateCounters.count} + 1` } })
    .returning({ count: widgetRateCounters.count });
  if (row && row.count === 1 && deps.defer) deps.defer(purgeOldWindows(deps.db, widget.id, windowStart));
  if (row && row.count > limit.requests) {
    const retryAfter = Math.max(1, Math.ceil((windowStart + limit.windowMs - now) / 1000));
    throw new AppError("rate_limited", `Too many messages from this visitor; try again in ${retryAfter} s`, undefined, undefined, { "retry-after": String(retryAfter) });
  }
}

/** Old windows are dead weight; the first hit of a new window clears them for its widget. */
async function purgeOldWindows(db: Db, widgetId: string, windowStart: number): Promise<void> {
  await db.delete(widgetRateCounters).where(and(eq(widgetRateCounters.widgetId, widgetId), lt(widgetRateCounters.windowStart, windowStart)));
}
