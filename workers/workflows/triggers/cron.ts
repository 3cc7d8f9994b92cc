/**
 * Cron triggers, evaluated by the Worker's scheduled handler every minute: each trigger
 * fires for the latest slot it has not fired yet; the slot is the run's trigger key, so
 * two overlapping ticks start one run.
 */
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { workflowTriggers } from "../../../d1/schema";
import { log, withLogTenant } from "../../lib/log";
import { tenantInfo } from "../engine/context";
import type { Job } from "../engine/messages";
import { startRun } from "../engine/start";
import type { StepDeps } from "../steps/types";
import { treeOf } from "../store/definitions";
import { latestSlot, parseCron } from "./cron-expression";

type TriggerRow = typeof workflowTriggers.$inferSelect;

export async function runCronTriggers(deps: StepDeps): Promise<Job[]> {
  const now = deps.now();
  const triggers = await deps.db.query.workflowTriggers.findMany({ where: eq(workflowTriggers.type, "cron"), limit: 2000 });
  const jobs: Job[] = [];
  // Each trigger's lines carry its tenant; a failing trigger does not stop the others.
  for (const t of triggers) jobs.push(...(await withLogTenant(t.tenantId, () => fireCronTrigger(deps, t, now))));
  return jobs;
}

async function fireCronTrigger(deps: StepDeps, t: TriggerRow, now: number): Promise<Job[]> {
  try {
    const zone = t.timezone ?? (await tenantInfo(deps.db, t.tenantId)).timezone;
    const slot = latestSlot(parseCron(t.schedule ?? ""), zone, t.lastFiredAt ?? t.createdAt, now);
    if (slot === null) return [];
    const claimed = await deps.db
      .update(workflowTriggers)
      .set({ lastFiredAt: slot })
      .where(and(eq(workflowTriggers.id, t.id), or(isNull(workflowTriggers.lastFiredAt), lt(workflowTriggers.lastFiredAt, slot))))
      .returning({ id: workflowTriggers.id });
    if (claimed.length === 0) return [];
    const tree = await treeOf({ db: deps.db, tenantId: t.tenantId }, t.workflowId, t.version);
    const def = tree.definition.triggers.find((d) => d.type === "cron" && d.schedule === t.schedule);
    const started = await startRun(deps, t.tenantId, {
      workflow: t.workflowId,
      input: def?.type === "cron" ? (def.input ?? {}) : {},
      trigger: { type: "cron", schedule: t.schedule ?? "" },
      triggerKey: `cron:${new Date(slot).toISOString()}`,
    });
    return started.jobs;
  } catch (err) {
    log.error("cron trigger failed", { triggerId: t.id, workflowId: t.workflowId, err });
    return [];
  }
}
