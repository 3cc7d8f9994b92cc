/**
 * Eval runs: every example of an eval set goes through the gateway in process (routing,
 * budgets and the usage log apply, tagged `eval`) to the candidate version and to the
 * champion, pinned by version. Each answer is scored with the dealership quality score and,
 * when the example has an expected answer, by how much of it the answer covers.
 */
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { evalRuns, models, type EvalExample, type EvalExampleScore } from "../../../d1/schema";
import type { TenantScope } from "../../db";
import { qualityScore } from "../../dealership/quality-score";
import { AppError, toAppError } from "../../errors";
import { generate, type GatewayDeps } from "../../gateway/call";
import { newId } from "../../lib/ids";
import { nanoUsdFromHeader } from "../../workflows/steps/ai";
import { aliasesOf, getModel, getVersion, versionLabel, type ModelRow, type VersionRow } from "../registry/store";
import type { EvalRunRow } from "./gate";

export type EvalDeps = { gateway: GatewayDeps; scope: TenantScope; now: () => number };

const ChatAnswer = z.object({ choices: z.array(z.object({ message: z.object({ content: z.string().nullable().optional() }) })).min(1) });
const PARALLEL = 4;

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[a-z0-9']+/g) ?? []);
}

/** Share (0..100) of the expected answer's words that the answer uses. */
export function overlapScore(expected: string, answer: string): number {
  const want = words(expected);
  if (want.size === 0) return 100;
  const got = words(answer);
  let hit = 0;
  for (const w of want) if (got.has(w)) hit++;
  return (hit / want.size) * 100;
}

/** One answer's score: quality alone, or the mean of quality and overlap when an answer is expected. */
export function scoreAnswer(example: EvalExample, text: string): Pick<EvalExampleScore, "score" | "quality" | "overlap"> {
  const quality = qualityScore({ text }).score;
  const overlap = example.expected === undefined ? null : overlapScore(example.expected, text);
  return { score: overlap === null ? quality : (quality + overlap) / 2, quality, overlap };
}

async function askOne(deps: EvalDeps, label: string, batchId: string, example: EvalExample, index: number): Promise<{ s: EvalExampleScore; cost: number }> {
  const input = {
    requestId: `eval:${batchId}:${label}:${index}`,
    caller: { tenantId: deps.scope.tenantId, apiKeyId: null, userId: null, tags: ["eval"] },
    endpoint: "/v1/chat/completions",
    format: "openai-chat" as const,
    body: { model: label, messages: example.messages },
    metadata: { eval: batchId },
    headers: new Headers(),
  };
  try {
    const result = await generate(deps.gateway, input);
    const answer = result.kind === "json" ? ChatAnswer.safeParse(result.body) : null;
    const text = answer?.success ? (answer.data.choices[0]?.message.content ?? "") : "";
    return { s: { index, ...scoreAnswer(example, text), error: null, text: text.slice(0, 2000) }, cost: nanoUsdFromHeader(result.headers["x-auterity-cost-usd"]) };
  } catch (err) {
    const e = toAppError(err);
    return { s: { index, score: 0, quality: 0, overlap: null, error: `${e.code}: ${e.message}`.slice(0, 500), text: "" }, cost: 0 };
  }
}

async function runVersion(deps: EvalDeps, model: ModelRow, version: VersionRow, batchId: string, set: EvalExample[]): Promise<EvalRunRow> {
  const label = versionLabel(model.key, version.version);
  const results: { s: EvalExampleScore; cost: number }[] = [];
  for (let i = 0; i < set.length; i += PARALLEL) {
    const chunk = set.slice(i, i + PARALLEL);
    results.push(...(await Promise.all(chunk.map((ex, j) => askOne(deps, label, batchId, ex, i + j)))));
  }
  const scores = results.map((r) => r.s);
  const answered = scores.filter((s) => s.error === null).length;
  const row: EvalRunRow = {
    id: newId("evr"),
    tenantId: deps.scope.tenantId,
    modelId: model.id,
    versionId: version.id,
    batchId,
    status: answered > 0 ? "completed" : "failed",
    meanScore: scores.reduce((n, s) => n + s.score, 0) / Math.max(1, scores.length),
    scores,
    costNanoUsd: results.reduce((n, r) => n + r.cost, 0),
    exampleCount: scores.length,
    createdAt: deps.now(),
  };
  await deps.scope.db.insert(evalRuns).values(row);
  return row;
}

export type EvalResult = { batchId: string; candidate: EvalRunRow; champion: EvalRunRow | null };

/**
 * Runs `evalSet` (or the model's stored one) against the candidate and the current
 * champion, stores both runs and remembers the set on the model.
 */
export async function runEval(deps: EvalDeps, modelId: string, input: { versionId: string; evalSet?: EvalExample[] }): Promise<EvalResult> {
  const model = await getModel(deps.scope, modelId);
  const candidate = await getVersion(deps.scope, modelId, input.versionId);
  const set = input.evalSet ?? model.evalSet;
  if (!set || set.length === 0) throw new AppError("validation_failed", "evalSet is required: this model has no stored eval set yet");
  if (input.evalSet) await deps.scope.db.update(models).set({ evalSet: input.evalSet, updatedAt: deps.now() }).where(and(eq(models.tenantId, deps.scope.tenantId), eq(models.id, modelId)));
  const championId = (await aliasesOf(deps.scope, modelId)).champion;
  const champion = championId && championId !== candidate.id ? await getVersion(deps.scope, modelId, championId) : null;
  const batchId = newId("evb");
  const [c, ch] = await Promise.all([runVersion(deps, model, candidate, batchId, set), champion ? runVersion(deps, model, champion, batchId, set) : Promise.resolve(null)]);
  return { batchId, candidate: c, champion: ch };
}

/** The model's eval runs, newest first. */
export function listEvalRuns(scope: TenantScope, modelId: string): Promise<EvalRunRow[]> {
  return scope.db.select().from(evalRuns).where(and(eq(evalRuns.tenantId, scope.tenantId), eq(evalRuns.modelId, modelId))).orderBy(desc(evalRuns.createdAt)).limit(100);
}
