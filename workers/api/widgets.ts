/**
 * /widgets: embeddable chat widgets, and the script tag a dealer pastes into their site.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { WIDGET_POSITIONS } from "../../d1/schema";
import { platformAuth, requirePermission } from "../auth/middleware";
import type { AppEnv } from "../env";
import { createWidget, deleteWidget, getWidget, listWidgets, publicWidget, snippetFor, updateWidget, type WidgetDeps, widgetSummary } from "../widget/store";
import { audit, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, EpochMs, IdParams, jsonBody, jsonResponse, mediaTypeError } from "./schemas";

export const WidgetSchema = z
  .object({
    id: z.string().openapi({ example: "wgt_4fGh7Jk9LmNp2QrS5tUv" }),
    assistantId: z.string(),
    allowedOrigins: z.array(z.string()),
    title: z.string(),
    greeting: z.string(),
    accentColor: z.string(),
    position: z.enum(WIDGET_POSITIONS),
    createdAt: EpochMs,
    updatedAt: EpochMs,
  })
  .openapi("Widget");

const Fields = {
  assistantId: z.string().min(1).max(64),
  allowedOrigins: z.array(z.string().min(1).max(300)).min(1).max(50).openapi({ description: "Websites that may embed the widget, e.g. https://www.dealer.example. '*' only in development." }),
  title: z.string().trim().min(1).max(80),
  greeting: z.string().trim().max(500),
  accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a colour like #1f6feb"),
  position: z.enum(WIDGET_POSITIONS),
};

const CreateWidget = z
  .object({
    ...Fields,
    title: Fields.title.default("Chat with us"),
    greeting: Fields.greeting.default("Hi! How can we help you today?"),
    accentColor: Fields.accentColor.default("#1f6feb"),
    position: Fields.position.default("bottom-right"),
  })
  .strict();
const PatchWidget = z.object(Fields).partial().strict();
const Snippet = z.object({ html: z.string(), scriptUrl: z.string() }).openapi("WidgetSnippet");

function depsOf(c: Context<AppEnv>): WidgetDeps {
  return { ...scopeOf(c), environment: c.env.ENVIRONMENT };
}

export const widgetsApi = createApiApp();
widgetsApi.use("*", platformAuth);

const tags = ["Widgets"];
const read = requirePermission("tenant:read");
const write = requirePermission("tenant:write");
const ok = (description: string) => jsonResponse(WidgetSchema, description);

widgetsApi.openapi(
  createRoute({ method: "get", path: "/", tags, security: bearerSecurity, middleware: [read],
    responses: { 200: jsonResponse(z.object({ data: z.array(WidgetSchema) }), "The tenant's widgets"), ...authErrors } }),
  async (c) => c.json({ data: (await listWidgets(scopeOf(c))).map(publicWidget) }, 200),
);

widgetsApi.openapi(
  createRoute({ method: "post", path: "/", tags, security: bearerSecurity, middleware: [write], request: { body: jsonBody(CreateWidget) },
    responses: { 201: ok("The new widget"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const row = await createWidget(depsOf(c), c.req.valid("json"));
    await audit(c, { action: "widget.created", resourceType: "widget", resourceId: row.id, after: widgetSummary(row) });
    return c.json(publicWidget(row), 201);
  },
);

widgetsApi.openapi(
  createRoute({ method: "get", path: "/{id}", tags, security: bearerSecurity, middleware: [read], request: { params: IdParams },
    responses: { 200: ok("The widget"), ...authErrors } }),
  async (c) => c.json(publicWidget(await getWidget(scopeOf(c), c.req.valid("param").id)), 200),
);

widgetsApi.openapi(
  createRoute({ method: "get", path: "/{id}/snippet", tags, security: bearerSecurity, middleware: [read], request: { params: IdParams },
    responses: { 200: jsonResponse(Snippet, "The script tag to paste into the dealer's website"), ...authErrors } }),
  async (c) => {
    const row = await getWidget(scopeOf(c), c.req.valid("param").id);
    return c.json(snippetFor(new URL(c.req.url).origin, row.id), 200);
  },
);

widgetsApi.openapi(
  createRoute({ method: "patch", path: "/{id}", tags, security: bearerSecurity, middleware: [write], request: { params: IdParams, body: jsonBody(PatchWidget) },
    responses: { 200: ok("The updated widget"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const { before, after } = await updateWidget(depsOf(c), c.req.valid("param").id, c.req.valid("json"));
    await audit(c, { action: "widget.updated", resourceType: "widget", resourceId: after.id, before: widgetSummary(before), after: widgetSummary(after) });
    return c.json(publicWidget(after), 200);
  },
);

widgetsApi.openapi(
  createRoute({ method: "delete", path: "/{id}", tags, security: bearerSecurity, middleware: [write], request: { params: IdParams },
    responses: { 204: { description: "Deleted; pages that embed it stop showing the chat" }, ...authErrors } }),
  async (c) => {
    const row = await deleteWidget(scopeOf(c), c.req.valid("param").id);
    await audit(c, { action: "widget.deleted", resourceType: "widget", resourceId: row.id, before: widgetSummary(row) });
    return c.body(null, 204);
  },
);
