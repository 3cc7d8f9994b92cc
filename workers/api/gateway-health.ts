/**
 * /gateway/health: the circuit breakers of the targets this tenant's calls can reach — its
 * own providers' (keyed to the tenant) and the platform's that its catalog models and
 * aliases use — with latency averages and the failures in the current window.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { platformAuth, requirePermission } from "../auth/middleware";
import type { TenantScope } from "../db";
import { DEFAULT_HEALTH_CONFIG, FAILURE_KINDS, fetchSnapshots, healthTargetsOf, type FailureCounts, type FailureKind, type HealthTarget } from "../gateway/health";
import { tenantGatewayConfig } from "../gateway/tenant-config";
import { scopeOf } from "./context";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, EpochMs, jsonResponse } from "./schemas";

const CIRCUITS = ["closed", "open", "half_open"] as const;
type Circuit = (typeof CIRCUITS)[number];

export type TargetHealth = HealthTarget & {
  /** "unknown" when the target's health record could not be read just now. */
  circuit: Circuit | "unknown";
  latencyMs: number | null;
  calls: number;
  failures: number;
  failuresByKind: FailureCounts;
  changedAt: number | null;
  retryAt: number | null;
  lastFailure: { kind: FailureKind; at: number } | null;
};

const NO_FAILURES: FailureCounts = { rate_limited: 0, server_error: 0, timeout: 0, connection: 0, stream_cut: 0 };

/** The health of every target `scope`'s tenant can reach, optionally only those in one circuit state. */
export async function tenantHealth(env: Env, scope: TenantScope, filter: { circuit?: Circuit } = {}): Promise<TargetHealth[]> {
  const targets = healthTargetsOf(await tenantGatewayConfig(scope.db, scope.tenantId), scope.tenantId);
  const snapshots = await fetchSnapshots(env, targets.map((t) => t.key));
  const rows = targets.map((t): TargetHealth => {
    const s = snapshots.get(t.key);
    if (!s) return { ...t, circuit: "unknown", latencyMs: null, calls: 0, failures: 0, failuresByKind: NO_FAILURES, changedAt: null, retryAt: null, lastFailure: null };
    const { circuit, latencyMs, calls, failures, failuresByKind, changedAt, retryAt, lastFailure } = s;
    return { ...t, circuit, latencyMs, calls, failures, failuresByKind, changedAt, retryAt, lastFailure };
  });
  return filter.circuit ? rows.filter((r) => r.circuit === filter.circuit) : rows;
}

const Kind = z.enum(FAILURE_KINDS);
const TargetHealthSchema = z
  .object({
    key: z.string().openapi({ example: "platform:openai/gpt-4o-mini", description: "owner:provider/model; owner is 'platform' or your tenant id" }),
    owner: z.enum(["platform", "tenant"]),
    provider: z.string(),
    model: z.string(),
    aliases: z.array(z.string()).openapi({ description: "Your aliases that point here" }),
    circuit: z.enum([...CIRCUITS, "unknown"]),
    latencyMs: z.number().int().nullable().openapi({ description: "Moving average over successful calls" }),
    calls: z.number().int(),
    failures: z.number().int(),
    failuresByKind: z.record(Kind, z.number().int()),
    changedAt: EpochMs.nullable(),
    retryAt: EpochMs.nullable().openapi({ description: "While open: when one probe call will be let through" }),
    lastFailure: z.object({ kind: Kind, at: EpochMs }).nullable(),
  })
  .openapi("TargetHealth");

const HealthConfigSchema = z.object({
  failureRatio: z.number(),
  minCalls: z.number().int(),
  windowSeconds: z.number().int(),
  cooldownSeconds: z.number().int(),
});

const Query = z.object({ circuit: z.enum(CIRCUITS).optional().openapi({ description: "Only targets in this state" }) });

export const gatewayHealthApi = createApiApp();
gatewayHealthApi.use("*", platformAuth);

gatewayHealthApi.openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["Gateway health"],
    security: bearerSecurity,
    middleware: [requirePermission("gateway:read")],
    request: { query: Query },
    responses: {
      200: jsonResponse(z.object({ config: HealthConfigSchema, data: z.array(TargetHealthSchema) }), "Circuit state per target, with the breaker's settings"),
      ...authErrors,
    },
  }),
  async (c) => {
    const c0 = DEFAULT_HEALTH_CONFIG;
    const config = { failureRatio: c0.failureRatio, minCalls: c0.minCalls, windowSeconds: c0.windowMs / 1000, cooldownSeconds: c0.cooldownMs / 1000 };
    return c.json({ config, data: await tenantHealth(c.env, scopeOf(c), c.req.valid("query")) }, 200);
  },
);
