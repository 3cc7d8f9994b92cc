/**
 * model_call: the gateway in process, streaming. It is a gateway call in every way that
 * matters (the tenant's routing rules, budgets, rate limits, failover, the usage log), tagged
 * `assistant` and `assistant:<id>`; each piece of the answer is passed on as it arrives.
 */
import { gatewayDepsOf, generate, type CallInput } from "../../../gateway/call";
import { costNanoUsd, priceFor } from "../../../gateway/pricing";
import { AppError } from "../../../errors";
import { readChatStream } from "../sse";
import type { PipelineContext, PipelineStep } from "../types";

function callInputOf(ctx: PipelineContext): CallInput {
  return {
    requestId: ctx.messageId,
    caller: { tenantId: ctx.tenant.id, apiKeyId: null, userId: null, tags: ["assistant", `assistant:${ctx.assistant.id}`] },
    endpoint: "/v1/chat/completions",
    format: "openai-chat",
    body: { model: ctx.assistant.model, messages: ctx.messages, stream: true, stream_options: { include_usage: true } },
    // Routing rules can match these (match.metadata) as if they were x-auterity-* headers.
    metadata: { assistant: ctx.assistant.id, thread: ctx.thread.id },
    headers: new Headers(),
  };
}

/** What the streamed answer cost at the serving provider's prices (the usage log prices it the same way). */
async function priceOf(ctx: PipelineContext, headers: Record<string, string>): Promise<number> {
  const provider = headers["x-auterity-provider"];
  const model = headers["x-auterity-model"];
  // A replayed cached answer costs nothing, as the usage log records it.
  if (!provider || !model || headers["x-auterity-cache"] === "hit" || ctx.usage.inputTokens + ctx.usage.outputTokens === 0) return 0;
  const price = await priceFor(ctx.deps.db, ctx.tenant.id, provider, model, ctx.startedAt);
  return costNanoUsd(price, { ...ctx.usage, cachedTokens: 0 });
}

export const modelCall: PipelineStep = async (ctx) => {
  if (ctx.answered) return;
  const { env, db, waitUntil } = ctx.deps;
  const result = await generate(gatewayDepsOf(env, db, waitUntil), callInputOf(ctx));
  if (result.kind !== "stream") throw new AppError("upstream_error", "The gateway answered without a stream");
  let text = "";
  ctx.usage = await readChatStream(result.stream, (piece) => {
    text += piece;
    ctx.emit({ event: "delta", data: { text: piece } });
  });
  ctx.output = text;
  ctx.answered = true;
  ctx.costNanoUsd = await priceOf(ctx, result.headers);
};
