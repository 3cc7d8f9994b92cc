/**
 * Readiness: can this Worker reach every binding a request may need? Each binding gets one
 * cheap call, all in parallel, each bounded by a timeout, so a binding that hangs shows up
 * as a failed check rather than as a hung probe.
 */
import { healthProbeMessage } from "./probe-message";

export const CHECK_NAMES = ["d1", "kv", "r2", "durableObjects", "queues"] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export type CheckResult = { ok: boolean; ms: number; error?: string };
export type Readiness = { status: "ready" | "not_ready"; checkedAt: string; checks: Record<CheckName, CheckResult> };

export type ReadinessBindings = Pick<Env, "DB" | "CACHE" | "FILES" | "PROVIDER_HEALTH" | "USAGE_QUEUE">;
export type ReadinessOptions = { timeoutMs?: number; now?: () => number };

export const READINESS_TIMEOUT_MS = 2_000;
/** Nothing is stored under this key or object name: reading them costs one lookup and finds nothing. */
export const PROBE_KEY = "health/readiness-probe";
export const PROBE_OBJECT = "health:readiness-probe";

const probes: Record<CheckName, (env: ReadinessBindings, now: number) => Promise<unknown>> = {
  d1: (env) => env.DB.prepare("select 1 as ok").first(),
  kv: (env) => env.CACHE.get(PROBE_KEY),
  r2: (env) => env.FILES.head(PROBE_KEY),
  durableObjects: (env) => env.PROVIDER_HEALTH.get(env.PROVIDER_HEALTH.idFromName(PROBE_OBJECT)).ping(),
  queues: (env, now) => env.USAGE_QUEUE.send(healthProbeMessage(now)),
};

class CheckTimeout extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = "Timeout";
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(ms)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const KEY_LIKE = /\b(?:Bearer\s+|sk-|whsec_|eyJ)[A-Za-z0-9._~+/=-]{6,}/g;
const MAX_ERROR_CHARS = 200;

/** One line a caller may see: no stack, nothing shaped like a credential, bounded length. */
export function summariseError(err: unknown): string {
  const text = err instanceof Error ? (err.name && err.name !== "Error" ? `${err.name}: ${err.message}` : err.message) : typeof err === "string" ? err : "failed";
  const line = (text.split("\n")[0] ?? "").replace(KEY_LIKE, "[redacted]").trim() || "failed";
  return line.length > MAX_ERROR_CHARS ? `${line.slice(0, MAX_ERROR_CHARS - 1)}…` : line;
}

async function runCheck(name: CheckName, env: ReadinessBindings, timeoutMs: number, now: () => number): Promise<CheckResult> {
  const started = now();
  try {
    // A binding that is missing altogether throws synchronously: still a failed check.
    await withTimeout(Promise.resolve().then(() => probes[name](env, started)), timeoutMs);
    return { ok: true, ms: now() - started };
  } catch (err) {
    return { ok: false, ms: now() - started, error: summariseError(err) };
  }
}

/** Checks every binding in parallel; `ready` only when each answered in time. */
export async function checkReadiness(env: ReadinessBindings, opts: ReadinessOptions = {}): Promise<Readiness> {
  const timeoutMs = opts.timeoutMs ?? READINESS_TIMEOUT_MS;
  const now = opts.now ?? Date.now;
  const results = await Promise.all(CHECK_NAMES.map((name) => runCheck(name, env, timeoutMs, now)));
  const checks = Object.fromEntries(CHECK_NAMES.map((name, i) => [name, results[i]])) as Record<CheckName, CheckResult>;
  return { status: results.every((r) => r.ok) ? "ready" : "not_ready", checkedAt: new Date(now()).toISOString(), checks };
}
