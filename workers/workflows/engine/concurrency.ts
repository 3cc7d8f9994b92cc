/**
 * Concurrency limits per key (e.g. one run per lead at a time). A run holds a slot from
 * the moment it starts until it ends; runs over the limit wait as `queued` and take the
 * slot of the one before them when it frees.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { workflowConcurrency, workflowRuns } from "../../../d1/schema";
import type { Db } from "../../db";
import type { RunRow } from "./rows";

/** Takes a slot for `run` if fewer than `limit` are held; one statement, so D1 applies it atomically. */
export async function acquireSlot(db: Db, run: RunRow, limit: number, now: number): Promise<boolean> {
  if (!run.concurrencyKey) return true;
  const key = run.concurrencyKey;
  // Two statements, not a batch: drizzle cannot batch a raw statement with parameters on D1.
  // Only this run's own release could remove its row in between, so reading it back is safe.
  await db.run(sql`insert into workflow_concurrency (workflow_id, key, run_id, tenant_id, created_at)
      select ${run.workflowId}, ${key}, ${run.id}, ${run.tenantId}, ${now}
      where (select count(*) from workflow_concurrency where workflow_id = ${run.workflowId} and key = ${key}) < ${limit}
      on conflict do nothing`);
  const held = await db
    .select({ runId: workflowConcurrency.runId })
    .from(workflowConcurrency)
    .where(and(eq(workflowConcurrency.workflowId, run.workflowId), eq(workflowConcurrency.key, key), eq(workflowConcurrency.runId, run.id)));
  return held.length > 0;
}

export async function releaseSlot(db: Db, run: RunRow): Promise<void> {
  if (!run.concurrencyKey) return;
  await db.delete(workflowConcurrency).where(eq(workflowConcurrency.runId, run.id));
}

/** The oldest runs still queued behind `run`'s key. */
export function queuedBehind(db: Db, run: RunRow, limit: number): Promise<RunRow[]> {
  if (!run.concurrencyKey) return Promise.resolve([]);
  return db.query.workflowRuns.findMany({
    where: and(eq(workflowRuns.workflowId, run.workflowId), eq(workflowRuns.concurrencyKey, run.concurrencyKey), eq(workflowRuns.status, "queued")),
    orderBy: [asc(workflowRuns.createdAt)],
    limit,
  });
}
