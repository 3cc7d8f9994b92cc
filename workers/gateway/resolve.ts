/**
 * Model names a caller may use, in the order they are tried:
 *   1. a tenant alias (alias -> "provider/model");
 *   2. a model listed by one of the tenant's own providers;
 *   3. a catalog model under the provider's own name (gpt-4o-mini, claude-3-5-haiku-latest);
 *   4. "provider/model", where provider is openai, anthropic or one of the tenant's providers;
 *   ft:<key>[@pin] names a registered model version (workers/models/registry/routing.ts).
 * Pure: the tenant's settings come in, a resolved model or a 404 comes out.
 */
import type { ProviderKind } from "../../d1/schema";
import { AppError } from "../errors";
import { parseFtName, servedVersionOf, type FtName } from "../models/registry/routing";
import { CATALOG } from "./catalog";
import type { TenantGatewayConfig, TenantProvider } from "./tenant-config";

export type BuiltInProvider = "openai" | "anthropic";
export const BUILT_IN_PROVIDERS: readonly BuiltInProvider[] = ["openai", "anthropic"];

export type ResolvedModel = {
  /** "openai", "anthropic" or the tenant's provider name. */
  provider: string;
  kind: ProviderKind;
  model: string;
  /** The tenant's own provider row, when the call goes through one (its key, its host). */
  own: TenantProvider | null;
  /** How the name was understood, for /v1/models and error messages. */
  via: "alias" | "provider-models" | "catalog" | "qualified" | "registry";
  /** For a registered model: the version serving the call, e.g. ft:lead-reply@v3. */
  version?: string;
};

const catalogById = new Map(CATALOG.map((m) => [m.id, m]));

function isBuiltIn(name: string): name is BuiltInProvider {
  return name === "openai" || name === "anthropic";
}

/**
 * The tenant's own credentials for a built-in provider: the row named after it, else any
 * row of that kind (a tenant's key wins over the platform's).
 */
export function ownCredentialsFor(config: TenantGatewayConfig, kind: BuiltInProvider): TenantProvider | null {
  const named = config.providers.get(kind);
  if (named && named.kind === kind) return named;
  for (const p of config.providers.values()) if (p.kind === kind) return p;
  return null;
}

function howToName(config: TenantGatewayConfig): string {
  const own = [...config.providers.keys()].filter((n) => !isBuiltIn(n));
  const prefixes = ["openai/…", "anthropic/…", ...own.map((n) => `${n}/…`)].join(", ");
  return (
    "Name a model as its provider does (e.g. gpt-4o-mini, claude-3-5-haiku-latest), as provider/model " +
    `(${prefixes}), or by one of your aliases; GET /v1/models lists what you can use`
  );
}

function notFound(config: TenantGatewayConfig, requested: string, why?: string): AppError {
  const reason = why ?? `The model '${requested}' does not exist or you do not have access to it`;
  return new AppError("model_not_found", `${reason}. ${howToName(config)}.`);
}

function qualified(config: TenantGatewayConfig, name: string, via: ResolvedModel["via"]): ResolvedModel | null {
  const slash = name.indexOf("/");
  if (slash <= 0 || slash === name.length - 1) return null;
  const prefix = name.slice(0, slash);
  const model = name.slice(slash + 1);
  const own = config.providers.get(prefix);
  if (own) return { provider: prefix, kind: own.kind, model, own, via };
  if (isBuiltIn(prefix)) return { provider: prefix, kind: prefix, model, own: ownCredentialsFor(config, prefix), via };
  return null;
}

function unqualified(config: TenantGatewayConfig, name: string): ResolvedModel | null {
  for (const p of config.providers.values()) {
    if (p.models.includes(name)) return { provider: p.name, kind: p.kind, model: name, own: p, via: "provider-models" };
  }
  const known = catalogById.get(name);
  if (known) return { provider: known.provider, kind: known.provider, model: name, own: ownCredentialsFor(config, known.provider), via: "catalog" };
  return null;
}

/** A registered version as an OpenAI-compatible host of its own, or the reason there is none. */
function registered(config: TenantGatewayConfig, name: FtName): ResolvedModel | string {
  const v = servedVersionOf(config.fineTuned, name);
  if (typeof v === "string") return v;
  const provider = `ft:${name.key}`;
  const own: TenantProvider = { name: provider, kind: "openai-compatible", baseUrl: v.baseUrl, apiKeyEnc: v.apiKeyEnc, models: [], createdAt: v.createdAt };
  return { provider, kind: "openai-compatible", model: v.model, own, via: "registry", version: v.label };
}

/** The model `requested` names for this tenant, or null when it names none. */
export function findModel(config: TenantGatewayConfig, requested: string): ResolvedModel | null {
  const ft = parseFtName(requested);
  if (ft) {
    const found = registered(config, ft);
    return typeof found === "string" ? null : found;
  }
  const alias = config.aliases.get(requested);
  if (alias) return qualified(config, alias.target, "alias");
  return unqualified(config, requested) ?? qualified(config, requested, "qualified");
}

/** Resolves a requested model name, or throws model_not_found saying how to name models. */
export function resolveModel(config: TenantGatewayConfig, requested: string): ResolvedModel {
  const ft = parseFtName(requested);
  if (ft) {
    const found = registered(config, ft);
    if (typeof found === "string") throw notFound(config, requested, found);
    return found;
  }
  const found = findModel(config, requested);
  if (found) return found;
  const alias = config.aliases.get(requested);
  const why = alias ? `The alias '${requested}' points at '${alias.target}', which is not a provider/model this tenant can use` : undefined;
  throw notFound(config, requested, why);
}
