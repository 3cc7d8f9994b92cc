/**
 * How the gateway reads `ft:<key>` model names. The tenant's registered models come in with
 * its gateway config (one cached load); everything here is pure:
 *   ft:<key>             the champion, or the challenger for the canary's share of requests
 *   ft:<key>@champion    the champion, always
 *   ft:<key>@challenger  the challenger, always
 *   ft:<key>@v3, @3      version 3 (active versions only)
 */
import { eq } from "drizzle-orm";
import { models, modelVersionAliases, modelVersions } from "../../../d1/schema";
import type { Db } from "../../db";

export type ServedVersion = { versionId: string; version: number; label: string; baseUrl: string; model: string; apiKeyEnc: string | null; createdAt: number };

export type FineTunedModel = {
  modelId: string;
  key: string;
  canaryPercent: number;
  champion: ServedVersion | null;
  challenger: ServedVersion | null;
  versions: ReadonlyMap<number, ServedVersion>;
};

export const FT_PREFIX = "ft:";

/** `ft:<key>@v<n>`: how usage rows, headers and evals name a version. */
export function versionLabel(key: string, version: number): string {
  return `${FT_PREFIX}${key}@v${version}`;
}

/** The tenant's registered models by key, with their aliases resolved. */
export async function loadFineTuned(db: Db, tenantId: string): Promise<Map<string, FineTunedModel>> {
  const [modelRows, versionRows, aliasRows] = await db.batch([
    db.select().from(models).where(eq(models.tenantId, tenantId)),
    db.select().from(modelVersions).where(eq(modelVersions.tenantId, tenantId)),
    db.select().from(modelVersionAliases).where(eq(modelVersionAliases.tenantId, tenantId)),
  ]);
  const keyOf = new Map(modelRows.map((m) => [m.id, m.key]));
  const byId = new Map<string, ServedVersion & { modelId: string; active: boolean }>();
  for (const v of versionRows) {
    const key = keyOf.get(v.modelId);
    if (!key) continue;
    byId.set(v.id, { modelId: v.modelId, active: v.status === "active", versionId: v.id, version: v.version, label: versionLabel(key, v.version), baseUrl: v.servingBaseUrl, model: v.servingModel, apiKeyEnc: v.servingKeyEnc, createdAt: v.createdAt });
  }
  const out = new Map<string, FineTunedModel>();
  for (const m of modelRows) {
    const versions = new Map<number, ServedVersion>();
    for (const v of byId.values()) if (v.modelId === m.id && v.active) versions.set(v.version, v);
    const alias = (name: "champion" | "challenger") => {
      const row = aliasRows.find((a) => a.modelId === m.id && a.alias === name);
      return (row && byId.get(row.versionId)) || null;
    };
    out.set(m.key, { modelId: m.id, key: m.key, canaryPercent: m.canaryPercent, champion: alias("champion"), challenger: alias("challenger"), versions });
  }
  return out;
}

export type FtName = { key: string; pin: { kind: "default" } | { kind: "alias"; alias: "champion" | "challenger" } | { kind: "version"; version: number } };

/** Parses `ft:<key>[@pin]`; null when the name is not an ft: name at all or its pin is unreadable. */
export function parseFtName(name: string): FtName | null {
  if (!name.startsWith(FT_PREFIX)) return null;
  const rest = name.slice(FT_PREFIX.length);
  const at = rest.lastIndexOf("@");
  const key = at < 0 ? rest : rest.slice(0, at);
  if (!key) return null;
  if (at < 0) return { key, pin: { kind: "default" } };
  const pin = rest.slice(at + 1);
  if (pin === "champion" || pin === "challenger") return { key, pin: { kind: "alias", alias: pin } };
  const m = /^v?(\d{1,6})$/.exec(pin);
  return m ? { key, pin: { kind: "version", version: Number(m[1]) } } : null;
}

/** The version an ft: name serves, or a reason it serves none. */
export function servedVersionOf(fineTuned: ReadonlyMap<string, FineTunedModel> | undefined, name: FtName): ServedVersion | string {
  const model = fineTuned?.get(name.key);
  if (!model) return `No model with key '${name.key}' is registered`;
  const pin = name.pin;
  if (pin.kind === "version") return model.versions.get(pin.version) ?? `ft:${name.key} has no active version ${pin.version}`;
  const alias = pin.kind === "alias" ? pin.alias : "champion";
  return model[alias] ?? `ft:${name.key} has no ${alias}: promote a version first (POST /api/v1/models/${model.modelId}/promote)`;
}

/** FNV-1a of the request id, 0..99: the same request id always lands on the same side. */
export function canaryBucket(requestId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < requestId.length; i++) {
    h ^= requestId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 100;
}

/**
 * The name one request should be served under: an unpinned `ft:<key>` with a challenger
 * and a canary goes to `ft:<key>@challenger` when the request's bucket falls in the canary.
 */
export function pinCanary(fineTuned: ReadonlyMap<string, FineTunedModel> | undefined, model: string, requestId: string): string {
  const name = parseFtName(model);
  if (!name || name.pin.kind !== "default") return model;
  const ft = fineTuned?.get(name.key);
  if (!ft?.challenger || ft.canaryPercent <= 0) return model;
  return canaryBucket(requestId) < ft.canaryPercent ? `${FT_PREFIX}${name.key}@challenger` : `${FT_PREFIX}${name.key}@champion`;
}
