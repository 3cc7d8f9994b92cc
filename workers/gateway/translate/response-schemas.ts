/**
 * Loose schemas for non-streamed upstream bodies: only what the translation reads.
 */
import { z } from "zod";
import { AppError } from "../../errors";

/** A chat completion: id, model and each choice's message and finish reason. */
export const ChatCompletionBody = z.looseObject({
  id: z.string(),
  model: z.string(),
  created: z.number().optional(),
  choices: z
    .array(
      z.looseObject({
        message: z.looseObject({
          content: z.string().nullish(),
          refusal: z.string().nullish(),
          tool_calls: z.array(z.looseObject({ id: z.string(), function: z.looseObject({ name: z.string(), arguments: z.string() }) })).nullish(),
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
});
export type ChatCompletionBody = z.output<typeof ChatCompletionBody>;

/** An Anthropic message: id, model, content blocks and stop reason. */
export const AnthropicMessageBody = z.looseObject({
  id: z.string(),
  model: z.string(),
  content: z.array(z.looseObject({ type: z.string(), text: z.string().optional(), id: z.string().optional(), name: z.string().optional(), input: z.unknown().optional() })),
  stop_reason: z.string().nullish(),
});
export type AnthropicMessageBody = z.output<typeof AnthropicMessageBody>;

/** Parses an upstream body; a miss is the provider's fault, so it is a 502. */
export function parseUpstream<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new AppError("upstream_error", `The provider returned an unexpected ${what} body`);
  return parsed.data;
}
