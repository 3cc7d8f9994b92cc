/**
 * Where the message text of a request lives in each wire format. The guard reads and
 * rewrites only these strings: never tool schemas, tool-call arguments, the model name or
 * any other field, so a redacted request is still a valid request of its format.
 */
import { isObject, str, type JsonObject } from "../translate/json";
import type { WireFormat } from "../translate/types";

/** Who wrote a piece of text: injection is looked for only in what users and tools supply. */
export type Speaker = "system" | "user" | "assistant" | "tool";

export type PathPart = string | number;
export type TextSlot = { path: PathPart[]; text: string; speaker: Speaker };

const TEXT_PARTS = new Set(["text", "input_text", "output_text"]);

function speakerOf(role: unknown): Speaker {
  if (role === "system" || role === "developer") return "system";
  if (role === "assistant") return "assistant";
  if (role === "tool" || role === "function") return "tool";
  return "user";
}

// A string, or an array of parts whose text parts carry `text`.
function contentSlots(content: unknown, path: PathPart[], speaker: Speaker, out: TextSlot[]): void {
  if (typeof content === "string") {
    out.push({ path, text: content, speaker });
    return;
  }
  if (!Array.isArray(content)) return;
  content.forEach((part: unknown, j) => {
    if (!isObject(part)) return;
    const text = str(part, "text");
    if (text !== undefined && TEXT_PARTS.has(str(part, "type") ?? "")) out.push({ path: [...path, j, "text"], text, speaker });
  });
}

function chatSlots(body: JsonObject, out: TextSlot[]): void {
  const messages = body.messages;
  if (!Array.isArray(messages)) return;
  messages.forEach((m: unknown, i) => {
    if (isObject(m)) contentSlots(m.content, ["messages", i, "content"], speakerOf(m.role), out);
  });
}

function anthropicBlocks(content: unknown, path: PathPart[], speaker: Speaker, out: TextSlot[]): void {
  if (!Array.isArray(content)) {
    contentSlots(content, path, speaker, out);
    return;
  }
  content.forEach((block: unknown, j) => {
    if (!isObject(block)) return;
    const text = str(block, "text");
    if (block.type === "tool_result") contentSlots(block.content, [...path, j, "content"], "tool", out);
    else if (block.type === "text" && text !== undefined) out.push({ path: [...path, j, "text"], text, speaker });
  });
}

function anthropicSlots(body: JsonObject, out: TextSlot[]): void {
  contentSlots(body.system, ["system"], "system", out);
  const messages = body.messages;
  if (!Array.isArray(messages)) return;
  messages.forEach((m: unknown, i) => {
    if (isObject(m)) anthropicBlocks(m.content, ["messages", i, "content"], speakerOf(m.role), out);
  });
}

function responsesSlots(body: JsonObject, out: TextSlot[]): void {
  const instructions = str(body, "instructions");
  if (instructions !== undefined) out.push({ path: ["instructions"], text: instructions, speaker: "system" });
  const input = body.input;
  if (typeof input === "string") {
    out.push({ path: ["input"], text: input, speaker: "user" });
    return;
  }
  if (!Array.isArray(input)) return;
  input.forEach((item: unknown, i) => {
    if (!isObject(item)) return;
    if (item.type === "function_call_output") contentSlots(item.output, ["input", i, "output"], "tool", out);
    else if (item.type === "message" || (item.type === undefined && typeof item.role === "string")) {
      contentSlots(item.content, ["input", i, "content"], speakerOf(item.role), out);
    }
  });
}

/** Every piece of message text in a request body of `format`, with where it sits. */
export function textSlots(format: WireFormat, body: JsonObject): TextSlot[] {
  const out: TextSlot[] = [];
  if (format === "openai-chat") chatSlots(body, out);
  else if (format === "anthropic-messages") anthropicSlots(body, out);
  else responsesSlots(body, out);
  return out;
}

/** `messages.1.content.0.text`: the dotted form the API's validation details use too. */
export function pathText(path: PathPart[]): string {
  return path.join(".");
}

/** A copy of `body` with the text at each path replaced; `body` itself is left as it was. */
export function withTexts(body: JsonObject, changes: { path: PathPart[]; text: string }[]): JsonObject {
  const copy = structuredClone(body);
  for (const { path, text } of changes) {
    let node: unknown = copy;
    for (let k = 0; k < path.length - 1; k++) node = childOf(node, path[k]);
    const last = path[path.length - 1];
    if (Array.isArray(node) && typeof last === "number") node[last] = text;
    else if (isObject(node) && typeof last === "string") node[last] = text;
  }
  return copy;
}

function childOf(node: unknown, key: PathPart | undefined): unknown {
  if (Array.isArray(node) && typeof key === "number") return node[key];
  if (isObject(node) && typeof key === "string") return node[key];
  return undefined;
}
