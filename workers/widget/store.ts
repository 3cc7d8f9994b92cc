/**
 * Widgets per tenant: create, read, change, delete, and the lookup the public routes use
 * (by the publishable id alone, since a visitor's browser knows nothing else).
 */
import { and, desc, eq } from "drizzle-orm";
import { assistants, widgetRateCounters, widgets, widgetThreads, type WidgetPosition } from "../../d1/schema";
import type { Db, TenantScope } from "../db";
import { AppError } from "../errors";
import { newId } from "../lib/ids";
import { normaliseOrigins } from "./origins";

export type WidgetRow = typeof widgets.$inferSelect;
export type PublicWidget = Omit<WidgetRow, "tenantId">;

export type WidgetInput = {
  assistantId: string;
  allowedOrigins: string[];
  title: string;
  greeting: string;
  accentColor: string;
  position: WidgetPosition;
};

export type WidgetDeps = TenantScope & { environment: string };

export function publicWidget(w: WidgetRow): PublicWidget {
  const { tenantId: _tenantId, ...rest } = w;
  return rest;
}

/** What the audit log keeps of a widget. */
export function widgetSummary(w: WidgetRow): Record<string, unknown> {
  return { assistantId: w.assistantId, title: w.title, allowedOrigins: w.allowedOrigins, position: w.position };
}

async function assertAssistant(scope: TenantScope, assistantId: string): Promise<void> {
  const found = await scope.db.query.assistants.findFirst({
    columns: { id: true },
    where: and(eq(assistants.id, assistantId), eq(assistants.tenantId, scope.tenantId)),
  });
  if (!found) {
    throw new AppError("validation_failed", "assistantId: no such assistant in this tenant", [{ path: "assistantId", message: "no such assistant in this tenant" }]);
  }
}

export async function createWidget(deps: WidgetDeps, input: WidgetInput, now = Date.now()): Promise<WidgetRow> {
  await assertAssistant(deps, input.assistantId);
  const row: WidgetRow = {
    id: newId("wgt"),
    tenantId: deps.tenantId,
    ...input,
    allowedOrigins: normaliseOrigins(input.allowedOrigins, deps.environment),
    createdAt: now,
    updatedAt: now,
  };
  await deps.db.insert(widgets).values(row);
  return row;
}

export async function listWidgets(scope: TenantScope): Promise<WidgetRow[]> {
  return scope.db.query.widgets.findMany({ where: eq(widgets.tenantId, scope.tenantId), orderBy: [desc(widgets.createdAt), desc(widgets.id)] });
}

/** A widget of this tenant, or 404 (also for another tenant's). */
export async function getWidget(scope: TenantScope, id: string): Promise<WidgetRow> {
  const row = await scope.db.query.widgets.findFirst({ where: and(eq(widgets.id, id), eq(widgets.tenantId, scope.tenantId)) });
  if (!row) throw new AppError("not_found", "Widget not found");
  return row;
}

export async function updateWidget(deps: WidgetDeps, id: string, patch: Partial<WidgetInput>, now = Date.now()) {
  const before = await getWidget(deps, id);
  if (patch.assistantId !== undefined) await assertAssistant(deps, patch.assistantId);
  const allowedOrigins = patch.allowedOrigins === undefined ? undefined : normaliseOrigins(patch.allowedOrigins, deps.environment);
  const [after] = await deps.db
    .update(widgets)
    .set({ ...patch, ...(allowedOrigins ? { allowedOrigins } : {}), updatedAt: now })
    .where(and(eq(widgets.id, id), eq(widgets.tenantId, deps.tenantId)))
    .returning();
  if (!after) throw new AppError("not_found", "Widget not found");
  return { before, after };
}

export async function deleteWidget(scope: TenantScope, id: string): Promise<WidgetRow> {
  const row = await getWidget(scope, id);
  await scope.db.batch([
    scope.db.delete(widgets).where(and(eq(widgets.id, id), eq(widgets.tenantId, scope.tenantId))),
    scope.db.delete(widgetThreads).where(and(eq(widgetThreads.widgetId, id), eq(widgetThreads.tenantId, scope.tenantId))),
    scope.db.delete(widgetRateCounters).where(and(eq(widgetRateCounters.widgetId, id), eq(widgetRateCounters.tenantId, scope.tenantId))),
  ]);
  return row;
}

/** The widget a visitor's page names; unknown ids answer 404 without saying more. */
export async function findPublishedWidget(db: Db, id: string): Promise<WidgetRow> {
  const row = await db.query.widgets.findFirst({ where: eq(widgets.id, id) });
  if (!row) throw new AppError("not_found", "Widget not found");
  return row;
}

/** The one line a dealer pastes into their site. */
export function snippetFor(baseUrl: string, widgetId: string): { html: string; scriptUrl: string } {
  const scriptUrl = `${baseUrl}/widget/v1.js`;
  return { scriptUrl, html: `<script src="${scriptUrl}" data-widget="${widgetId}" async></script>` };
}
