/**
 * Measures one gateway call (latency, time to first token, tokens, cost) and records it as
 * a usage event exactly once, whether the call succeeded, failed or was abandoned.
 */
import type { Db } from "../db";
import { newId } from "../lib/ids";
import { costNanoUsd, priceFor, type Price } from "./pricing";
import type { Usage } from "./translate";
import { recordUsage, type UsageEvent } from "./usage";
import { log } from "../lib/log";

export type Caller = { tenantId: string; apiKeyId: string | null; userId: string | null; tags: string[] };

export type MeterDeps = {
  db: Db;
  queue: Queue;
  waitUntil: (p: Promise<unknown>) => void;
  now?: () => number;
};

export type MeterStart = { requestId: string; caller: Caller; endpoint: string; modelRequested: string; stream: boolean; template?: string | null };

/** Who served the call: the provider name, its kind-level pricing name, and the model. */
export type Served = { provider: string; pricedAs: string; model: string };

export type Outcome = { status: number; errorCode: string | null };

export type Meter = {
  served(s: Served): void;
  firstToken(): void;
  usage(u: Usage): void;
  /** How many upstream tries the call took, across every target. */
  attempts(n: number): void;
  /** The answer came from the response cache: it costs nothing. */
  cacheHit(): void;
  /** Called once with the recorded cost and tokens, e.g. to settle a ledger reservation. */
  onRecorded(fn: (nanoUsd: number, tokens: number) => void): void;
  /** Records the event (once; later calls return the first result) and resolves to its cost in nano-USD. */
  finish(outcome: Outcome): Promise<number>;
};

const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0 };

type Cost = { nanoUsd: number; source?: Price["source"] };

async function costOf(deps: MeterDeps, tenantId: string, served: Served | null, usage: Usage, at: number, cached: boolean): Promise<Cost> {
  if (cached || !served || usage.inputTokens + usage.outputTokens === 0) return { nanoUsd: 0 };
  const price = await priceFor(deps.db, tenantId, served.pricedAs, served.model, at);
  return { nanoUsd: costNanoUsd(price, usage), source: price.source };
}

/** Starts the clock for one call. */
export function startMeter(deps: MeterDeps, start: MeterStart): Meter {
  const now = deps.now ?? Date.now;
  const startedAt = now();
  let served: Served | null = null;
  let ttftMs: number | null = null;
  let usage = NO_USAGE;
  let attempts = 1;
  let cached = false;
  const recorded: ((nanoUsd: number, tokens: number) => void)[] = [];
  let finished: Promise<number> | null = null;

  const record = async (outcome: Outcome): Promise<number> => {
    const endedAt = now();
    const cost = await costOf(deps, start.caller.tenantId, served, usage, startedAt, cached).catch((err: unknown): Cost => {
      // The call happened whatever the price lookup did; record its tokens at zero cost.
      log.error("price lookup failed", { requestId: start.requestId, provider: served?.provider ?? null, model: served?.model ?? null, err });
      return { nanoUsd: 0 };
    });
    const event: UsageEvent = {
      // Its own id: a caller may reuse its x-request-id, and every call must still be counted.
      id: newId("use"),
      requestId: start.requestId,
      ...start.caller,
      endpoint: start.endpoint,
      modelRequested: start.modelRequested,
      modelServed: served?.model ?? null,
      provider: served?.provider ?? null,
      ...usage,
      costNanoUsd: cost.nanoUsd,
      ...(cost.source ? { priceSource: cost.source } : {}),
      latencyMs: Math.max(0, Math.round(endedAt - startedAt)),
      ttftMs,
      status: outcome.status,
      attempts,
      cacheHit: cached,
      stream: start.stream,
      errorCode: outcome.errorCode,
      tags: start.caller.tags,
      ...(start.template ? { template: start.template } : {}),
      createdAt: Math.round(startedAt),
    };
    recordUsage(deps.queue, deps.waitUntil, event);
    for (const fn of recorded) fn(cost.nanoUsd, usage.inputTokens + usage.outputTokens);
    return cost.nanoUsd;
  };

  return {
    served: (s) => {
      served = s;
    },
    firstToken: () => {
      ttftMs ??= Math.max(0, Math.round(now() - startedAt));
    },
    usage: (u) => {
      usage = u;
    },
    attempts: (n) => {
      attempts = n;
    },
    cacheHit: () => {
      cached = true;
    },
    onRecorded: (fn) => {
      recorded.push(fn);
    },
    finish: (outcome) => (finished ??= record(outcome)),
  };
}
