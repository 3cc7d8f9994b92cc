/**
 * What the planner knows about each target of a tenant: price (tenant override, platform
 * row or catalog), context window and capabilities (catalog), circuit and latency (health).
 * Gathered up front so the planner itself stays synchronous and pure.
 */
import type { Db } from "../../db";
import { catalogModel } from "../catalog";
import { healthKeyOfResolved } from "../health/keys";
import { priceFor } from "../pricing";
import { findModel, type ResolvedModel } from "../resolve";
import { tenantGatewayConfig } from "../tenant-config";
import type { Capabilities, TargetInfo } from "./types";

/** A target's health as known right now. */
export type HealthReading = { circuit: TargetInfo["circuit"]; latencyMs: number | null };
/** Reads the health of several keys at once; keys it does not know are left out (= closed, no latency). */
export type HealthSource = (keys: string[]) => Promise<Map<string, HealthReading>>;

export type TargetDetails = TargetInfo & {
  /** How the name resolved for this tenant, or null when it does not. */
  resolved: { provider: string; model: string; via: ResolvedModel["via"]; healthKey: string } | null;
};

const UNKNOWN: TargetInfo = { price: null, contextWindow: null, capabilities: null, latencyMs: null, circuit: "closed" };

function capabilitiesOf(resolved: ResolvedModel): { caps: Capabilities | null; contextWindow: number | null } {
  if (resolved.kind === "openai-compatible") return { caps: null, contextWindow: null };
  const known = catalogModel(resolved.kind, resolved.model);
  if (!known) return { caps: null, contextWindow: null };
  // The gateway turns response_format into a prompt or a forced tool for Anthropic (translate/json-mode.ts).
  const json = known.capabilities.json || resolved.kind === "anthropic";
  return { caps: { ...known.capabilities, json }, contextWindow: known.contextWindow };
}

async function staticInfo(db: Db, tenantId: string, resolved: ResolvedModel, now: number): Promise<Omit<TargetDetails, "circuit" | "latencyMs">> {
  const pricedAs = resolved.kind === "openai-compatible" ? resolved.provider : resolved.kind;
  const price = await priceFor(db, tenantId, pricedAs, resolved.model, now);
  const { caps, contextWindow } = capabilitiesOf(resolved);
  return {
    price: price.source === "unknown" ? null : { inputPerMtok: price.inputPerMtok, outputPerMtok: price.outputPerMtok },
    contextWindow,
    capabilities: caps,
    resolved: { provider: resolved.provider, model: resolved.model, via: resolved.via, healthKey: healthKeyOfResolved(resolved, tenantId) },
  };
}

/**
 * Looks up every model in `models` for `tenantId` and answers a synchronous lookup for the
 * planner. Names that do not resolve are "unknown" (never skipped for lack of data).
 */
export async function targetDetails(db: Db, tenantId: string, models: readonly string[], health: HealthSource | null, now = Date.now()): Promise<(model: string) => TargetDetails> {
  const config = await tenantGatewayConfig(db, tenantId, now);
  const names = [...new Set(models)];
  const statics = await Promise.all(
    names.map(async (name) => {
      const resolved = findModel(config, name);
      return [name, resolved ? await staticInfo(db, tenantId, resolved, now) : null] as const;
    }),
  );
  const keys = statics.flatMap(([, s]) => (s?.resolved ? [s.resolved.healthKey] : []));
  const readings = health && keys.length > 0 ? await health(keys) : new Map<string, HealthReading>();
  const byName = new Map<string, TargetDetails>();
  for (const [name, s] of statics) {
    const reading = s?.resolved ? readings.get(s.resolved.healthKey) : undefined;
    byName.set(name, s ? { ...s, circuit: reading?.circuit ?? "closed", latencyMs: reading?.latencyMs ?? null } : { ...UNKNOWN, resolved: null });
  }
  return (model) => byName.get(model) ?? { ...UNKNOWN, resolved: null };
}

/** Whether `model` names something this tenant can call (an alias, its provider's model, a catalog model, provider/model). */
export async function modelChecker(db: Db, tenantId: string): Promise<(model: string) => boolean> {
  const config = await tenantGatewayConfig(db, tenantId);
  return (model) => findModel(config, model) !== null;
}
