/**
 * Chat messages -> Anthropic messages. Anthropic takes the system prompt apart, wants
 * strictly alternating user/assistant turns, and carries tool results as blocks inside
 * a user turn, so consecutive same-role messages are merged.
 */
import type {
  Base64ImageSource,
  ContentBlockParam,
  ImageBlockParam,
  MessageParam,
  TextBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import { AppError } from "../../errors";
import { isObject } from "./json";
import type { ChatMessage, ChatPart } from "./schemas";

type Role = "user" | "assistant";
type Turn = { role: Role; content: ContentBlockParam[] };

const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);

function isImageType(v: string): v is Base64ImageSource["media_type"] {
  return IMAGE_TYPES.has(v);
}

/** `data:image/png;base64,...` -> a base64 source; http(s) URLs -> a url source. */
export function imageBlock(url: string): ImageBlockParam {
  if (url.startsWith("data:")) {
    const comma = url.indexOf(",");
    const meta = comma === -1 ? "" : url.slice(5, comma);
    const mediaType = meta.endsWith(";base64") ? meta.slice(0, -7) : "";
    if (!isImageType(mediaType)) {
      throw new AppError("bad_request", "image_url data URLs must be base64 image/jpeg, image/png, image/gif or image/webp");
    }
    return { type: "image", source: { type: "base64", media_type: mediaType, data: url.slice(comma + 1) } };
  }
  if (url.startsWith("https://") || url.startsWith("http://")) return { type: "image", source: { type: "url", url } };
  throw new AppError("bad_request", "image_url.url must be an http(s) URL or a base64 data URL");
}

function partBlock(part: ChatPart, where: string): TextBlockParam | ImageBlockParam {
  if (part.type === "text" && part.text !== undefined) return { type: "text", text: part.text };
  if (part.type === "refusal" && part.refusal !== undefined) return { type: "text", text: part.refusal };
  if (part.type === "image_url" && part.image_url) return imageBlock(part.image_url.url);
  throw new AppError("bad_request", `Content part type '${part.type}' in ${where} is not supported by this model's provider`);
}

/** Flattens text-only content; system prompts and tool results take no images. */
function textOf(content: ChatMessage["content"], where: string): string {
  if (content == null) return "";
  if (typeof content === "string") return content;
  return content
    .map((p) => {
      const block = partBlock(p, where);
      if (block.type !== "text") throw new AppError("bad_request", `Only text content is supported in ${where}`);
      return block.text;
    })
    .join("\n");
}

function userBlocks(m: ChatMessage): ContentBlockParam[] {
  if (m.content == null) return [];
  if (typeof m.content === "string") return m.content ? [{ type: "text", text: m.content }] : [];
  return m.content.map((p) => partBlock(p, "a user message"));
}

function toolInput(args: string, id: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = args.trim() ? JSON.parse(args) : {};
  } catch {
    v = undefined;
  }
  if (!isObject(v)) throw new AppError("bad_request", `tool_calls '${id}': function.arguments must be a JSON object`);
  return v;
}

function assistantBlocks(m: ChatMessage): ContentBlockParam[] {
  const blocks: ContentBlockParam[] = [];
  const text = textOf(m.content, "an assistant message") || (m.refusal ?? "");
  if (text) blocks.push({ type: "text", text });
  for (const call of m.tool_calls ?? []) {
    blocks.push({ type: "tool_use", id: call.id, name: call.function.name, input: toolInput(call.function.arguments, call.id) });
  }
  return blocks;
}

function push(turns: Turn[], role: Role, content: ContentBlockParam[]): void {
  if (content.length === 0) return;
  const last = turns[turns.length - 1];
  if (last && last.role === role) last.content.push(...content);
  else turns.push({ role, content });
}

/** Splits out the system prompt and builds alternating turns. */
export function toAnthropicMessages(messages: ChatMessage[]): { system: string[]; messages: MessageParam[] } {
  const system: string[] = [];
  const turns: Turn[] = [];
  for (const m of messages) {
    switch (m.role) {
      case "system":
      case "developer": {
        const text = textOf(m.content, `a ${m.role} message`);
        if (text) system.push(text);
        break;
      }
      case "user":
        push(turns, "user", userBlocks(m));
        break;
      case "assistant":
        push(turns, "assistant", assistantBlocks(m));
        break;
      case "tool":
        if (!m.tool_call_id) throw new AppError("bad_request", "A tool message needs tool_call_id");
        push(turns, "user", [{ type: "tool_result", tool_use_id: m.tool_call_id, content: textOf(m.content, "a tool message") }]);
        break;
      case "function":
        throw new AppError("bad_request", "Messages with role 'function' are deprecated and not supported; use tools and role 'tool'");
    }
  }
  if (turns.length === 0) throw new AppError("bad_request", "messages must contain at least one user or assistant message with content");
  return { system, messages: turns };
}
