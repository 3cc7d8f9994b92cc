/**
 * POST /anthropic/v1/messages (and count_tokens): text and tool_use content, stop reasons
 * end_turn / max_tokens / tool_use / stop_sequence, streamed as Anthropic's event sequence.
 */
import type { ServerResponse } from "node:http";
import { z } from "zod";
import { messageStreamEvents } from "./anthropic-stream.ts";
import type { Knobs } from "./faults.ts";
import { randomId } from "./http.ts";
import { planReply, type ReplyPlan } from "./reply.ts";
import { sendJsonMaybeCut, sendSse } from "./sse.ts";
import { countTokens, IMAGE_TOKENS, MESSAGE_OVERHEAD_TOKENS } from "./text.ts";
import type { ToolMode } from "./tools.ts";

const nested = z.looseObject({ type: z.string(), text: z.string().optional() });
const block = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  name: z.string().optional(),
  input: z.unknown().optional(),
  content: z.union([z.string(), z.array(nested)]).optional(),
});
const message = z.looseObject({ role: z.enum(["user", "assistant", "system"]), content: z.union([z.string(), z.array(block)]) });
const tool = z.looseObject({ name: z.string().min(1), description: z.string().optional(), input_schema: z.unknown().optional() });
const toolChoice = z.looseObject({
  type: z.enum(["auto", "any", "tool", "none"]),
  name: z.string().optional(),
  disable_parallel_tool_use: z.boolean().optional(),
});
const base = z.looseObject({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  system: z.union([z.string(), z.array(nested)]).optional(),
  tools: z.array(tool).optional(),
  tool_choice: toolChoice.optional(),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
});

/** A Messages request (max_tokens is required, as the real API says). */
export const messagesBody = base.extend({ max_tokens: z.number().int().min(1) });
/** A count_tokens request: the same shape without max_tokens. */
export const countTokensBody = base;
/** Parsed count_tokens body (every Messages body is also one). */
export type CountTokensBody = z.infer<typeof countTokensBody>;
type MessagesBody = z.infer<typeof messagesBody>;
type Block = z.infer<typeof block>;

function textOfContent(content: string | Array<{ type: string; text?: string | undefined }> | undefined): string {
  if (content === undefined) return "";
  return typeof content === "string" ? content : content.map((b) => b.text ?? "").join("");
}

function blockTokens(b: Block): number {
  if (b.type === "image" || b.type === "document") return IMAGE_TOKENS;
  if (b.type === "tool_use") return countTokens(b.name ?? "") + countTokens(JSON.stringify(b.input ?? {}));
  if (b.type === "tool_result") return countTokens(textOfContent(b.content));
  return countTokens(b.text ?? "");
}

/** Input tokens of a request, the same for usage and count_tokens. */
export function inputTokens(body: CountTokensBody): number {
  let n = countTokens(textOfContent(body.system));
  for (const m of body.messages) {
    n += MESSAGE_OVERHEAD_TOKENS + (typeof m.content === "string" ? countTokens(m.content) : m.content.reduce((s, b) => s + blockTokens(b), 0));
  }
  if (body.tools) n += countTokens(JSON.stringify(body.tools));
  return n;
}

function toolMode(choice: MessagesBody["tool_choice"]): ToolMode {
  if (!choice || choice.type === "auto") return { mode: "auto" };
  if (choice.type === "any") return { mode: "required" };
  if (choice.type === "none") return { mode: "none" };
  return { mode: "named", name: choice.name ?? "" };
}

function plan(body: MessagesBody): ReplyPlan {
  const last = body.messages[body.messages.length - 1]!;
  const results = typeof last.content === "string" ? [] : last.content.filter((b) => b.type === "tool_result");
  const userTexts = body.messages.filter((m) => m.role === "user").map((m) => (typeof m.content === "string" ? m.content : textOfContent(m.content.filter((b) => b.type === "text"))));
  return planReply({
    seed: `${body.model}\n${JSON.stringify(body.system ?? "")}\n${JSON.stringify(body.messages)}`,
    lastUserText: userTexts.filter((t) => t !== "").at(-1) ?? "",
    toolResult: last.role === "user" && results.length > 0 ? results.map((b) => textOfContent(b.content)).join("; ") : null,
    format: { type: "text" },
    stops: body.stop_sequences ?? [],
    maxTokens: body.max_tokens,
    tools: (body.tools ?? []).map((t) => ({ name: t.name, description: t.description, parameters: t.input_schema })),
    toolChoice: toolMode(body.tool_choice),
    parallelTools: body.tool_choice?.disable_parallel_tool_use !== true,
  });
}

/** A content block of the answer, before ids are assigned. */
export type OutBlock = { type: "text"; text: string } | { type: "tool_use"; id: string; name: string; input: unknown; json: string };

function blocks(body: MessagesBody, p: ReplyPlan): OutBlock[] {
  if (p.calls.length === 0) return [{ type: "text", text: p.text }];
  const out: OutBlock[] = [];
  // Claude narrates before calling a tool unless the call is forced.
  if (!body.tool_choice || body.tool_choice.type === "auto") out.push({ type: "text", text: `I'll use the ${p.calls[0]!.name} tool to help with that.` });
  for (const c of p.calls) out.push({ type: "tool_use", id: randomId("toolu_01", 16), name: c.name, input: c.input, json: c.arguments });
  return out;
}

/** Anthropic's stop_reason for a plan. */
export function stopReason(p: ReplyPlan): "end_turn" | "max_tokens" | "tool_use" | "stop_sequence" {
  return p.stop === "length" ? "max_tokens" : p.stop === "tool_calls" ? "tool_use" : p.stop === "stop_sequence" ? "stop_sequence" : "end_turn";
}

/** Answers a Messages request, streamed or not. */
export async function answerMessages(res: ServerResponse, body: MessagesBody, knobs: Knobs | undefined): Promise<void> {
  const p = plan(body);
  const content = blocks(body, p);
  const outputTokens = content.reduce((n, b) => n + (b.type === "text" ? countTokens(b.text) : countTokens(b.name) + countTokens(b.json)), 0);
  const usage = { input_tokens: inputTokens(body), output_tokens: outputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  const id = randomId("msg_01", 16);
  const headers = { "request-id": randomId("req_011", 16) };
  const stop = { stop_reason: stopReason(p), stop_sequence: p.stopSequence };
  if (body.stream) return sendSse(res, messageStreamEvents({ id, model: body.model, content, usage, stop }), knobs, headers);
  const wire = content.map((b) => (b.type === "text" ? b : { type: b.type, id: b.id, name: b.name, input: b.input }));
  const msg = { id, type: "message", role: "assistant", model: body.model, content: wire, ...stop, usage: { ...usage, service_tier: "standard" } };
  return sendJsonMaybeCut(res, msg, knobs, headers);
}
