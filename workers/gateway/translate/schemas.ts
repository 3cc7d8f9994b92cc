/**
 * Loose zod schemas for the request fields we translate. Unknown fields pass through the
 * parse untouched; fields we cannot carry across formats are refused by the translators.
 */
import { z } from "zod";
import { AppError, zodDetails } from "../../errors";

/** Parses a request body, turning misses into a validation error the client can act on. */
export function parseRequest<S extends z.ZodType>(schema: S, body: unknown, format: string): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const details = zodDetails(parsed.error);
  const first = details[0];
  throw new AppError("validation_failed", `Invalid ${format} request${first ? ` at '${first.path}': ${first.message}` : ""}`, details);
}

const jsonSchema = z.record(z.string(), z.unknown());

// ---- OpenAI Chat Completions ----

/** A chat content part; the translators decide which types they can carry. */
export const ChatPart = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  refusal: z.string().optional(),
  image_url: z.looseObject({ url: z.string() }).optional(),
});
export type ChatPart = z.output<typeof ChatPart>;

/** An assistant tool call as the client sends it back. */
export const ChatToolCall = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

/** One chat message of any role. */
export const ChatMessage = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.union([z.string(), z.array(ChatPart)]).nullish(),
  tool_calls: z.array(ChatToolCall).nullish(),
  tool_call_id: z.string().optional(),
  refusal: z.string().nullish(),
});
export type ChatMessage = z.output<typeof ChatMessage>;

/** A chat tool; only `function` tools translate. */
export const ChatTool = z.looseObject({
  type: z.string(),
  function: z
    .looseObject({ name: z.string(), description: z.string().optional(), parameters: jsonSchema.optional(), strict: z.boolean().nullish() })
    .optional(),
});

/** Chat `tool_choice`: a mode or one named function. */
export const ChatToolChoice = z.union([
  z.enum(["auto", "none", "required"]),
  z.looseObject({ type: z.string(), function: z.looseObject({ name: z.string() }).optional() }),
]);

/** Chat `response_format`: text, json_object or json_schema. */
export const ResponseFormat = z.looseObject({
  type: z.string(),
  json_schema: z
    .looseObject({ name: z.string(), description: z.string().optional(), schema: jsonSchema.optional(), strict: z.boolean().nullish() })
    .optional(),
});

const positiveInt = z.number().int().positive();

/** The Chat Completions request fields the translators read. */
export const ChatRequest = z.looseObject({
  model: z.string().optional(),
  messages: z.array(ChatMessage).min(1),
  max_tokens: positiveInt.nullish(),
  max_completion_tokens: positiveInt.nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  temperature: z.number().min(0).nullish(),
  top_p: z.number().nullish(),
  stream: z.boolean().nullish(),
  user: z.string().optional(),
  tools: z.array(ChatTool).optional(),
  tool_choice: ChatToolChoice.optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: ResponseFormat.optional(),
  n: z.number().int().nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().nullish(),
  audio: z.unknown().optional(),
  modalities: z.array(z.string()).nullish(),
});
export type ChatRequest = z.output<typeof ChatRequest>;

// ---- Anthropic Messages ----

const AnthropicSource = z.looseObject({
  type: z.string(),
  media_type: z.string().optional(),
  data: z.string().optional(),
  url: z.string().optional(),
});

const AnthropicInnerBlock = z.looseObject({ type: z.string(), text: z.string().optional(), source: AnthropicSource.optional() });

/** An Anthropic content block of any type; tool results carry nested blocks. */
export const AnthropicBlock = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  source: AnthropicSource.optional(),
  id: z.string().optional(),
  name: z.string().optional(),
  input: z.unknown().optional(),
  tool_use_id: z.string().optional(),
  content: z.union([z.string(), z.array(AnthropicInnerBlock)]).optional(),
  is_error: z.boolean().optional(),
});
export type AnthropicBlock = z.output<typeof AnthropicBlock>;

/** The Anthropic Messages request fields the translators read. */
export const AnthropicRequest = z.looseObject({
  model: z.string().optional(),
  messages: z.array(z.looseObject({ role: z.enum(["user", "assistant"]), content: z.union([z.string(), z.array(AnthropicBlock)]) })).min(1),
  system: z.union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string() }))]).optional(),
  max_tokens: positiveInt,
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  stream: z.boolean().optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).optional(),
  tools: z.array(z.looseObject({ type: z.string().nullish(), name: z.string(), description: z.string().optional(), input_schema: jsonSchema.optional() })).optional(),
  tool_choice: z
    .looseObject({ type: z.enum(["auto", "any", "none", "tool"]), name: z.string().optional(), disable_parallel_tool_use: z.boolean().optional() })
    .optional(),
});
export type AnthropicRequest = z.output<typeof AnthropicRequest>;
