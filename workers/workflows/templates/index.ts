/**
 * The dealership templates shipped with Auterity. Installing one creates a workflow of
 * the tenant from it (and first the workflows it calls, if the tenant has none by those
 * keys); from then on it is the tenant's to edit (new versions).
 */
import { and, eq } from "drizzle-orm";
import { workflows } from "../../../d1/schema";
import type { TenantScope } from "../../db";
import { AppError } from "../../errors";
import { definitionOrThrow } from "../definition/parse";
import type { Definition } from "../definition/schema";
import { createWorkflow, type WorkflowRow } from "../store/definitions";
import { reviewResponse } from "./review-response";
import { serviceReminder } from "./service-reminder";
import { leadFollowUp, speedToLead } from "./speed-to-lead";

export type Template = { key: string; definition: Definition; requires: string[] };

const SOURCES: { key: string; source: unknown; requires?: string[] }[] = [
  { key: "speed-to-lead", source: speedToLead, requires: ["lead-follow-up"] },
  { key: "lead-follow-up", source: leadFollowUp },
  { key: "service-reminder", source: serviceReminder },
  { key: "review-response", source: reviewResponse },
];

let parsed: Template[] | undefined;

/** Every template, validated like any definition (a broken template fails loudly, in tests first). */
export function listTemplates(): Template[] {
  parsed ??= SOURCES.map(({ key, source, requires }) => ({ key, definition: definitionOrThrow({ definition: source }), requires: requires ?? [] }));
  return parsed;
}

function templateNamed(name: string): Template {
  const template = listTemplates().find((t) => t.key === name);
  if (!template) throw new AppError("not_found", `No template '${name}'; templates: ${listTemplates().map((t) => t.key).join(", ")}`);
  return template;
}

export async function installTemplate(scope: TenantScope, name: string, opts: { key?: string; by: string | null }): Promise<WorkflowRow> {
  const template = templateNamed(name);
  for (const dependency of template.requires) {
    const present = await scope.db.query.workflows.findFirst({ where: and(eq(workflows.tenantId, scope.tenantId), eq(workflows.key, dependency)), columns: { id: true } });
    if (!present) await createWorkflow(scope, { key: dependency, definition: templateNamed(dependency).definition, template: dependency, by: opts.by });
  }
  return createWorkflow(scope, { key: opts.key ?? template.key, definition: template.definition, template: template.key, by: opts.by });
}
