/**
 * The Responses API's `response` object, shared by the non-streamed body and the
 * streamed lifecycle events. Request settings are echoed back as the API does.
 */
import type { ResponseFunctionToolCall, ResponseOutputMessage, ResponseUsage } from "openai/resources/responses/responses";
import { newId } from "../../lib/ids";
import { arr, isObject, num, obj, str } from "./json";
import type { FinishReason } from "./types";

export type OutputItem = ResponseOutputMessage | ResponseFunctionToolCall;
export type ResponseStatus = "in_progress" | "completed" | "incomplete" | "failed";

export type ResponseState = {
  id: string;
  model: string;
  createdAt: number;
  status: ResponseStatus;
  output: OutputItem[];
  usage: ResponseUsage | null;
  finish?: FinishReason;
  error?: { code: string; message: string };
};

/** A fresh in-progress response with a new `resp_` id. */
export function newResponseState(model: string): ResponseState {
  return { id: newId("resp"), model, createdAt: Math.floor(Date.now() / 1000), status: "in_progress", output: [], usage: null };
}

/** Generation stopped early: the Responses API calls that incomplete and says why. */
export function statusFor(finish: FinishReason | undefined): { status: ResponseStatus; incomplete: { reason: "max_output_tokens" | "content_filter" } | null } {
  if (finish === "length") return { status: "incomplete", incomplete: { reason: "max_output_tokens" } };
  if (finish === "content_filter") return { status: "incomplete", incomplete: { reason: "content_filter" } };
  return { status: "completed", incomplete: null };
}

/** The full `response` object for `state`, echoing the client's request settings. */
export function responseObject(state: ResponseState, clientRequest: Record<string, unknown>): Record<string, unknown> {
  const text = obj(clientRequest, "text");
  const parallel = clientRequest.parallel_tool_calls;
  const incomplete = state.status === "incomplete" ? statusFor(state.finish).incomplete : null;
  return {
    id: state.id,
    object: "response",
    created_at: state.createdAt,
    status: state.status,
    error: state.error ?? null,
    incomplete_details: incomplete,
    instructions: str(clientRequest, "instructions") ?? null,
    max_output_tokens: num(clientRequest, "max_output_tokens") ?? null,
    model: state.model,
    output: state.output,
    parallel_tool_calls: typeof parallel === "boolean" ? parallel : true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: num(clientRequest, "temperature") ?? 1,
    text: { format: (text && obj(text, "format")) ?? { type: "text" } },
    tool_choice: clientRequest.tool_choice ?? "auto",
    tools: arr(clientRequest, "tools") ?? [],
    top_p: num(clientRequest, "top_p") ?? 1,
    truncation: "disabled",
    usage: state.usage,
    user: str(clientRequest, "user") ?? null,
    metadata: isObject(clientRequest.metadata) ? clientRequest.metadata : {},
  };
}

/** An assistant message output item holding `text` (or a refusal). */
export function messageItem(text: string, status: ResponseOutputMessage["status"], refusal = false): ResponseOutputMessage {
  return {
    type: "message",
    id: newId("msg"),
    status,
    role: "assistant",
    content: refusal ? [{ type: "refusal", refusal: text }] : [{ type: "output_text", text, annotations: [], logprobs: [] }],
  };
}

/** A function_call output item; `call_id` keeps the upstream tool call id. */
export function functionCallItem(callId: string, name: string, args: string, status: "in_progress" | "completed"): ResponseFunctionToolCall {
  return { type: "function_call", id: newId("fc"), call_id: callId, name, arguments: args, status };
}
