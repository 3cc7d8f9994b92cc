/**
 * The embeddings call path: no translation (every embedding provider speaks OpenAI's
 * format); the upstream JSON goes back byte for byte and is only read for its usage.
 */
import { z } from "zod";
import { AppError } from "../errors";
import { costHeader, metered, routeFor, servedBy, type CallInput, type GatewayDeps } from "./call";

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

/** POST /v1/embeddings for the caller's tenant. */
export function embed(deps: GatewayDeps, input: CallInput): Promise<EmbedResult> {
  return metered(deps, input, false, async (meter) => {
    const { target, adapter } = await routeFor(deps, input.caller.tenantId, input.body.model);
    const headers = servedBy(meter, target);
    if (!adapter.embed) {
      throw new AppError("bad_request", `${target.name} does not serve embeddings; use an embedding model such as text-embedding-3-small`);
    }
    const res = await adapter.embed(target, { ...input.body, model: target.model }, { signal: input.signal, timeoutMs: EMBEDDINGS_TIMEOUT_MS });
    const text = await res.text();
    meter.usage({ inputTokens: promptTokens(text), outputTokens: 0, cachedTokens: 0 });
    const cost = await meter.finish({ status: 200, errorCode: null });
    return { text, headers: { ...headers, "x-auterity-cost-usd": costHeader(cost) } };
  });
}
