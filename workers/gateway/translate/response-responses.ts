/**
 * Non-streamed chat completion -> Responses API `response` object.
 */
import { ChatCompletionBody, parseUpstream } from "./response-schemas";
import { functionCallItem, messageItem, newResponseState, responseObject, statusFor } from "./responses-envelope";
import { isFinishReason, responsesUsage, usageOf } from "./usage";

/** Chat completion (its first choice) -> Responses API `response` object. */
export function chatToResponsesResponse(body: unknown, clientRequest: Record<string, unknown>): Record<string, unknown> {
  const completion = parseUpstream(ChatCompletionBody, body, "chat completion");
  const choice = completion.choices[0];
  const state = newResponseState(completion.model);
  if (completion.created !== undefined) state.createdAt = completion.created;
  const message = choice?.message;
  if (message?.content) state.output.push(messageItem(message.content, "completed"));
  else if (message?.refusal) state.output.push(messageItem(message.refusal, "completed", true));
  for (const call of message?.tool_calls ?? []) {
    state.output.push(functionCallItem(call.id, call.function.name, call.function.arguments, "completed"));
  }
  const finish = choice?.finish_reason;
  state.finish = isFinishReason(finish) ? finish : undefined;
  state.status = statusFor(state.finish).status;
  state.usage = responsesUsage(usageOf("openai-chat", body));
  return responseObject(state, clientRequest);
}
