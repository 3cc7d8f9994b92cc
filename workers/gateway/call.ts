/**
 * The path of one AI call, free of HTTP framework concerns:
 * guard and plan (preflight) -> cache -> ledger admission -> try the planned targets with
 * retries and failover (upstream) -> translate the answer (or its stream) back -> meter,
 * settle and report health. Routes validate, call this, and turn the result into a Response.
 */
import type { Db } from "../db";
import { toAppError } from "../errors";
import { admit } from "./admission";
import { attemptTargets } from "./attempts";
import { cacheGet, cacheKey, cachePut, cachedAsStream } from "./cache";
import { platformCredentialsOf, targetFor, type PlatformCredentials } from "./credentials";
import { healthKeyOfResolved, reportOutcome } from "./health";
import { startMeter, type Caller, type Meter, type Outcome } from "./metering";
import { preflight, type Preflight } from "./preflight";
import { adapterFor, type ProviderAdapter, type ProviderTarget } from "./providers";
import { resolveModel } from "./resolve";
import { pinCanary } from "../models/registry/routing";
import { applyTemplate } from "../models/prompts/gateway";
import { DEFAULT_RETRY, defaultTimeoutMs, type PlannedTarget } from "./routing";
import { tenantGatewayConfig } from "./tenant-config";
import { translateResponse, translateStream, usageOf, type WireFormat } from "./translate";
import { openTarget, type Opened } from "./upstream";
import { countCacheLookup } from "../metrics/record-gateway";

export type GatewayDeps = {
  env: Env;
  db: Db;
  platform: PlatformCredentials;
  queue: Queue;
  waitUntil: (p: Promise<unknown>) => void;
};

export function gatewayDepsOf(env: Env, db: Db, waitUntil: (p: Promise<unknown>) => void): GatewayDeps {
  return { env, db, platform: platformCredentialsOf(env), queue: env.USAGE_QUEUE, waitUntil };
}

export type CallInput = {
  requestId: string;
  caller: Caller;
  endpoint: string;
  /** The wire format the client speaks. */
  format: WireFormat;
  body: Record<string, unknown> & { model: string };
  /** x-auterity-* request headers, prefix stripped (routing metadata such as `task`). */
  metadata: Record<string, string>;
  /** The request's headers (cache opt-in). */
  headers: Headers;
  signal?: AbortSignal;
  /** The prompt template the messages were rendered from (key@version), set by applyTemplate. */
  template?: string;
};

export type CallResult = {
  headers: Record<string, string>;
} & ({ kind: "json"; body: unknown } | { kind: "stream"; stream: ReadableStream<Uint8Array> });

/** Where a call goes, once its model name is understood, and whose circuit it counts against. */
export type Route = { target: ProviderTarget; adapter: ProviderAdapter; healthKey: string; version?: string };

/** Resolves `model` for the caller's tenant to an adapter and a target with credentials. */
export async function routeFor(deps: GatewayDeps, tenantId: string, model: string): Promise<Route> {
  const resolved = resolveModel(await tenantGatewayConfig(deps.db, tenantId), model);
  const route: Route = { target: await targetFor(deps.platform, resolved), adapter: adapterFor(resolved.kind), healthKey: healthKeyOfResolved(resolved, tenantId) };
  return resolved.version ? { ...route, version: resolved.version } : route;
}

/** Dollars with nine decimals: the header callers read the cost of one call from. */
export function costHeader(nanoUsd: number): string {
  return (nanoUsd / 1e9).toFixed(9);
}

/** Status 499 is the client leaving; it is recorded alike whether a stream was open or not. */
const CLIENT_CLOSED: Outcome = { status: 499, errorCode: "client_closed" };

function outcomeOfError(err: unknown): Outcome {
  const app = toAppError(err);
  return app.status === CLIENT_CLOSED.status ? CLIENT_CLOSED : { status: app.status, errorCode: app.code };
}

/** Runs `work` under a meter; a failure is recorded before it propagates to the error handler. */
export async function metered<T>(deps: GatewayDeps, input: CallInput, stream: boolean, work: (meter: Meter) => Promise<T>): Promise<T> {
  const meter = startMeter(deps, { requestId: input.requestId, caller: input.caller, endpoint: input.endpoint, modelRequested: input.body.model, stream, template: input.template ?? null });
  try {
    return await work(meter);
  } catch (err) {
    deps.waitUntil(meter.finish(outcomeOfError(err)));
    throw err;
  }
}

/** Tells the meter who serves the call and what the headers of the answer say about it. */
export function servedBy(meter: Meter, target: ProviderTarget, version?: string): Record<string, string> {
  // Tenants price their own hosts by name; a tenant's key for a built-in provider pays its list prices.
  const pricedAs = target.kind === "openai-compatible" ? target.name : target.kind;
  // A registered model's usage is recorded per version (ft:key@v3), so versions can be compared.
  meter.served({ provider: target.name, pricedAs, model: version ?? target.model });
  return { "x-auterity-provider": target.name, "x-auterity-model": target.model };
}

const OK: Outcome = { status: 200, errorCode: null };

/** Headers that say how the call was decided. */
function decisionHeaders(pre: Preflight, cache: "hit" | "miss" | "off"): Record<string, string> {
  return { "x-auterity-rule": pre.plan.rule ?? "none", "x-auterity-strategy": pre.plan.strategy, "x-auterity-cache": cache };
}

