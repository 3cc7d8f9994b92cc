/**
 * The safety net behind the queue: messages whose next attempt was due long ago (their
 * queue message was lost, dead-lettered or its consumer died mid-attempt) are queued
 * again. Run from the cron trigger; a duplicate it creates is dropped by the claim.
 */
import { and, eq, inArray, lt } from "drizzle-orm";
import { webhookMessages } from "../../d1/schema";
import { type Db, makeDb } from "../db";
import { job, queueEnqueue, type Enqueue } from "./jobs";

export type SweepDeps = { db: Db; enqueue: Enqueue; now: number };

/** How late a due attempt must be before the sweep steps in. */
export const SWEEP_GRACE_MS = 5 * 60_000;
const SWEEP_LIMIT = 1000;
// inArray binds one parameter per id; D1 allows 100 per statement.
const IDS_PER_UPDATE = 90;

/** Re-queues overdue pending messages; returns how many. */
export async function sweepOverdueMessages(deps: SweepDeps, limit = SWEEP_LIMIT): Promise<number> {
  const m = webhookMessages;
  const overdue = await deps.db
    .select({ id: m.id, attempts: m.attempts })
    .from(m)
    .where(and(eq(m.status, "pending"), lt(m.nextAttemptAt, deps.now - SWEEP_GRACE_MS)))
    .orderBy(m.nextAttemptAt)
    .limit(limit);
  if (overdue.length === 0) return 0;
  // Moving next_attempt_at to now keeps the next sweeps from queueing them again meanwhile.
  for (let i = 0; i < overdue.length; i += IDS_PER_UPDATE) {
    const ids = overdue.slice(i, i + IDS_PER_UPDATE).map((r) => r.id);
    await deps.db.update(m).set({ nextAttemptAt: deps.now }).where(and(inArray(m.id, ids), eq(m.status, "pending")));
  }
  await deps.enqueue(overdue.map((r) => job(r.id, r.attempts + 1)));
  return overdue.length;
}

/** The cron entry: sweeps with the Worker's bindings. */
export async function runWebhookSweep(env: Env, now: number = Date.now()): Promise<number> {
  return sweepOverdueMessages({ db: makeDb(env.DB), enqueue: queueEnqueue(env.WEBHOOK_QUEUE), now });
}
