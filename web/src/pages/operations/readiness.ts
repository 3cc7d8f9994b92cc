/**
 * The Worker's readiness probe (/health/ready, outside the OpenAPI document): one check per
 * binding with its timing. A 503 still carries the checks, so it is read, not thrown.
 */
import { ApiError } from "../../api/client";

export type CheckResult = { ok: boolean; ms: number; error?: string };
export type Readiness = { status: "ready" | "not_ready"; checkedAt: string | null; checks: Record<string, CheckResult> };

/** What each check proves, in the words of someone running a dealership's platform. */
export const CHECK_LABELS: Record<string, string> = {
  d1: "Database (D1)",
  kv: "Cache (KV)",
  r2: "File storage (R2)",
  durableObjects: "Durable Objects",
  queues: "Queues",
};

function isCheck(value: unknown): value is CheckResult {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.ok === "boolean" && typeof v.ms === "number" && (v.error === undefined || typeof v.error === "string");
}

function parseReadiness(body: unknown): Readiness | null {
  if (typeof body !== "object" || body === null) return null;
  const b = body as Record<string, unknown>;
  if ((b.status !== "ready" && b.status !== "not_ready") || typeof b.checks !== "object" || b.checks === null) return null;
  const checks: Record<string, CheckResult> = {};
  for (const [name, check] of Object.entries(b.checks)) {
    if (!isCheck(check)) return null;
    checks[name] = check;
  }
  return { status: b.status, checkedAt: typeof b.checkedAt === "string" ? b.checkedAt : null, checks };
}

export async function loadReadiness(): Promise<Readiness> {
  let res: Response;
  try {
    res = await fetch("/health/ready", { cache: "no-store" });
  } catch (e) {
    throw new ApiError(0, "network_error", `The server could not be reached (${(e as Error).message})`);
  }
  const requestId = res.headers.get("x-request-id") ?? undefined;
  const readiness = parseReadiness(await res.json().catch(() => null));
  if (readiness && (res.ok || res.status === 503)) return readiness;
  throw new ApiError(res.status, `http_${res.status}`, `The readiness probe answered ${res.status} ${res.statusText}`.trim(), requestId);
}
