/**
 * The dashboard's live preview: a bare page that loads the widget exactly as a dealer's
 * site would. Open in development, or with a signed-in admin's token of the widget's tenant.
 */
import { platformPrincipal } from "../auth/middleware";
import { can } from "../auth/rbac";
import type { Db } from "../db";
import { AppError } from "../errors";
import type { WidgetRow } from "./store";

export type PreviewDeps = { db: Db; jwtSecret: string; environment: string };

/** Refuses the preview unless in development or `token` is an admin of the widget's tenant. */
export async function assertPreviewAllowed(deps: PreviewDeps, widget: WidgetRow, token: string | undefined): Promise<void> {
  if (deps.environment === "development" && !token) return;
  if (!token) throw new AppError("unauthorized", "Open the preview from the dashboard, or add ?access_token=<access token>");
  const principal = await platformPrincipal(deps.db, deps.jwtSecret, token);
  // Another tenant's widget answers as if it did not exist.
  if (principal.tenantId !== widget.tenantId) throw new AppError("not_found", "Widget not found");
  if (!can(principal, "tenant:write")) throw new AppError("forbidden", "Only an admin can preview widgets");
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The preview page's HTML. */
export function previewHtml(widget: WidgetRow): string {
  const title = escapeHtml(widget.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Preview: ${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:32px;background:#eef1f4;color:#333}main{max-width:640px}</style>
</head>
<body>
<main>
<h1>Widget preview</h1>
<p>This page loads <code>${escapeHtml(widget.id)}</code> the way a dealer's website does. Use the chat button in the corner.</p>
</main>
<script src="/widget/v1.js" data-widget="${escapeHtml(widget.id)}" async></script>
</body>
</html>
`;
}
