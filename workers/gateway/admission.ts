/**
 * Asking the tenant's ledger before a provider is called: the worst case this call can
 * cost (over every target the plan may try) is reserved, rate limits are counted, and the
 * reservation is settled to the real cost once the meter records the call.
 */
import { catalogModel } from "./catalog";
import type { CallInput, GatewayDeps } from "./call";
import { admitCall, settleCall, worstCaseNanoUsd, type Admission } from "./ledger";
import type { Meter } from "./metering";
import type { Preflight } from "./preflight";
import type { WireFormat } from "./translate";

/**
 * How much the prompt-token estimate (about four characters a token) is scaled for the
 * reservation: text in other scripts, code and JSON can run to twice the tokens, and a
 * reservation smaller than the bill could let concurrent calls overspend a hard budget.
 */
export const PROMPT_TOKENS_SAFETY = 2;

/**
 * Tokens a provider adds around each message that the text estimate never sees: role
 * markers and separators (3, and 1 more for a name, by OpenAI's count) and the partial token
 * at the message's edges. A conversation of short turns is mostly framing.
 */
const FRAMING_TOKENS_PER_MESSAGE = 5;
/** Tokens that prime the reply. */
const REPLY_PRIMING_TOKENS = 3;

function messageCount(format: WireFormat, body: Record<string, unknown>): number {
  const count = (v: unknown): number => (Array.isArray(v) ? v.length : v === undefined || v === null ? 0 : 1);
  if (format === "openai-responses") return count(body.input) + count(body.instructions);
  if (format === "anthropic-messages") return count(body.messages) + count(body.system);
  return count(body.messages);
}

/** The prompt tokens a reservation assumes: the text estimate with its margin, plus the framing of every message. */
export function reservedPromptTokens(pre: Preflight, format: WireFormat): number {
  const text = Math.ceil(pre.features.estimatedPromptTokens * PROMPT_TOKENS_SAFETY);
  return text + messageCount(format, pre.body) * FRAMING_TOKENS_PER_MESSAGE + REPLY_PRIMING_TOKENS;
}

/** Output tokens assumed for a call that sets no max_tokens and whose model's limit is unknown. */
const DEFAULT_OUTPUT_CAP = 4_096;

function outputCap(pre: Preflight, model: string): number {
  const resolved = pre.info(model).resolved;
  const known = resolved ? catalogModel(resolved.provider, resolved.model) : undefined;
  return known?.maxOutput ?? DEFAULT_OUTPUT_CAP;
}

/** The most the call can cost across the plan's targets, in nano-USD (unpriced targets count 0). */
export function planWorstCase(pre: Preflight, format: WireFormat): number {
  let worst = 0;
  const prompt = reservedPromptTokens(pre, format);
  for (const t of pre.plan.targets) {
    const price = pre.info(t.model).price;
    if (price) worst = Math.max(worst, worstCaseNanoUsd(price, prompt, pre.features.maxOutputTokens, outputCap(pre, t.model)));
  }
  return worst;
}

/** Admits the call or throws 429 / 402 / 503; the reservation is settled when `meter` records. */
export async function admit(deps: GatewayDeps, input: CallInput, pre: Preflight, meter: Meter): Promise<Admission> {
  const first = pre.plan.targets[0]?.model ?? input.body.model;
  const expectedOutput = Math.min(pre.features.maxOutputTokens ?? outputCap(pre, first), outputCap(pre, first));
  const admission = await admitCall(deps.env, input.caller.tenantId, {
    requestId: input.requestId,
    apiKeyId: input.caller.apiKeyId,
    userId: input.caller.userId,
    tags: input.caller.tags,
    model: first,
    estimatedTokens: pre.features.estimatedPromptTokens + expectedOutput,
    worstCaseNanoUsd: planWorstCase(pre, input.format),
    now: pre.features.now,
  });
  meter.onRecorded((nanoUsd, tokens) => deps.waitUntil(settleCall(deps.env, input.caller.tenantId, admission.reservationId, { nanoUsd, tokens })));
  return admission;
}
