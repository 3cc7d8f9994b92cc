/**
 * A tenant's own providers (provider_credentials): its key for a built-in provider, or an
 * OpenAI-compatible host under a name of its choosing. Keys are sealed at rest and never
 * leave the Worker again; views carry only whether a key is set and its last 4 characters.
 */
import { and, asc, eq } from "drizzle-orm";
import { modelAliases, providerCredentials, type ProviderKind } from "../../d1/schema";
import type { TenantScope } from "../db";
import { AppError } from "../errors";
import { newId } from "../lib/ids";
import { openSecret, sealSecret } from "../lib/secret-box";
import { BUILT_IN, invalidateGatewaySettings } from "./gateway-settings";

export type ProviderDeps = { scope: TenantScope; masterKey: string; environment: string };

export type ProviderInput = { kind: ProviderKind; baseUrl?: string | null; apiKey?: string; models?: string[] };

export type ProviderView = {
  name: string;
  kind: ProviderKind;
  baseUrl: string | null;
  models: string[];
  hasApiKey: boolean;
  apiKeyLast4: string | null;
  createdAt: number;
};

type Row = typeof providerCredentials.$inferSelect;

function invalid(path: string, message: string): AppError {
  return new AppError("validation_failed", message, [{ path, message }]);
}

/** http(s) only; plain http only where traffic never leaves a developer's machine. */
export function checkBaseUrl(raw: string, environment: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid("baseUrl", `'${raw}' is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw invalid("baseUrl", "baseUrl must be an http(s) URL");
  if (url.protocol === "http:" && environment !== "development" && environment !== "test") {
    throw invalid("baseUrl", "baseUrl must use https (plain http is accepted only in development)");
  }
  if (url.username || url.password) throw invalid("baseUrl", "Put credentials in apiKey, not in the URL");
  if (url.hash) throw invalid("baseUrl", "baseUrl may not contain a #fragment");
  return url.toString().replace(/\/+$/, "");
}

async function viewOf(deps: ProviderDeps, row: Row): Promise<ProviderView> {
  // A key sealed under a since-rotated master key still counts as set; its tail is just unknown.
  const plain = row.apiKeyEnc ? await openSecret(deps.masterKey, row.apiKeyEnc).catch(() => null) : null;
  return {
    name: row.name,
    kind: row.kind,
    baseUrl: row.baseUrl,
    models: row.models,
    hasApiKey: row.apiKeyEnc !== null,
    apiKeyLast4: plain && plain.length >= 8 ? plain.slice(-4) : null,
    createdAt: row.createdAt,
  };
}

async function findRow(scope: TenantScope, name: string): Promise<Row | null> {
  const rows = await scope.db
    .select()
    .from(providerCredentials)
    .where(and(eq(providerCredentials.tenantId, scope.tenantId), eq(providerCredentials.name, name)));
  return rows[0] ?? null;
}

/** The tenant's providers, by name, without their keys. */
export async function listProviders(deps: ProviderDeps): Promise<ProviderView[]> {
  const rows = await deps.scope.db
    .select()
    .from(providerCredentials)
    .where(eq(providerCredentials.tenantId, deps.scope.tenantId))
    .orderBy(asc(providerCredentials.name));
  return Promise.all(rows.map((r) => viewOf(deps, r)));
}

/** One provider without its key; 404 when this tenant has none by that name. */
export async function getProvider(deps: ProviderDeps, name: string): Promise<ProviderView> {
  const row = await findRow(deps.scope, name);
  if (!row) throw new AppError("not_found", `No provider named '${name}'`);
  return viewOf(deps, row);
}

// The rules a provider must satisfy whatever it was before.
function checkProvider(name: string, input: ProviderInput, existing: Row | null): void {
  if ((BUILT_IN as readonly string[]).includes(name) && input.kind !== name) {
    throw invalid("kind", `The name '${name}' is reserved for your own ${name} key: its kind must be '${name}'`);
  }
  if (input.kind === "openai-compatible" && !input.baseUrl) throw invalid("baseUrl", "An openai-compatible provider needs a baseUrl");
  // Without its own key a built-in kind would be called with the platform's key, which must
  // never be sent to a host the tenant chose.
  const keyKept = existing !== null && existing.kind === input.kind && existing.apiKeyEnc !== null;
  if (input.kind !== "openai-compatible" && input.apiKey === undefined && !keyKept) {
    throw invalid("apiKey", `A ${input.kind} provider needs your own apiKey`);
  }
}

/**
 * Creates or replaces a provider. An omitted apiKey keeps the stored one (so models can be
 * edited without re-sending the secret) unless the kind changes.
 */
export async function putProvider(deps: ProviderDeps, name: string, input: ProviderInput, now = Date.now()) {
  const { scope } = deps;
  const existing = await findRow(scope, name);
  checkProvider(name, input, existing);
  const baseUrl = input.baseUrl ? checkBaseUrl(input.baseUrl, deps.environment) : null;
  const keptKey = existing && existing.kind === input.kind ? existing.apiKeyEnc : null;
  const apiKeyEnc = input.apiKey !== undefined ? await sealSecret(deps.masterKey, input.apiKey) : keptKey;
  const models = [...new Set(input.models ?? [])];
  const row: Row = { id: existing?.id ?? newId("prv"), tenantId: scope.tenantId, name, kind: input.kind, baseUrl, apiKeyEnc, models, createdAt: existing?.createdAt ?? now };
  await scope.db
    .insert(providerCredentials)
    .values(row)
    .onConflictDoUpdate({ target: [providerCredentials.tenantId, providerCredentials.name], set: { kind: row.kind, baseUrl, apiKeyEnc, models } });
  invalidateGatewaySettings(scope.tenantId);
  return { before: existing ? await viewOf(deps, existing) : null, after: await viewOf(deps, row), keyChanged: input.apiKey !== undefined };
}

/** Removes a provider, unless aliases still point at it (they would stop resolving). */
export async function deleteProvider(deps: ProviderDeps, name: string): Promise<ProviderView> {
  const { scope } = deps;
  const row = await findRow(scope, name);
  if (!row) throw new AppError("not_found", `No provider named '${name}'`);
  // Aliases to openai/… or anthropic/… keep working on the platform's key once the tenant's is gone.
  const builtIn = (BUILT_IN as readonly string[]).includes(name);
  const aliases = builtIn ? [] : await scope.db.select({ alias: modelAliases.alias, target: modelAliases.target }).from(modelAliases).where(eq(modelAliases.tenantId, scope.tenantId));
  const using = aliases.filter((a) => a.target.startsWith(`${name}/`)).map((a) => a.alias);
  if (using.length > 0) {
    throw new AppError("conflict", `Aliases still point at '${name}': ${using.join(", ")}; repoint or delete them first`, { aliases: using });
  }
  await scope.db.delete(providerCredentials).where(and(eq(providerCredentials.tenantId, scope.tenantId), eq(providerCredentials.id, row.id)));
  invalidateGatewaySettings(scope.tenantId);
  return viewOf(deps, row);
}