/** A stored answer for this exact request, replayed in the client's format; null on a miss. */
async function fromCache(deps: GatewayDeps, input: CallInput, pre: Preflight, meter: Meter, key: string, stream: boolean): Promise<CallResult | null> {
  const hit = await cacheGet(deps.env.CACHE, key);
  if (!hit) return null;
  let replay: ReadableStream<Uint8Array> | null = null;
  if (stream) {
    try {
      replay = cachedAsStream(input.format, hit.body, pre.body);
    } catch {
      return null;
    }
  }
  meter.served({ provider: hit.provider, pricedAs: hit.provider, model: hit.model });
  meter.cacheHit();
  meter.attempts(0);
  meter.usage(hit.usage);
  const headers = { "x-auterity-provider": hit.provider, "x-auterity-model": hit.model, "x-auterity-attempts": "0", "x-auterity-cost-usd": costHeader(0), ...decisionHeaders(pre, "hit") };
  if (replay) {
    deps.waitUntil(meter.finish(OK));
    return { kind: "stream", stream: replay, headers };
  }
  await meter.finish(OK);
  return { kind: "json", body: hit.body, headers };
}

/** The plan's targets, or the budget's cheaper model when a degrade budget says so. */
function targetsOf(pre: Preflight, degradeTo: string | null, stream: boolean): PlannedTarget[] {
  if (!degradeTo) return pre.plan.targets;
  return [{ model: degradeTo, retry: DEFAULT_RETRY, timeoutMs: defaultTimeoutMs(stream) }];
}

/** Unpinned ft:<key> targets pinned to the champion or, for the canary's share, the challenger. */
async function pinned(deps: GatewayDeps, input: CallInput, targets: PlannedTarget[]): Promise<PlannedTarget[]> {
  if (!targets.some((t) => t.model.startsWith("ft:"))) return targets;
  const config = await tenantGatewayConfig(deps.db, input.caller.tenantId);
  return targets.map((t) => ({ ...t, model: pinCanary(config.fineTuned, t.model, input.requestId) }));
}

/** A chat-style call (Chat Completions, Responses or Messages), streamed or not. */
export async function generate(deps: GatewayDeps, raw: CallInput): Promise<CallResult> {
  const input = await applyTemplate(deps, raw);
  const stream = input.body.stream === true;
  return metered(deps, input, stream, async (meter) => {
    const pre = await preflight(deps, input);
    const key = pre.cache.enabled ? await cacheKey(input.caller.tenantId, input.format, pre.body) : null;
    const cached = key ? await fromCache(deps, input, pre, meter, key, stream) : null;
    if (key) countCacheLookup(cached !== null);
    if (cached) return cached;
    const admission = await admit(deps, input, pre, meter);
    let tries = 0;
    const run = (t: PlannedTarget) => {
      tries++;
      return openTarget(deps, input, pre.body, t, stream, (route) => servedBy(meter, route.target, route.version));
    };
    const targets = await pinned(deps, input, targetsOf(pre, admission.degradeTo, stream));
    const { value: opened, attempts } = await attemptTargets(targets, run, {}).catch((err: unknown) => {
      meter.attempts(tries);
      throw err;
    });
    meter.attempts(attempts);
    const headers = {
      "x-auterity-provider": opened.route.target.name,
      "x-auterity-model": opened.route.target.model,
      ...admission.headers,
      ...decisionHeaders(pre, key ? "miss" : "off"),
      "x-auterity-attempts": String(attempts),
      ...(opened.route.version ? { "x-auterity-model-version": opened.route.version } : {}),
      ...(input.template ? { "x-auterity-template": input.template } : {}),
      ...(admission.degradeTo ? { "x-auterity-degraded-to": admission.degradeTo } : {}),
    };
    if (opened.kind === "stream") return { kind: "stream", stream: streamed(deps, input, meter, opened), headers };
    const clientBody = translateResponse(opened.upstream, input.format, opened.answer, pre.body);
    const usage = usageOf(opened.upstream, opened.answer);
    meter.usage(usage);
    if (key) {
      const answer = { body: clientBody, provider: opened.route.target.name, model: opened.route.target.model, storedAt: Date.now(), usage };
      deps.waitUntil(cachePut(deps.env.CACHE, key, answer, pre.cache.ttlSeconds).catch(() => undefined));
    }
    const cost = await meter.finish(OK);
    return { kind: "json", body: clientBody, headers: { ...headers, "x-auterity-cost-usd": costHeader(cost) } };
  });
}

function streamed(deps: GatewayDeps, input: CallInput, meter: Meter, opened: Opened & { kind: "stream" }): ReadableStream<Uint8Array> {
  let ended: (o: Outcome) => void = () => {};
  // The usage event is written after the response has gone out; keep the request alive for it.
  deps.waitUntil(new Promise<Outcome>((resolve) => (ended = resolve)).then((o) => meter.finish(o)));
  return translateStream(opened.body, opened.upstream, input.format, input.body, {
    onFirstToken: () => meter.firstToken(),
    onUsage: (u) => meter.usage(u),
    onEnd: (r) => {
      if (r.completed) ended(OK);
      else if (r.cancelled) ended(CLIENT_CLOSED);
      else {
        reportOutcome(deps.env, deps.waitUntil, opened.route.healthKey, { ok: false, kind: "stream_cut", latencyMs: 0 });
        ended({ status: 502, errorCode: "stream_interrupted" });
      }
    },
  }, input.requestId);
}
