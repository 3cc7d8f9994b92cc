/**
 * /leads: leads that came in (ADF from lead providers), their raw ADF, and the call staff
 * or a CRM makes when the customer was reached.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { LEAD_CHANNELS, LEAD_STATUSES } from "../../d1/schema";
import { platformAuth, requirePermission } from "../auth/middleware";
import { actorOf } from "../auth/principal";
import { AppError } from "../errors";
import { AdfLeadSchema } from "../leads/adf/schema";
import { recordLeadContact } from "../leads/contact";
import { readStoredAdf } from "../leads/intake";
import { getLead, listLeads } from "../leads/store";
import { leadDetail, leadSummary } from "../leads/view";
import { audit, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, EpochMs, IdParams, jsonBody, jsonResponse, mediaTypeError, TimeParam } from "./schemas";

const Status = z.enum(LEAD_STATUSES);
const Channel = z.enum(LEAD_CHANNELS);
const Nullable = z.string().nullable();

const ListQuery = z.object({
  status: Status.optional(),
  rooftopId: z.string().max(64).optional(),
  since: TimeParam.optional().openapi({ description: "Leads created at or after this time" }),
  limit: z.coerce.number().int().min(1).max(200).optional().openapi({ example: 50 }),
  cursor: z.string().max(200).optional().openapi({ description: "nextCursor of the previous page" }),
});

export const LeadSummarySchema = z
  .object({
    id: z.string().openapi({ example: "lead_8fK2mQ4rT6vX9zB1cD3e" }),
    rooftopId: Nullable,
    source: z.string().openapi({ example: "adf" }),
    provider: Nullable.openapi({ example: "AutoTrader" }),
    status: Status,
    customer: z.object({ name: Nullable, email: Nullable, phone: Nullable }),
    vehicle: z.object({ year: z.number().int().nullable(), make: Nullable, model: Nullable, vin: Nullable }).nullable().openapi({ description: "The vehicle the customer asks about (not a trade-in)" }),
    comments: Nullable,
    createdAt: EpochMs,
    contactedAt: EpochMs.nullable(),
  })
  .openapi("LeadSummary");

const LeadDetailSchema = LeadSummarySchema.extend({
  externalId: z.object({ value: z.string(), source: Nullable }).nullable().openapi({ description: "The provider's id of the lead" }),
  lead: AdfLeadSchema.openapi({ description: "Everything read from the ADF" }),
  warnings: z.array(z.string()).openapi({ description: "What was odd about the ADF and how it was read" }),
  contact: z.object({ at: EpochMs, channel: Channel.nullable(), by: Nullable, note: Nullable }).nullable(),
}).openapi("Lead");

const Contacted = z
  .object({
    channel: Channel,
    note: z.string().trim().max(2000).optional(),
  })
  .strict();

export const leadsApi = createApiApp();
leadsApi.use("*", platformAuth);

const tags = ["Leads"];
const read = requirePermission("workflows:read");
const write = requirePermission("workflows:write");
const route = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ tags, security: bearerSecurity, ...r });

leadsApi.openapi(
  route({ method: "get", path: "/", middleware: [read], request: { query: ListQuery },
    responses: { 200: jsonResponse(z.object({ data: z.array(LeadSummarySchema), nextCursor: z.string().nullable() }), "Leads, newest first"), ...authErrors } }),
  async (c) => {
    const page = await listLeads(scopeOf(c), c.req.valid("query"));
    return c.json({ data: page.data.map(leadSummary), nextCursor: page.nextCursor }, 200);
  },
);

leadsApi.openapi(
  route({ method: "get", path: "/{id}", middleware: [read], request: { params: IdParams }, responses: { 200: jsonResponse(LeadDetailSchema, "The lead, as parsed, with its warnings"), ...authErrors } }),
  async (c) => c.json(leadDetail(await getLead(scopeOf(c), c.req.valid("param").id)), 200),
);

leadsApi.openapi(
  route({ method: "get", path: "/{id}/adf", middleware: [read], request: { params: IdParams },
    responses: { 200: { description: "The ADF as received (for an e-mail, the ADF part of it)", content: { "application/xml": { schema: z.string() } } }, ...authErrors } }),
  async (c) => {
    const row = await getLead(scopeOf(c), c.req.valid("param").id);
    const xml = await readStoredAdf(c.env.FILES, row);
    if (xml === null) throw new AppError("not_found", "The ADF of this lead is not stored");
    return c.body(xml, 200, { "content-type": "application/xml; charset=utf-8" });
  },
);

leadsApi.openapi(
  route({ method: "post", path: "/{id}/contacted", middleware: [write], request: { params: IdParams, body: jsonBody(Contacted) },
    description: "Says the customer was reached. Publishes lead.contacted the first time; repeating it returns the lead unchanged.",
    responses: { 200: jsonResponse(LeadDetailSchema, "The lead, contacted"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const principal = c.get("principal");
    const body = c.req.valid("json");
    const report = { channel: body.channel, note: body.note || null, by: actorOf(principal).actorId, userId: principal.type === "user" ? principal.userId : null };
    const { row, changed } = await recordLeadContact({ ...scopeOf(c), env: c.env, now: Date.now }, c.req.valid("param").id, report);
    if (changed) await audit(c, { action: "lead.contacted", resourceType: "lead", resourceId: row.id, before: { status: "new" }, after: { status: row.status, channel: row.contactedChannel, note: row.contactNote } });
    return c.json(leadDetail(row), 200);
  },
);
