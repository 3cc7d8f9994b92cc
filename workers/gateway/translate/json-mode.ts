/**
 * Structured output for providers without `response_format`. JSON mode becomes a system
 * instruction; a JSON schema becomes a tool named after the schema that the model is made
 * to call, and the call's input comes back to the client as the message text.
 */
import type { Tool } from "@anthropic-ai/sdk/resources/messages";
import { AppError } from "../../errors";
import { isObject, obj, str } from "./json";
import type { ChatRequest } from "./schemas";
import type { WireFormat } from "./types";

/** The system instruction standing in for `response_format: json_object`. */
export const JSON_OBJECT_INSTRUCTION =
  "Respond with a single valid JSON object and nothing else: no prose, no Markdown code fences.";

export type JsonMode = { instruction?: string; tool?: Tool };

/** What the client's `response_format` asks of an Anthropic model. */
export function jsonModeOf(req: ChatRequest): JsonMode {
  const format = req.response_format;
  if (!format || format.type === "text") return {};
  if (format.type === "json_object") return { instruction: JSON_OBJECT_INSTRUCTION };
  if (format.type === "json_schema" && format.json_schema) {
    const { name, description, schema } = format.json_schema;
    return {
      tool: {
        name,
        description: description ?? "Give your final answer by calling this tool; its input is the answer.",
        input_schema: { ...(schema ?? {}), type: "object" },
      },
    };
  }
  throw new AppError("bad_request", `response_format type '${format.type}' is not supported`);
}

/**
 * The tool standing in for `response_format: json_schema` in a chat request, if any.
 * Read with guards: this runs on the client's body when translating responses back.
 */
export function jsonToolName(chatRequest: Record<string, unknown>): string | undefined {
  const format = obj(chatRequest, "response_format");
  if (!format || str(format, "type") !== "json_schema") return undefined;
  const schema = format.json_schema;
  return isObject(schema) ? str(schema, "name") : undefined;
}

/** The schema tool's name for a client of `client` format whose request is `clientRequest`. */
export function jsonToolFor(client: WireFormat, clientRequest: Record<string, unknown>): string | undefined {
  if (client === "openai-chat") return jsonToolName(clientRequest);
  if (client !== "openai-responses") return undefined;
  const text = obj(clientRequest, "text");
  const format = text && obj(text, "format");
  return format && str(format, "type") === "json_schema" ? str(format, "name") : undefined;
}
