/**
 * What GET /v1/models lists for a tenant: catalog models of providers it has a key for,
 * its own providers' models, its aliases, and its fine-tuned models that have a champion
 * (ft:<key>), in OpenAI's list shape. Later entries win on
 * a shared id, in the same order model names are resolved (alias > own provider > catalog).
 */
import { AppError } from "../errors";
import type { GatewayDeps } from "./call";
import { CATALOG } from "./catalog";
import { targetFor } from "./credentials";
import { adapterFor } from "./providers";
import { BUILT_IN_PROVIDERS, findModel, ownCredentialsFor, type BuiltInProvider } from "./resolve";
import { tenantGatewayConfig, type TenantGatewayConfig, type TenantProvider } from "./tenant-config";

export type ModelEntry = { id: string; object: "model"; created: number; owned_by: string };

const UPSTREAM_LIST_TIMEOUT_MS = 5_000;

function entry(id: string, ownedBy: string, createdMs: number): ModelEntry {
  return { id, object: "model", created: Math.floor(createdMs / 1000), owned_by: ownedBy };
}

function hasKey(deps: GatewayDeps, config: TenantGatewayConfig, kind: BuiltInProvider): boolean {
  return Boolean(deps.platform[kind].apiKey || ownCredentialsFor(config, kind)?.apiKeyEnc);
}

/**
 * An own provider's models by the names that resolve to it: its configured list by bare
 * name; a host without one is asked, and its models are offered as provider/model (a bare
 * name never reaches such a host). An unreachable host lists nothing.
 */
async function providerModels(deps: GatewayDeps, p: TenantProvider): Promise<string[]> {
  if (p.models.length > 0 || p.kind !== "openai-compatible") return p.models;
  try {
    const target = await targetFor(deps.platform, { provider: p.name, kind: p.kind, model: "", own: p, via: "qualified" });
    const ids = await adapterFor(p.kind).listModels(target, { timeoutMs: UPSTREAM_LIST_TIMEOUT_MS });
    return ids.map((id) => `${p.name}/${id}`);
  } catch {
    return [];
  }
}

/** Every model name the tenant's callers can use. */
export async function listModels(deps: GatewayDeps, tenantId: string): Promise<ModelEntry[]> {
  const config = await tenantGatewayConfig(deps.db, tenantId);
  const out = new Map<string, ModelEntry>();
  const usable = new Set(BUILT_IN_PROVIDERS.filter((k) => hasKey(deps, config, k)));
  for (const m of CATALOG) if (usable.has(m.provider)) out.set(m.id, entry(m.id, m.provider, 0));
  const providers = [...config.providers.values()];
  const lists = await Promise.all(providers.map((p) => providerModels(deps, p)));
  providers.forEach((p, i) => {
    for (const id of lists[i] ?? []) out.set(id, entry(id, p.name, p.createdAt));
  });
  for (const a of config.aliases.values()) {
    const target = findModel(config, a.alias);
    if (target) out.set(a.alias, entry(a.alias, target.provider, a.createdAt));
  }
  for (const ft of config.fineTuned?.values() ?? []) {
    if (ft.champion) out.set(`ft:${ft.key}`, entry(`ft:${ft.key}`, "auterity", 0));
  }
  return [...out.values()];
}

/** One model by any name the caller could use it by, including provider/model. */
export async function retrieveModel(deps: GatewayDeps, tenantId: string, id: string): Promise<ModelEntry> {
  const listed = await listModels(deps, tenantId);
  const direct = listed.find((m) => m.id === id);
  if (direct) return direct;
  const resolved = findModel(await tenantGatewayConfig(deps.db, tenantId), id);
  const known = resolved && listed.find((m) => m.id === resolved.model && m.owned_by === resolved.provider);
  if (!known) throw new AppError("model_not_found", `The model '${id}' does not exist or you do not have access to it. GET /v1/models lists what you can use.`);
  return { ...known, id };
}
