/**
 * auterity_budget_utilisation_ratio at scrape time: spend / limit of each enabled budget, as
 * its tenant's TenantLedger holds it now. The work is bounded: at most MAX_BUDGETS budgets
 * (by tenant id, then budget id), one ledger read per tenant, all in parallel.
 */
import { asc, eq } from "drizzle-orm";
import { budgets } from "../../../d1/schema";
import { makeDb } from "../../db";
import { ledgerSpend } from "../../gateway/ledger/client";
import { log } from "../../lib/log";
import type { GaugeSample } from "../render";

export const MAX_BUDGETS = 500;

export async function budgetGauge(env: Env, now: number): Promise<GaugeSample<"auterity_budget_utilisation_ratio">[]> {
  const rows = await makeDb(env.DB)
    .select({ id: budgets.id, tenantId: budgets.tenantId })
    .from(budgets)
    .where(eq(budgets.enabled, true))
    .orderBy(asc(budgets.tenantId), asc(budgets.id))
    .limit(MAX_BUDGETS + 1);
  if (rows.length > MAX_BUDGETS) log.warn("metrics: budgets past the limit left out", { limit: MAX_BUDGETS });
  const wanted = new Map<string, Set<string>>();
  for (const r of rows.slice(0, MAX_BUDGETS)) {
    const ids = wanted.get(r.tenantId) ?? new Set<string>();
    ids.add(r.id);
    wanted.set(r.tenantId, ids);
  }
  const reads = await Promise.allSettled(
    [...wanted].map(async ([tenant, ids]) => (await ledgerSpend(env, tenant, now)).filter((v) => ids.has(v.budgetId)).map((v) => ({ tenant, view: v }))),
  );
  const samples: GaugeSample<"auterity_budget_utilisation_ratio">[] = [];
  for (const read of reads) {
    // A ledger that cannot answer just now leaves its tenant's budgets out of this scrape.
    if (read.status !== "fulfilled") continue;
    for (const { tenant, view } of read.value) {
      if (view.limitNanoUsd > 0) samples.push({ labels: { tenant, budget: view.budgetId }, value: view.spentNanoUsd / view.limitNanoUsd });
    }
  }
  return samples;
}
