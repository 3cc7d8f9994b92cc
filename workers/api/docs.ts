/**
 * GET /api/docs: an interactive reference for /api/v1/openapi.json. Swagger UI's files are
 * copied into the static assets at build time (scripts/build-web.ts), so the page works
 * without reaching any CDN.
 */
import type { Context } from "hono";
import type { AppEnv } from "../env";

export const API_DOCS_ASSETS = "/api-docs";

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Auterity platform API</title>
<link rel="stylesheet" href="${API_DOCS_ASSETS}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${API_DOCS_ASSETS}/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#swagger-ui", deepLinking: true, persistAuthorization: true });
</script>
</body>
</html>
`;

/** Serves the API reference page. */
export function apiDocs(c: Context<AppEnv>): Response {
  return c.html(PAGE);
}
