/**
 * Recorded upstream event sequences, shaped like what OpenAI and Anthropic actually send
 * (extra fields, pings, `usage: null` on every chunk), with non-ASCII text so byte-level
 * splits land inside UTF-8 sequences.
 */

const chunkBase = { id: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", object: "chat.completion.chunk", created: 1741570283, model: "gpt-4o-2024-08-06", service_tier: "default", system_fingerprint: "fp_fc9f1d7035" };

function chatChunk(delta: Record<string, unknown>, finish: string | null = null): string {
  return `data: ${JSON.stringify({ ...chunkBase, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], usage: null })}\n\n`;
}

export const CHAT_USAGE = {
  prompt_tokens: 1200,
  completion_tokens: 9,
  total_tokens: 1209,
  prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
};

const usageChunk = `data: ${JSON.stringify({ ...chunkBase, choices: [], usage: CHAT_USAGE })}\n\n`;

/** Text, finish, the usage-only chunk (we always ask for it), [DONE]. */
export const CHAT_TEXT_STREAM = [
  chatChunk({ role: "assistant", content: "", refusal: null }),
  chatChunk({ content: "Bonjour" }),
  chatChunk({ content: " à toi 🚗" }),
  chatChunk({ content: "!" }),
  chatChunk({}, "stop"),
  usageChunk,
  "data: [DONE]\n\n",
].join("");

/** Two parallel tool calls whose arguments arrive in fragments. */
export const CHAT_TOOLS_STREAM = [
  chatChunk({ role: "assistant", content: null, tool_calls: [{ index: 0, id: "call_paris", type: "function", function: { name: "get_weather", arguments: "" } }], refusal: null }),
  chatChunk({ tool_calls: [{ index: 0, function: { arguments: '{"lo' } }] }),
  chatChunk({ tool_calls: [{ index: 0, function: { arguments: 'cation": "Paris"}' } }] }),
  chatChunk({ tool_calls: [{ index: 1, id: "call_lyon", type: "function", function: { name: "get_weather", arguments: "" } }] }),
  chatChunk({ tool_calls: [{ index: 1, function: { arguments: '{"location":' } }] }),
  chatChunk({ tool_calls: [{ index: 1, function: { arguments: ' "Lyon"}' } }] }),
  chatChunk({}, "tool_calls"),
  usageChunk,
  "data: [DONE]\n\n",
].join("");

/** The same text stream cut after the second content chunk. */
export const CHAT_CUT_STREAM = [chatChunk({ role: "assistant", content: "" }), chatChunk({ content: "Bonjour" })].join("");

function ev(event: string, data: Record<string, unknown>): string {
  return `event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`;
}

const messageStart = ev("message_start", {
  message: {
    id: "msg_01XFDUDYJgAACzvnptvVoYEL",
    type: "message",
    role: "assistant",
    content: [],
    model: "claude-sonnet-4-5-20250929",
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 25, cache_creation_input_tokens: 10, cache_read_input_tokens: 1000, output_tokens: 1, service_tier: "standard" },
  },
});

/** A text answer with a ping, as Anthropic streams it. */
export const ANTHROPIC_TEXT_STREAM = [
  messageStart,
  ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
  "event: ping\ndata: {\"type\": \"ping\"}\n\n",
  ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: "Bonjour" } }),
  ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: " à toi 🚗" } }),
  ev("content_block_stop", { index: 0 }),
  ev("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 12 } }),
  ev("message_stop", {}),
].join("");

function toolBlock(index: number, id: string, parts: string[]): string {
  return [
    ev("content_block_start", { index, content_block: { type: "tool_use", id, name: "get_weather", input: {} } }),
    ev("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: "" } }),
    ...parts.map((p) => ev("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: p } })),
    ev("content_block_stop", { index }),
  ].join("");
}

/** Some text, then two tool calls in fragments. */
export const ANTHROPIC_TOOLS_STREAM = [
  messageStart,
  ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
  ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: "Je regarde." } }),
  ev("content_block_stop", { index: 0 }),
  toolBlock(1, "toolu_01Paris", ['{"location": "Pa', 'ris"}']),
  toolBlock(2, "toolu_01Lyon", ['{"locat', 'ion": "Lyon"}']),
  ev("message_delta", { delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 89 } }),
  ev("message_stop", {}),
].join("");

/** The forced schema tool standing in for response_format json_schema. */
export const ANTHROPIC_JSON_TOOL_STREAM = [
  messageStart,
  ev("content_block_start", { index: 0, content_block: { type: "tool_use", id: "toolu_01Json", name: "lead", input: {} } }),
  ev("content_block_delta", { index: 0, delta: { type: "input_json_delta", partial_json: '{"name": "Zoé",' } }),
  ev("content_block_delta", { index: 0, delta: { type: "input_json_delta", partial_json: ' "score": 7}' } }),
  ev("content_block_stop", { index: 0 }),
  ev("message_delta", { delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 20 } }),
  ev("message_stop", {}),
].join("");

/** Cut after the first text delta: no message_delta, no message_stop. */
export const ANTHROPIC_CUT_STREAM = [
  messageStart,
  ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
  ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: "Bonjour" } }),
].join("");

/** Anthropic overloaded mid-stream. */
export const ANTHROPIC_ERROR_STREAM = [
  messageStart,
  ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
  ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: "Bon" } }),
  ev("error", { error: { type: "overloaded_error", message: "Overloaded" } }),
].join("");

/** OpenAI's mid-stream error chunk. */
export const CHAT_ERROR_STREAM = [
  chatChunk({ role: "assistant", content: "" }),
  chatChunk({ content: "Bon" }),
  `data: ${JSON.stringify({ error: { message: "The server had an error while processing your request.", type: "server_error", param: null, code: null } })}\n\n`,
].join("");

/** A text stream written with CRLF line endings. */
export function crlf(text: string): string {
  return text.replace(/\n/g, "\r\n");
}
