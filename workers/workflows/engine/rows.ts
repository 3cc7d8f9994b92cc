/**
 * Reads and guarded writes of runs and step runs. Every state change is a conditional
 * UPDATE (… WHERE status = expected), so two consumers racing on one step run, or a stale
 * consumer whose lease ran out, can never both win.
 */
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { type RunStatus, type StepErrorInfo, workflowRuns, workflowStepRuns } from "../../../d1/schema";
import type { Db } from "../../db";
import { newId } from "../../lib/ids";

export type RunRow = typeof workflowRuns.$inferSelect;
export type StepRow = typeof workflowStepRuns.$inferSelect;

export const TERMINAL: ReadonlySet<RunStatus> = new Set(["errored", "terminated", "complete"]);

export async function loadRun(db: Db, tenantId: string, runId: string): Promise<RunRow | undefined> {
  return db.query.workflowRuns.findFirst({ where: and(eq(workflowRuns.id, runId), eq(workflowRuns.tenantId, tenantId)) });
}

export async function loadStep(db: Db, runId: string, stepId: string, iteration: number): Promise<StepRow | undefined> {
  return db.query.workflowStepRuns.findFirst({ where: and(eq(workflowStepRuns.runId, runId), eq(workflowStepRuns.stepId, stepId), eq(workflowStepRuns.iteration, iteration)) });
}

/** Every step run of a run, newest iteration first per step. */
export function stepsOfRun(db: Db, runId: string): Promise<StepRow[]> {
  return db.query.workflowStepRuns.findMany({ where: eq(workflowStepRuns.runId, runId), orderBy: [desc(workflowStepRuns.iteration), workflowStepRuns.createdAt] });
}

/** The newest step run of each given step. */
export async function latestOf(db: Db, runId: string, stepIds: string[]): Promise<Map<string, StepRow>> {
  const rows = await db.query.workflowStepRuns.findMany({
    where: and(eq(workflowStepRuns.runId, runId), inArray(workflowStepRuns.stepId, stepIds)),
    orderBy: [desc(workflowStepRuns.iteration)],
  });
  const out = new Map<string, StepRow>();
  for (const r of rows) if (!out.has(r.stepId)) out.set(r.stepId, r);
  return out;
}

/** Creates step runs as pending (a row that exists already is left alone). */
export async function insertPending(db: Db, run: RunRow, steps: { stepId: string; type: string; iteration: number }[], now: number): Promise<void> {
  if (steps.length === 0) return;
  await db
    .insert(workflowStepRuns)
    .values(steps.map((s) => ({ id: newId("srn"), tenantId: run.tenantId, runId: run.id, stepId: s.stepId, type: s.type, iteration: s.iteration, status: "pending" as const, updatedAt: now, createdAt: now })))
    .onConflictDoNothing();
}

/** pending (and due) -> running, or a running step whose lease ran out -> running again. */
export async function claimStep(db: Db, row: StepRow, now: number, leaseMs: number): Promise<StepRow | undefined> {
  const [claimed] = await db
    .update(workflowStepRuns)
    .set({ status: "running", attempts: sql`${workflowStepRuns.attempts} + 1`, leaseUntil: now + leaseMs, startedAt: sql`coalesce(${workflowStepRuns.startedAt}, ${now})`, wakeAt: null, updatedAt: now })
    .where(
      and(
        eq(workflowStepRuns.id, row.id),
        sql`((${workflowStepRuns.status} = 'pending' and coalesce(${workflowStepRuns.wakeAt}, 0) <= ${now}) or (${workflowStepRuns.status} = 'running' and ${workflowStepRuns.leaseUntil} < ${now}))`,
      ),
    )
    .returning();
  return claimed;
}

/** waiting -> running, for the one waker that wins (a timer and an event may race). */
export async function claimWaiting(db: Db, row: StepRow, now: number, leaseMs: number): Promise<StepRow | undefined> {
  const [claimed] = await db
    .update(workflowStepRuns)
    .set({ status: "running", leaseUntil: now + leaseMs, updatedAt: now })
    .where(and(eq(workflowStepRuns.id, row.id), eq(workflowStepRuns.status, "waiting")))
    .returning();
  return claimed;
}

/** The claim this consumer holds: same row, still running, same attempt. */
const held = (row: StepRow) => and(eq(workflowStepRuns.id, row.id), eq(workflowStepRuns.status, "running"), eq(workflowStepRuns.attempts, row.attempts));

