/**
 * The prompt template library: the shipped defaults plus the tenant's own versions. The
 * tenant's latest version of a key wins over the default; `<key>@<n>` pins one of its
 * versions and `<key>@default` the shipped text.
 */
import { and, desc, eq } from "drizzle-orm";
import { promptTemplates, promptTemplateVersions, type TemplateVariable } from "../../../d1/schema";
import type { TenantScope } from "../../db";
import { AppError } from "../../errors";
import { newId } from "../../lib/ids";
import { DEFAULT_TEMPLATES, defaultTemplate, type DefaultTemplate } from "./defaults";
import { checkTemplateText, type RenderableTemplate } from "./render";

export type ResolvedTemplate = RenderableTemplate & {
  key: string;
  /** A tenant version number, or "default" for the shipped text. */
  version: number | "default";
  /** key@version: what usage rows and headers record. */
  ref: string;
  description: string;
  source: "default" | "tenant";
  createdAt: number | null;
};

export const TEMPLATE_KEY = /^[a-z0-9][a-z0-9._-]{0,62}$/;
export type TemplatePin = number | "default" | null;

/** Parses `key[@version]`; version is a tenant version number or "default". */
export function parseTemplateRef(ref: string): { key: string; version: TemplatePin } {
  const at = ref.lastIndexOf("@");
  const key = (at < 0 ? ref : ref.slice(0, at)).trim();
  const pin = at < 0 ? null : ref.slice(at + 1).trim();
  if (!TEMPLATE_KEY.test(key)) throw new AppError("validation_failed", `'${ref}' is not a template reference: use <key> or <key>@<version>`);
  if (pin === null) return { key, version: null };
  if (pin === "default") return { key, version: "default" };
  if (/^v?\d{1,6}$/.test(pin)) return { key, version: Number(pin.replace(/^v/, "")) };
  throw new AppError("validation_failed", `'${ref}': the version must be a number or "default"`);
}

type VersionRow = typeof promptTemplateVersions.$inferSelect;

function fromRow(r: VersionRow): ResolvedTemplate {
  return { key: r.key, version: r.version, ref: `${r.key}@${r.version}`, description: r.description, source: "tenant", variables: r.variables, system: r.system, template: r.template, createdAt: r.createdAt };
}

function shipped(d: DefaultTemplate): ResolvedTemplate {
  return { ...d, version: "default", ref: `${d.key}@default`, source: "default", createdAt: null };
}

function fromDefault(key: string): ResolvedTemplate | null {
  const d = defaultTemplate(key);
  return d ? shipped(d) : null;
}

/** Every version the tenant saved of `key`, newest first. */
export function tenantVersions(scope: TenantScope, key: string): Promise<VersionRow[]> {
  return scope.db
    .select()
    .from(promptTemplateVersions)
    .where(and(eq(promptTemplateVersions.tenantId, scope.tenantId), eq(promptTemplateVersions.key, key)))
    .orderBy(desc(promptTemplateVersions.version));
}

/** The template `key` at `version` (latest when null), or 404. */
export async function getTemplate(scope: TenantScope, key: string, version: TemplatePin): Promise<ResolvedTemplate> {
  if (version === "default") {
    const d = fromDefault(key);
    if (!d) throw new AppError("not_found", `There is no default template '${key}'`);
    return d;
  }
  const rows = await tenantVersions(scope, key);
  const row = version === null ? rows[0] : rows.find((r) => r.version === version);
  if (row) return fromRow(row);
  const fallback = version === null ? fromDefault(key) : null;
  if (fallback) return fallback;
  throw new AppError("not_found", version === null ? `No template '${key}'` : `Template '${key}' has no version ${version}`);
}

/** The effective template of every key: the tenant's latest version, else the default. */
export async function listTemplates(scope: TenantScope): Promise<(ResolvedTemplate & { overridesDefault: boolean })[]> {
  const rows = await scope.db.select().from(promptTemplateVersions).where(eq(promptTemplateVersions.tenantId, scope.tenantId));
  const latest = new Map<string, VersionRow>();
  for (const r of rows) if ((latest.get(r.key)?.version ?? 0) < r.version) latest.set(r.key, r);
  const out = new Map<string, ResolvedTemplate & { overridesDefault: boolean }>();
  for (const d of DEFAULT_TEMPLATES) out.set(d.key, { ...shipped(d), overridesDefault: false });
  for (const [key, r] of latest) out.set(key, { ...fromRow(r), overridesDefault: defaultTemplate(key) !== null });
  return [...out.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
}

export type TemplateInput = { description?: string; variables: Record<string, TemplateVariable>; system?: string | null; template: string };

/** Saves a new version of `key` (the first one creates it); answers it. */
export async function saveTemplate(scope: TenantScope, key: string, input: TemplateInput, by: string | null, now: number): Promise<ResolvedTemplate> {
  if (!TEMPLATE_KEY.test(key)) throw new AppError("validation_failed", "key must be lower-case letters, digits, '.', '_' or '-' (at most 63)");
  checkTemplateText({ variables: input.variables, system: input.system ?? null, template: input.template });
  const { db, tenantId } = scope;
  const existing = (await db.select().from(promptTemplates).where(and(eq(promptTemplates.tenantId, tenantId), eq(promptTemplates.key, key))).limit(1))[0];
  const version = (existing?.latestVersion ?? 0) + 1;
  const templateId = existing?.id ?? newId("pt");
  const row: VersionRow = { id: newId("ptv"), tenantId, templateId, key, version, description: input.description ?? "", variables: input.variables, system: input.system ?? null, template: input.template, createdBy: by, createdAt: now };
  const head = existing
    ? db.update(promptTemplates).set({ latestVersion: version, updatedAt: now }).where(and(eq(promptTemplates.id, templateId), eq(promptTemplates.latestVersion, existing.latestVersion)))
    : db.insert(promptTemplates).values({ id: templateId, tenantId, key, latestVersion: version, createdAt: now, updatedAt: now });
  // The unique (tenant, key, version) index turns a concurrent save of the same version into an error, not a lost write.
  await db.batch([head, db.insert(promptTemplateVersions).values(row)]);
  return fromRow(row);
}
