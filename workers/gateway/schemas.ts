/**
 * Request bodies of /v1. Strict on what the gateway relies on (model, message roles,
 * token limits, stream, input); every other field passes through to the provider as sent.
 */
import { z } from "zod";

const model = z.string().trim().min(1, "model is required: name a model, e.g. gpt-4o-mini");
const positiveInt = z.number().int().positive();
const part = z.looseObject({ type: z.string() });

const chatMessage = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.union([z.string(), z.array(part), z.null()]).optional(),
});

/** OpenAI Chat Completions. */
export const chatCompletionsBody = z.looseObject({
  model,
  messages: z.array(chatMessage).min(1, "messages must hold at least one message"),
  stream: z.boolean().nullable().optional(),
  max_tokens: positiveInt.nullable().optional(),
  max_completion_tokens: positiveInt.nullable().optional(),
  n: positiveInt.nullable().optional(),
  tools: z.array(part).optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
});

/** OpenAI Responses (stateless: `input` carries the conversation). */
export const responsesBody = z.looseObject({
  model,
  input: z.union([z.string(), z.array(z.looseObject({}))]),
  instructions: z.string().nullable().optional(),
  stream: z.boolean().nullable().optional(),
  max_output_tokens: positiveInt.nullable().optional(),
  tools: z.array(part).optional(),
});

const anthropicContent = z.union([z.string(), z.array(part)]);

/** Anthropic Messages; max_tokens is required, as Anthropic requires it. */
export const messagesBody = z.looseObject({
  model,
  max_tokens: positiveInt,
  messages: z.array(z.looseObject({ role: z.enum(["user", "assistant"]), content: anthropicContent })).min(1, "messages must hold at least one message"),
  system: anthropicContent.optional(),
  stream: z.boolean().optional(),
  tools: z.array(z.looseObject({ name: z.string() })).optional(),
});

/** OpenAI Embeddings. */
export const embeddingsBody = z.looseObject({
  model,
  input: z.union([
    z.string(),
    z.array(z.string()).min(1),
    z.array(z.number().int()).min(1),
    z.array(z.array(z.number().int()).min(1)).min(1),
  ]),
  encoding_format: z.enum(["float", "base64"]).optional(),
  dimensions: positiveInt.optional(),
});
