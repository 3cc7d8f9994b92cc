/**
 * When the simulated model calls tools, shared by Chat Completions, Responses and Messages.
 *
 * The rule: `none` never calls; a forced tool is always called; `required`/`any` calls the
 * tools the last user message names (by name, or name with spaces for underscores), else the
 * first tool; `auto` calls the named tools, or, when the message says "weather", "lookup",
 * "look up", "search" or "use a tool", the first tool whose name or description shares that
 * word (else the first tool). A conversation that ends with tool results gets a text answer
 * unless a tool is forced. Without parallel calls only the first tool is called.
 */
import { type Json, sampleFromSchema } from "./schema-sample.ts";

/** A tool as the providers declare it, normalised. */
export interface ToolSpec {
  name: string;
  description?: string;
  parameters: unknown;
}

/** How the request asks the model to use its tools. */
export type ToolMode = { mode: "auto" | "none" | "required" } | { mode: "named"; name: string };

/** Everything the decision depends on. */
export interface ToolDecisionInput {
  tools: readonly ToolSpec[];
  choice: ToolMode;
  parallel: boolean;
  lastUserText: string;
  endsWithToolResult: boolean;
}

/** A call the simulated model makes: the tool and its JSON-encoded arguments. */
export interface PlannedCall {
  name: string;
  input: Json;
  arguments: string;
}

const GENERIC_WORDS = ["weather", "lookup", "look up", "search", "use a tool"];

function mentioned(tools: readonly ToolSpec[], text: string): ToolSpec[] {
  const t = text.toLowerCase();
  return tools.filter((tool) => {
    const n = tool.name.toLowerCase();
    return t.includes(n) || t.includes(n.replace(/_/g, " "));
  });
}

function genericPick(tools: readonly ToolSpec[], text: string): ToolSpec | undefined {
  const t = text.toLowerCase();
  const word = GENERIC_WORDS.find((w) => t.includes(w));
  if (word === undefined) return undefined;
  const key = word.split(" ")[0]!;
  return tools.find((x) => `${x.name} ${x.description ?? ""}`.toLowerCase().includes(key)) ?? tools[0];
}

function choose(input: ToolDecisionInput): ToolSpec[] {
  const { tools, choice } = input;
  if (tools.length === 0 || choice.mode === "none") return [];
  if (choice.mode === "named") return tools.filter((t) => t.name === choice.name).slice(0, 1);
  if (input.endsWithToolResult && choice.mode === "auto") return [];
  const named = mentioned(tools, input.lastUserText);
  if (named.length > 0) return named;
  if (choice.mode === "required") return tools.slice(0, 1);
  const picked = genericPick(tools, input.lastUserText);
  return picked ? [picked] : [];
}

/** The tool calls the simulated model makes for this request (empty: answer in text). */
export function planToolCalls(input: ToolDecisionInput): PlannedCall[] {
  const chosen = choose(input);
  const limited = input.parallel ? chosen : chosen.slice(0, 1);
  return limited.map((t) => {
    const input = sampleFromSchema(t.parameters);
    return { name: t.name, input, arguments: JSON.stringify(input) };
  });
}
