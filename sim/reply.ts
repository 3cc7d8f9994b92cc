/**
 * What the simulated model says, independent of wire format: text or tool calls, why it
 * stopped, and how many output tokens that was. Chat Completions, Responses and Messages
 * all render this same plan.
 */
import { sampleFromSchema } from "./schema-sample.ts";
import { applyStop, countTokens, replyText, toolResultReply, topicOf, truncateToTokens } from "./text.ts";
import { planToolCalls, type PlannedCall, type ToolMode, type ToolSpec } from "./tools.ts";

/** The output format the caller asked for. */
export type OutputFormat = { type: "text" } | { type: "json_object" } | { type: "json_schema"; schema: unknown };

/** A conversation reduced to what the reply depends on. */
export interface ReplyInput {
  /** Model + serialized conversation: the reply is a pure function of it. */
  seed: string;
  lastUserText: string;
  /** Text of the tool results when the conversation ends with them. */
  toolResult: string | null;
  format: OutputFormat;
  stops: readonly string[];
  maxTokens: number | undefined;
  tools: readonly ToolSpec[];
  toolChoice: ToolMode;
  parallelTools: boolean;
}

/** Why the output ended. */
export type StopKind = "end" | "length" | "stop_sequence" | "tool_calls";

/** The model's answer. */
export interface ReplyPlan {
  text: string;
  calls: PlannedCall[];
  stop: StopKind;
  stopSequence: string | null;
  outputTokens: number;
}

function formatted(input: ReplyInput, text: string): string {
  if (input.format.type === "json_object") return JSON.stringify({ answer: text, topic: topicOf(input.lastUserText).replace(/"/g, "") });
  if (input.format.type === "json_schema") return JSON.stringify(sampleFromSchema(input.format.schema));
  return text;
}

/** Decides the reply for one request. */
export function planReply(input: ReplyInput): ReplyPlan {
  const calls = planToolCalls({
    tools: input.tools,
    choice: input.toolChoice,
    parallel: input.parallelTools,
    lastUserText: input.lastUserText,
    endsWithToolResult: input.toolResult !== null,
  });
  if (calls.length > 0) {
    const outputTokens = calls.reduce((n, c) => n + countTokens(c.name) + countTokens(c.arguments), 0);
    return { text: "", calls, stop: "tool_calls", stopSequence: null, outputTokens };
  }
  const base = input.toolResult !== null ? toolResultReply(input.toolResult) : replyText(input.lastUserText, input.seed);
  const stopped = applyStop(formatted(input, base), input.stops);
  const cut = input.maxTokens === undefined ? { text: stopped.text, truncated: false } : truncateToTokens(stopped.text, input.maxTokens);
  const stop: StopKind = cut.truncated ? "length" : stopped.stop !== null ? "stop_sequence" : "end";
  return { text: cut.text, calls: [], stop, stopSequence: cut.truncated ? null : stopped.stop, outputTokens: countTokens(cut.text) };
}
