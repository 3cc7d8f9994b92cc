/**
 * The path of one AI call, free of HTTP framework concerns:
 * resolve the model -> pick the adapter -> translate the request -> call upstream ->
 * translate the answer (or its stream) back -> meter it. Routes validate, call this, and
 * turn the result into a Response.
 */
import type { Db } from "../db";
import { AppError, toAppError } from "../errors";
import { platformCredentialsOf, targetFor, type PlatformCredentials } from "./credentials";
import { startMeter, type Caller, type Meter, type Outcome } from "./metering";
import { adapterFor, type ProviderAdapter, type ProviderTarget } from "./providers";
import { resolveModel } from "./resolve";
import { tenantGatewayConfig } from "./tenant-config";
import { translateRequest, translateResponse, translateStream, usageOf, type WireFormat } from "./translate";

/** How long to wait for an upstream's response headers; a non-streamed answer arrives whole. */
const STREAM_HEADERS_TIMEOUT_MS = 60_000;
const WHOLE_ANSWER_TIMEOUT_MS = 300_000;

export type GatewayDeps = {
  db: Db;
  platform: PlatformCredentials;
  queue: Queue;
  waitUntil: (p: Promise<unknown>) => void;
};

export function gatewayDepsOf(env: Env, db: Db, waitUntil: (p: Promise<unknown>) => void): GatewayDeps {
  return { db, platform: platformCredentialsOf(env), queue: env.USAGE_QUEUE, waitUntil };
}

export type CallInput = {
  requestId: string;
  caller: Caller;
  endpoint: string;
  /** The wire format the client speaks. */
  format: WireFormat;
  body: Record<string, unknown> & { model: string };
  signal?: AbortSignal;
};

export type CallResult = {
  headers: Record<string, string>;
} & ({ kind: "json"; body: unknown } | { kind: "stream"; stream: ReadableStream<Uint8Array> });

/** Where a call goes, once its model name is understood. */
export type Route = { target: ProviderTarget; adapter: ProviderAdapter };

/** Resolves `model` for the caller's tenant to an adapter and a target with credentials. */
export async function routeFor(deps: GatewayDeps, tenantId: string, model: string): Promise<Route> {
  const resolved = resolveModel(await tenantGatewayConfig(deps.db, tenantId), model);
  return { target: await targetFor(deps.platform, resolved), adapter: adapterFor(resolved.kind) };
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
  const meter = startMeter(deps, { requestId: input.requestId, caller: input.caller, endpoint: input.endpoint, modelRequested: input.body.model, stream });
  try {
    return await work(meter);
  } catch (err) {
    deps.waitUntil(meter.finish(outcomeOfError(err)));
    throw err;
  }
}

/** Tells the meter who serves the call and what the headers of the answer say about it. */
export function servedBy(meter: Meter, target: ProviderTarget): Record<string, string> {
  // Tenants price their own hosts by name; a tenant's key for a built-in provider pays its list prices.
  const pricedAs = target.kind === "openai-compatible" ? target.name : target.kind;
  meter.served({ provider: target.name, pricedAs, model: target.model });
  return { "x-auterity-provider": target.name, "x-auterity-model": target.model };
}

/** A chat-style call (Chat Completions, Responses or Messages), streamed or not. */
export function generate(deps: GatewayDeps, input: CallInput): Promise<CallResult> {
  const stream = input.body.stream === true;
  return metered(deps, input, stream, async (meter) => {
    const { target, adapter } = await routeFor(deps, input.caller.tenantId, input.body.model);
    const headers = servedBy(meter, target);
    const upstream = adapter.wireFormatFor(input.format);
    const body = translateRequest(input.format, upstream, { ...input.body, model: target.model });
    const timeoutMs = stream ? STREAM_HEADERS_TIMEOUT_MS : WHOLE_ANSWER_TIMEOUT_MS;
    const res = await adapter.generate(target, upstream, body, { signal: input.signal, timeoutMs });
    if (stream) return { kind: "stream", stream: streamed(deps, input, meter, res, upstream, target.name), headers };
    const answer: unknown = await res.json().catch(() => {
      throw new AppError("upstream_error", `${target.name} answered with something other than JSON`);
    });
    const clientBody = translateResponse(upstream, input.format, answer, input.body);
    meter.usage(usageOf(upstream, answer));
    const cost = await meter.finish({ status: 200, errorCode: null });
    return { kind: "json", body: clientBody, headers: { ...headers, "x-auterity-cost-usd": costHeader(cost) } };
  });
}

function streamed(deps: GatewayDeps, input: CallInput, meter: Meter, res: Response, upstream: WireFormat, provider: string): ReadableStream<Uint8Array> {
  if (!res.body) throw new AppError("upstream_error", `${provider} answered a streamed request without a body`);
  let ended: (o: Outcome) => void = () => {};
  // The usage event is written after the response has gone out; keep the request alive for it.
  deps.waitUntil(new Promise<Outcome>((resolve) => (ended = resolve)).then((o) => meter.finish(o)));
  return translateStream(res.body, upstream, input.format, input.body, {
    onFirstToken: () => meter.firstToken(),
    onUsage: (u) => meter.usage(u),
    onEnd: (r) => {
      if (r.completed) ended({ status: 200, errorCode: null });
      else if (r.cancelled) ended(CLIENT_CLOSED);
      else ended({ status: 502, errorCode: "stream_interrupted" });
    },
  });
}
