/**
 * Fault and pacing knobs: scenarios set through the control API, or `x-sim-*` request
 * headers for direct use. With no scenario and no header, a request pays one empty check.
 */
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import { randomId } from "./http.ts";

export type Provider = "openai" | "anthropic";

const knobsShape = {
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  ttftMs: z.number().int().min(0).max(600_000).optional(),
  tokensPerSecond: z.number().positive().max(1_000_000).optional(),
  status: z.number().int().min(400).max(599).optional(),
  retryAfter: z.number().min(0).max(86_400).optional(),
  errorBody: z.unknown().optional(),
  cutAfterChunks: z.number().int().min(0).optional(),
  hang: z.boolean().optional(),
};

/** Body of `POST /_sim/scenarios`. */
export const scenarioInput = z.object({
  match: z
    .object({
      provider: z.enum(["openai", "anthropic"]).optional(),
      model: z.string().optional(),
      path: z.string().optional(),
      text: z.string().optional(),
    })
    .strict()
    .optional(),
  times: z.number().int().positive().optional(),
  ...knobsShape,
}).strict();

const knobsSchema = z.object(knobsShape);
/** What a request is subjected to: delays, an error status, a cut stream or no answer at all. */
export type Knobs = z.infer<typeof knobsSchema>;

type ScenarioInput = z.infer<typeof scenarioInput>;
interface Scenario extends ScenarioInput {
  id: string;
  remaining: number | null;
}

/** What a scenario's `match` is compared against. */
export interface RequestFacts {
  provider: Provider;
  model: string;
  path: string;
  rawBody: string;
}

function matches(s: Scenario, f: RequestFacts): boolean {
  const m = s.match;
  if (!m) return true;
  if (m.provider !== undefined && m.provider !== f.provider) return false;
  if (m.model !== undefined && m.model !== f.model) return false;
  if (m.path !== undefined && !f.path.endsWith(m.path)) return false;
  return m.text === undefined || f.rawBody.includes(m.text);
}

/** The scenario list, consumed first-match-first. */
export class ScenarioBook {
  private scenarios: Scenario[] = [];

  /** Adds a scenario and returns its id. */
  add(input: ScenarioInput): string {
    const id = randomId("scn_", 9);
    this.scenarios.push({ ...input, id, remaining: input.times ?? null });
    return id;
  }

  /** Removes every scenario. */
  reset(): void {
    this.scenarios = [];
  }

  /** Scenarios still active, for inspection. */
  list(): Scenario[] {
    return this.scenarios;
  }

  /** The knobs for one request: header knobs win, else the first matching scenario (consuming one use). */
  take(req: IncomingMessage, facts: RequestFacts): Knobs | undefined {
    const fromHeaders = headerKnobs(req);
    if (fromHeaders) return fromHeaders;
    if (this.scenarios.length === 0) return undefined;
    const i = this.scenarios.findIndex((s) => matches(s, facts));
    if (i < 0) return undefined;
    const s = this.scenarios[i]!;
    if (s.remaining !== null && --s.remaining <= 0) this.scenarios.splice(i, 1);
    return s;
  }
}

const HEADER_KNOBS: ReadonlyArray<[string, keyof Knobs]> = [
  ["x-sim-latency-ms", "latencyMs"],
  ["x-sim-ttft-ms", "ttftMs"],
  ["x-sim-tokens-per-second", "tokensPerSecond"],
  ["x-sim-status", "status"],
  ["x-sim-retry-after", "retryAfter"],
  ["x-sim-cut-after-chunks", "cutAfterChunks"],
];

function headerKnobs(req: IncomingMessage): Knobs | undefined {
  let raw: Record<string, unknown> | undefined;
  for (const [name, key] of HEADER_KNOBS) {
    const v = req.headers[name];
    if (typeof v === "string") (raw ??= {})[key] = Number(v);
  }
  const hang = req.headers["x-sim-hang"];
  if (typeof hang === "string") (raw ??= {}).hang = hang === "1" || hang === "true";
  if (!raw) return undefined;
  const parsed = knobsSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** Resolves after `ms` milliseconds (pacing and latency only). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
