/**
 * Chat-format JSONL, line by line: each non-blank line is one example
 * `{messages: [{role: system|user|assistant, content}]}` with at least one user and one
 * assistant message, ending with the assistant's. Errors name the line; optional scrubbing
 * replaces emails, phones, cards and SSNs with the prompt guard's own detectors.
 */
import { z } from "zod";
import { type GuardPolicy, inspectText } from "../../gateway/guard";

/** At most this many line errors are reported; one is enough to refuse the file. */
export const MAX_LINE_ERRORS = 50;
const CHARS_PER_TOKEN = 4;

const Message = z.looseObject({ role: z.enum(["system", "user", "assistant"]), content: z.string().min(1, "content is empty") });
const Example = z.looseObject({ messages: z.array(Message).min(2, "needs at least a user and an assistant message") }).check((ctx) => {
  const roles = ctx.value.messages.map((m) => m.role);
  if (!roles.includes("user")) ctx.issues.push({ code: "custom", message: "has no user message", input: ctx.value, path: ["messages"] });
  if (roles[roles.length - 1] !== "assistant") ctx.issues.push({ code: "custom", message: "the last message must be the assistant's", input: ctx.value, path: ["messages"] });
});
type Example = z.infer<typeof Example>;

export type LineError = { line: number; message: string };

export type ParsedDataset = {
  /** The JSONL to store: the given lines, or re-serialised ones when scrubbed. */
  jsonl: string;
  examples: number;
  tokens: number;
  redactions: number;
  errors: LineError[];
};

const SCRUB_POLICY: GuardPolicy = { mode: "redact", injection: false, pii: { email: true, phone: true, card: true, ssn: true } };

function scrubExample(ex: Example): { example: Example; redactions: number } {
  let redactions = 0;
  const messages = ex.messages.map((m) => {
    const r = inspectText(m.content, SCRUB_POLICY);
    redactions += r.findings.length;
    return r.findings.length > 0 ? { ...m, content: r.redacted } : m;
  });
  return { example: { ...ex, messages }, redactions };
}

function describe(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return "invalid example";
  const where = issue.path.length > 0 ? `${issue.path.map(String).join(".")}: ` : "";
  return `${where}${issue.message}`;
}

function parseLine(text: string): { example: Example } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: "not valid JSON" };
  }
  const parsed = Example.safeParse(json);
  return parsed.success ? { example: parsed.data } : { error: describe(parsed.error) };
}

/** Validates (and optionally scrubs) a whole JSONL text; `errors` is empty when it is usable. */
export function parseDataset(text: string, opts: { scrub: boolean }): ParsedDataset {
  const out: string[] = [];
  const errors: LineError[] = [];
  let chars = 0;
  let redactions = 0;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? "").replace(/\r$/, "");
    if (raw.trim() === "") continue;
    const r = parseLine(raw);
    if ("error" in r) {
      if (errors.length < MAX_LINE_ERRORS) errors.push({ line: i + 1, message: r.error });
      continue;
    }
    let example = r.example;
    if (opts.scrub) {
      const s = scrubExample(example);
      example = s.example;
      redactions += s.redactions;
    }
    for (const m of example.messages) chars += m.content.length;
    out.push(opts.scrub ? JSON.stringify(example) : raw.trim());
  }
  if (out.length === 0 && errors.length === 0) errors.push({ line: 1, message: "the dataset has no examples" });
  return { jsonl: out.length > 0 ? `${out.join("\n")}\n` : "", examples: out.length, tokens: Math.ceil(chars / CHARS_PER_TOKEN), redactions, errors };
}
