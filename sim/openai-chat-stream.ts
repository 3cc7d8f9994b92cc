/**
 * The `chat.completion.chunk` sequence OpenAI streams: a role delta, content (or tool-call)
 * deltas, a finish_reason chunk, an optional usage chunk with `choices: []`, then `[DONE]`.
 */
import { randomId } from "./http.ts";
import type { ReplyPlan } from "./reply.ts";
import { type SseEvent, sseFrame } from "./sse.ts";
import { countTokens, sliceChunks, splitChunks } from "./text.ts";

/** What the chunk sequence is built from. */
export interface ChatStreamInput {
  id: string;
  model: string;
  created: number;
  plan: ReplyPlan;
  usage: Record<string, unknown> | undefined;
}

/** OpenAI's finish_reason for a plan. */
export function finishReason(p: ReplyPlan): "stop" | "length" | "tool_calls" {
  return p.stop === "length" ? "length" : p.stop === "tool_calls" ? "tool_calls" : "stop";
}

function toolDeltas(plan: ReplyPlan): Array<{ delta: Record<string, unknown>; tokens: number }> {
  const out: Array<{ delta: Record<string, unknown>; tokens: number }> = [];
  plan.calls.forEach((call, index) => {
    const head = { index, id: randomId("call_", 18), type: "function", function: { name: call.name, arguments: "" } };
    out.push({ delta: { tool_calls: [head] }, tokens: countTokens(call.name) });
    for (const frag of sliceChunks(call.arguments)) {
      out.push({ delta: { tool_calls: [{ index, function: { arguments: frag } }] }, tokens: countTokens(frag) });
    }
  });
  return out;
}

/** The full SSE event list for one streamed chat completion. */
export function chatStreamEvents(s: ChatStreamInput): SseEvent[] {
  const base = { id: s.id, object: "chat.completion.chunk", created: s.created, model: s.model, service_tier: "default", system_fingerprint: "fp_sim" };
  const withUsage = s.usage ? { usage: null } : {};
  const chunk = (delta: Record<string, unknown>, finish: string | null): string =>
    sseFrame({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...withUsage });
  const hasCalls = s.plan.calls.length > 0;
  const events: SseEvent[] = [{ text: chunk({ role: "assistant", content: hasCalls ? null : "", refusal: null }, null), tokens: 0 }];
  if (hasCalls) {
    for (const d of toolDeltas(s.plan)) events.push({ text: chunk(d.delta, null), tokens: d.tokens });
  } else {
    for (const piece of splitChunks(s.plan.text)) events.push({ text: chunk({ content: piece }, null), tokens: countTokens(piece) });
  }
  events.push({ text: chunk({}, finishReason(s.plan)), tokens: 0 });
  if (s.usage) events.push({ text: sseFrame({ ...base, choices: [], usage: s.usage }), tokens: 0 });
  events.push({ text: sseFrame("[DONE]"), tokens: 0 });
  return events;
}
