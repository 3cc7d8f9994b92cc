/**
 * /events: the catalog of platform events partners can subscribe to, each with the JSON
 * Schema of its `data` and an example.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { platformAuth, requirePermission } from "../auth/middleware";
import { AppError } from "../errors";
import { isEventType, listEventCatalog } from "../events/catalog";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, jsonResponse } from "./schemas";

const CatalogEntrySchema = z
  .object({
    type: z.string().openapi({ example: "lead.created" }),
    description: z.string(),
    schema: z.record(z.string(), z.unknown()).openapi({ description: "JSON Schema of the event's data" }),
    example: z.record(z.string(), z.unknown()).openapi({ description: "An example of the event's data" }),
  })
  .openapi("EventType");

const TypeParams = z.object({ type: z.string().min(1).max(100).openapi({ param: { name: "type", in: "path" }, example: "lead.created" }) });

export const eventsApi = createApiApp();
eventsApi.use("*", platformAuth);

const tags = ["Events"];
const read = requirePermission("webhooks:read");

eventsApi.openapi(
  createRoute({ method: "get", path: "/types", tags, security: bearerSecurity, middleware: [read],
    description: "Every event type; a webhook's body is `{type, timestamp, data}` with data as described here.",
    responses: { 200: jsonResponse(z.object({ data: z.array(CatalogEntrySchema) }), "The event catalog"), ...authErrors } }),
  (c) => c.json({ data: listEventCatalog() }, 200),
);

eventsApi.openapi(
  createRoute({ method: "get", path: "/types/{type}", tags, security: bearerSecurity, middleware: [read], request: { params: TypeParams },
    responses: { 200: jsonResponse(CatalogEntrySchema, "One event type"), ...authErrors } }),
  (c) => {
    const { type } = c.req.valid("param");
    const entry = isEventType(type) ? listEventCatalog().find((e) => e.type === type) : undefined;
    if (!entry) throw new AppError("not_found", `No event type "${type}"`);
    return c.json(entry, 200);
  },
);
