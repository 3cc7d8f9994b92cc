/**
 * Per-server state and the admission step every provider request passes through:
 * record it, pick its knobs, then delay, hang or fail it as they say.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Knobs, type Provider, ScenarioBook, sleep } from "./faults.ts";
import { RequestLog } from "./requests.ts";

/** State shared by one simulator instance's handlers. */
export class SimContext {
  readonly scenarios = new ScenarioBook();
  readonly requests = new RequestLog();
  private readonly held = new Set<ServerResponse>();

  /** Keeps a response open without answering, until `releaseHeld` or the client leaves. */
  hold(res: ServerResponse): void {
    this.held.add(res);
    res.once("close", () => this.held.delete(res));
  }

  /** Drops every held request's connection. */
  releaseHeld(): void {
    for (const res of this.held) res.destroy();
    this.held.clear();
  }
}

/** Renders a provider error body for a status (with optional retry-after). */
export type ErrorRenderer = (res: ServerResponse, status: number, knobs: Knobs) => void;

/** What admission needs to know about a parsed provider request. */
export interface Admission {
  provider: Provider;
  model: string;
  url: URL;
  rawBody: string;
  body: unknown;
}

/**
 * Records the request and applies its knobs. Returns the knobs for the handler to pace
 * its answer, or `null` when admission already answered (error status) or parked it (hang).
 */
export async function admit(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  a: Admission,
  renderError: ErrorRenderer,
): Promise<Knobs | undefined | null> {
  ctx.requests.record({
    method: req.method ?? "GET",
    path: a.url.pathname,
    query: a.url.search,
    provider: a.provider,
    headers: req.headers,
    rawBody: a.rawBody,
    body: a.body,
  });
  const knobs = ctx.scenarios.take(req, { provider: a.provider, model: a.model, path: a.url.pathname, rawBody: a.rawBody });
  if (!knobs) return undefined;
  if (knobs.latencyMs) await sleep(knobs.latencyMs);
  if (knobs.hang) {
    ctx.hold(res);
    return null;
  }
  if (knobs.status !== undefined) {
    renderError(res, knobs.status, knobs);
    return null;
  }
  return knobs;
}
