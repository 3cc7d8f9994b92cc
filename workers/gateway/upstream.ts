/**
 * One try at one planned target: resolve it, respect its circuit, call the provider and
 * wait until it has really answered (the whole JSON, or a stream's first bytes), so that a
 * failure before the client has seen anything can fail over. Every try is reported to the
 * target's ProviderHealth in waitUntil.
 */
import { AppError } from "../errors";
import type { CallInput, GatewayDeps, Route } from "./call";
import { routeFor } from "./call";
import { classifyFailure, healthView, reportOutcome, streamCutError, tryProbe } from "./health";
import type { PlannedTarget } from "./routing";
import { translateRequest, type WireFormat } from "./translate";

export type Opened = { route: Route; upstream: WireFormat } & (
  | { kind: "json"; answer: unknown }
  | { kind: "stream"; body: ReadableStream<Uint8Array> }
);

async function jsonOf(res: Response, provider: string): Promise<unknown> {
  return res.json().catch(() => {
    throw new AppError("upstream_error", `${provider} answered with something other than JSON`);
  });
}

/** Resolves once the stream's first bytes arrived; a stream that dies before that throws (and can fail over). */
async function firstBytes(res: Response, provider: string): Promise<ReadableStream<Uint8Array>> {
  if (!res.body) throw new AppError("upstream_error", `${provider} answered a streamed request without a body`);
  const reader = res.body.getReader();
  const first = await reader.read().catch(() => null);
  if (!first || first.done) throw streamCutError(provider);
  let head: Uint8Array | null = first.value;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (head) {
        controller.enqueue(head);
        head = null;
        return;
      }
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** A half-open circuit lets one probe through; everyone else moves on to the next target. */
async function admitThroughCircuit(deps: GatewayDeps, route: Route): Promise<void> {
  if (healthView(deps.env, deps.waitUntil).circuit(route.healthKey) !== "half_open") return;
  if (await tryProbe(deps.env, route.healthKey)) return;
  throw new AppError("provider_unavailable", `${route.target.name}/${route.target.model} is recovering from failures and another call is probing it`);
}

/** Tries `planned` once; `onRoute` learns who is being tried (a failed call is recorded against it). */
export async function openTarget(
  deps: GatewayDeps,
  input: CallInput,
  body: CallInput["body"],
  planned: PlannedTarget,
  stream: boolean,
  onRoute: (route: Route) => void,
): Promise<Opened> {
  const route = await routeFor(deps, input.caller.tenantId, planned.model);
  onRoute(route);
  await admitThroughCircuit(deps, route);
  const upstream = route.adapter.wireFormatFor(input.format);
  const translated = translateRequest(input.format, upstream, { ...body, model: route.target.model });
  const started = Date.now();
  try {
    const res = await route.adapter.generate(route.target, upstream, translated, { signal: input.signal, timeoutMs: planned.timeoutMs });
    const opened: Opened = stream
      ? { route, upstream, kind: "stream", body: await firstBytes(res, route.target.name) }
      : { route, upstream, kind: "json", answer: await jsonOf(res, route.target.name) };
    reportOutcome(deps.env, deps.waitUntil, route.healthKey, { ok: true, latencyMs: Date.now() - started });
    return opened;
  } catch (err) {
    const kind = classifyFailure(err);
    if (kind) reportOutcome(deps.env, deps.waitUntil, route.healthKey, { ok: false, kind, latencyMs: Date.now() - started });
    throw err;
  }
}
