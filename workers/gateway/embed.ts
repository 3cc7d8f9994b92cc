/**
 * The embeddings call path: no translation (every embedding provider speaks OpenAI's
 * format); the upstream JSON goes back byte for byte and is only read for its usage.
 * Budgets and rate limits apply as for any call, and the outcome feeds the target's health.
 */
import { z } from "zod";
import { AppError } from "../errors";
import { PROMPT_TOKENS_SAFETY } from "./admission";
import { costHeader, metered, routeFor, servedBy, type CallInput, type GatewayDeps } from "./call";
import { classifyFailure, reportOutcome } from "./health";
import { admitCall, settleCall } from "./ledger";
import { costNanoUsd, priceFor } from "./pricing";

const EMBEDDINGS_TIMEOUT_MS = 60_000;

const embeddingUsage = z.looseObject({
  usage: z.looseObject({ prompt_tokens: z.number().int().nonnegative() }).optional(),
});

export type EmbedResult = { text: string; headers: Record<string, string> };

function promptTokens(text: string): number {
  let raw: unknown = null;
  try {
    raw = JSON.parse(text);
  } catch {
    // A provider that answers 200 with something else still served the call; it just reports no usage.
  }
  const parsed = embeddingUsage.safeParse(raw);
  return parsed.success ? (parsed.data.usage?.prompt_tokens ?? 0) : 0;
}

/** An upper bound of the input's tokens: the reservation must never be smaller than the bill. */
function worstCaseTokens(input: unknown): number {
  return Math.ceil((JSON.stringify(input ?? "").length / 4) * PROMPT_TOKENS_SAFETY);
}

/** POST /v1/embeddings for the caller's tenant. */
export function embed(deps: GatewayDeps, input: CallInput): Promise<EmbedResult> {
  return metered(deps, input, false, async (meter) => {
    const { target, adapter, healthKey } = await routeFor(deps, input.caller.tenantId, input.body.model);
    const headers = servedBy(meter, target);
    if (!adapter.embed) {
      throw new AppError("bad_request", `${target.name} does not serve embeddings; use an embedding model such as text-embedding-3-small`);
    }
    const tokens = worstCaseTokens(input.body.input);
    const price = await priceFor(deps.db, input.caller.tenantId, target.kind === "openai-compatible" ? target.name : target.kind, target.model);
    const admission = await admitCall(deps.env, input.caller.tenantId, {
      requestId: input.requestId,
      apiKeyId: input.caller.apiKeyId,
      userId: input.caller.userId,
      tags: input.caller.tags,
      model: input.body.model,
      estimatedTokens: tokens,
      worstCaseNanoUsd: costNanoUsd(price, { inputTokens: tokens, outputTokens: 0, cachedTokens: 0 }),
      now: Date.now(),
    });
    meter.onRecorded((nanoUsd, used) => deps.waitUntil(settleCall(deps.env, input.caller.tenantId, admission.reservationId, { nanoUsd, tokens: used })));
    const started = Date.now();
    const text = await adapter
      .embed(target, { ...input.body, model: target.model }, { signal: input.signal, timeoutMs: EMBEDDINGS_TIMEOUT_MS })
      .then((res) => res.text())
      .catch((err: unknown) => {
        const kind = classifyFailure(err);
        if (kind) reportOutcome(deps.env, deps.waitUntil, healthKey, { ok: false, kind, latencyMs: Date.now() - started });
        throw err;
      });
    reportOutcome(deps.env, deps.waitUntil, healthKey, { ok: true, latencyMs: Date.now() - started });
    meter.usage({ inputTokens: promptTokens(text), outputTokens: 0, cachedTokens: 0 });
    const cost = await meter.finish({ status: 200, errorCode: null });
    return { text, headers: { ...headers, ...admission.headers, "x-auterity-cost-usd": costHeader(cost) } };
  });
}