export async function finishStep(db: Db, row: StepRow, done: { output: unknown; costNanoUsd: number; input?: unknown }, now: number): Promise<boolean> {
  const { output, costNanoUsd, input } = done;
  const finished = await db
    .update(workflowStepRuns)
    .set({ ...(input === undefined ? {} : { input }), status: "succeeded", output: output ?? null, error: null, costNanoUsd: sql`${workflowStepRuns.costNanoUsd} + ${costNanoUsd}`, leaseUntil: null, wakeAt: null, finishedAt: now, updatedAt: now })
    .where(held(row))
    .returning({ id: workflowStepRuns.id });
  if (finished.length > 0 && costNanoUsd > 0) {
    await db.update(workflowRuns).set({ costNanoUsd: sql`${workflowRuns.costNanoUsd} + ${costNanoUsd}` }).where(eq(workflowRuns.id, row.runId));
  }
  return finished.length > 0;
}

/** A structural step whose nested lists finished: waiting -> succeeded, once. */
export async function finishWaiting(db: Db, row: StepRow, output: unknown, now: number): Promise<boolean> {
  const done = await db
    .update(workflowStepRuns)
    .set({ status: "succeeded", output: output ?? null, finishedAt: now, updatedAt: now, wakeAt: null })
    .where(and(eq(workflowStepRuns.id, row.id), eq(workflowStepRuns.status, "waiting")))
    .returning({ id: workflowStepRuns.id });
  return done.length > 0;
}

export type WaitFields = Pick<StepRow, "waitKind" | "waitEvent" | "waitMatch" | "wakeAt" | "state"> & { input?: unknown };

export async function parkStep(db: Db, row: StepRow, wait: WaitFields, now: number): Promise<boolean> {
  const { input, ...fields } = wait;
  const done = await db
    .update(workflowStepRuns)
    .set({ ...fields, ...(input === undefined ? {} : { input }), status: "waiting", leaseUntil: null, updatedAt: now })
    .where(held(row))
    .returning({ id: workflowStepRuns.id });
  return done.length > 0;
}

/** Back to pending until `wakeAt` (a retry, or quiet hours); `countAttempt` false gives the attempt back. */
export async function deferStep(db: Db, row: StepRow, wakeAt: number, error: StepErrorInfo | null, countAttempt: boolean, now: number): Promise<boolean> {
  const done = await db
    .update(workflowStepRuns)
    .set({ status: "pending", wakeAt, leaseUntil: null, updatedAt: now, ...(error ? { error } : {}), ...(countAttempt ? {} : { attempts: row.attempts - 1 }) })
    .where(held(row))
    .returning({ id: workflowStepRuns.id });
  return done.length > 0;
}

/** The claim this consumer holds failed past its retries: running -> failed. */
export async function failClaimed(db: Db, row: StepRow, error: StepErrorInfo, now: number): Promise<boolean> {
  const done = await db
    .update(workflowStepRuns)
    .set({ status: "failed", error, leaseUntil: null, finishedAt: now, updatedAt: now })
    .where(held(row))
    .returning({ id: workflowStepRuns.id });
  return done.length > 0;
}

/** Fails a step run whatever its claim (a message that could not be delivered at all). */
export async function failStep(db: Db, row: StepRow, error: StepErrorInfo, now: number): Promise<boolean> {
  const done = await db
    .update(workflowStepRuns)
    .set({ status: "failed", error, leaseUntil: null, finishedAt: now, updatedAt: now })
    .where(and(eq(workflowStepRuns.id, row.id), inArray(workflowStepRuns.status, ["running", "waiting", "pending"])))
    .returning({ id: workflowStepRuns.id });
  return done.length > 0;
}

/** Moves a run from one of `from` to `to`; returns the updated row, or undefined if it was not in `from`. */
export async function moveRun(db: Db, run: RunRow, from: RunStatus[], set: Partial<typeof workflowRuns.$inferInsert> & { status: RunStatus }, now: number): Promise<RunRow | undefined> {
  const [row] = await db
    .update(workflowRuns)
    .set({ ...set, updatedAt: now })
    .where(and(eq(workflowRuns.id, run.id), inArray(workflowRuns.status, from)))
    .returning();
  return row;
}

/** Marks a run running/waiting as steps start and park (informational; never leaves a terminal or paused state). */
export async function markActive(db: Db, run: RunRow, status: "running" | "waiting", now: number): Promise<void> {
  if (run.status === status) return;
  await db
    .update(workflowRuns)
    .set({ status, updatedAt: now })
    .where(and(eq(workflowRuns.id, run.id), inArray(workflowRuns.status, ["running", "waiting"])));
}
