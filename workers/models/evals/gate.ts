/**
 * The promotion gate: a version becomes champion only when its latest completed eval
 * scored at least the champion's latest minus the model's evalMargin.
 */
import { and, desc, eq } from "drizzle-orm";
import { evalRuns } from "../../../d1/schema";
import type { TenantScope } from "../../db";
import { AppError } from "../../errors";

export type EvalRunRow = typeof evalRuns.$inferSelect;

/** The version's most recent completed eval run, or null. */
export async function latestEval(scope: TenantScope, versionId: string): Promise<EvalRunRow | null> {
  const rows = await scope.db
    .select()
    .from(evalRuns)
    .where(and(eq(evalRuns.tenantId, scope.tenantId), eq(evalRuns.versionId, versionId), eq(evalRuns.status, "completed")))
    .orderBy(desc(evalRuns.createdAt))
    .limit(1);
  return rows[0] ?? null;
}

export type GateInput = { candidateId: string; championId: string | null; margin: number };
export type GateVerdict = { candidateScore: number | null; championScore: number | null; required: number | null };

/**
 * Throws 409 conflict (with the scores in details) when the candidate may not replace the
 * champion; answers the scores that let it through. No champion means nothing to beat.
 */
export async function checkPromotionGate(scope: TenantScope, input: GateInput): Promise<GateVerdict> {
  if (!input.championId) return { candidateScore: null, championScore: null, required: null };
  const candidate = await latestEval(scope, input.candidateId);
  if (!candidate) {
    throw new AppError("conflict", "This version has no completed eval: run POST /models/{id}/evals first, or promote with force (admins)", {
      candidateVersionId: input.candidateId,
    });
  }
  const champion = await latestEval(scope, input.championId);
  // POST /evals runs the champion alongside the candidate, so a missing champion score means it could not be asked.
  const championScore = champion?.meanScore ?? null;
  const required = championScore === null ? null : championScore - input.margin;
  if (required !== null && candidate.meanScore < required) {
    throw new AppError("conflict", `The candidate's eval score ${candidate.meanScore.toFixed(1)} is below the required ${required.toFixed(1)} (champion ${championScore?.toFixed(1)} minus margin ${input.margin})`, {
      candidateScore: candidate.meanScore,
      championScore,
      margin: input.margin,
    });
  }
  return { candidateScore: candidate.meanScore, championScore, required };
}
