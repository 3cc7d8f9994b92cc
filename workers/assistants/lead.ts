/**
 * A conversation that became a lead: stored in the leads table (source "chat") and announced
 * with lead.created, which starts the speed-to-lead workflow and reaches partner webhooks.
 * Once per thread: the thread is claimed before anything is written.
 */
import type { Visitor } from "../../d1/schema";
import type { Db } from "../db";
import { publishEvent } from "../events/publish";
import { newId } from "../lib/ids";
import { insertLead, markPublished, type LeadRow } from "../leads/store";
import { contactOf, detectVehicle, type DetectedVehicle } from "./conversation";
import { claimThreadLead } from "./threads";

export type ChatLeadInput = { tenantId: string; threadId: string; rooftopId: string | null; visitor: Visitor; customerTexts: string[]; now: number };

function vehicleRow(v: DetectedVehicle): LeadRow["vehicles"][number] {
  return { interest: "buy", status: "new", year: v.year ?? null, make: v.make, model: v.model ?? null, trim: null, vin: null, stock: null, price: null, odometer: null, comments: null };
}

function leadRow(id: string, input: ChatLeadInput): LeadRow {
  const contact = contactOf(input.visitor, input.customerTexts);
  const vehicle = detectVehicle(input.customerTexts);
  return {
    id,
    tenantId: input.tenantId,
    rooftopId: input.rooftopId,
    source: "chat",
    provider: null,
    externalId: input.threadId,
    externalSource: "chat",
    dedupeKey: `chat:${input.threadId}`,
    status: "new",
    customer: { name: contact.name ?? null, firstName: null, lastName: null, email: contact.email ?? null, phone: contact.phone ?? null, phoneType: null, address: null, contactPreference: null, timeframe: null, comments: null },
    vehicles: vehicle ? [vehicleRow(vehicle)] : [],
    comments: input.customerTexts.join("\n"),
    adf: { status: "new", requestDate: new Date(input.now).toISOString(), vendor: { name: null, contact: null }, provider: { name: null, service: null, url: null } },
    // A chat lead has no ADF document: the empty key says so (GET /leads/{id}/adf answers 404).
    adfKey: "",
    warnings: [],
    contactedAt: null,
    contactedChannel: null,
    contactedBy: null,
    contactNote: null,
    publishedAt: null,
    publishClaimedAt: input.now,
    createdAt: input.now,
    updatedAt: input.now,
  };
}

function eventData(row: LeadRow): Record<string, unknown> {
  const v = row.vehicles[0];
  const c = row.customer;
  return {
    leadId: row.id,
    rooftopId: row.rooftopId,
    source: "chat",
    customer: { ...(c.name ? { name: c.name } : {}), ...(c.email ? { email: c.email } : {}), ...(c.phone ? { phone: c.phone } : {}) },
    ...(v ? { vehicle: { ...(v.year ? { year: v.year } : {}), ...(v.make ? { make: v.make } : {}), ...(v.model ? { model: v.model } : {}) } } : {}),
    ...(row.comments ? { comments: row.comments } : {}),
  };
}

/** Creates the thread's lead and publishes lead.created; null when the thread already has one. */
export async function createChatLead(deps: { env: Env; db: Db }, input: ChatLeadInput): Promise<string | null> {
  const id = newId("lead");
  if (!(await claimThreadLead({ db: deps.db, tenantId: input.tenantId }, input.threadId, id, input.now))) return null;
  const row = leadRow(id, input);
  await insertLead(deps.db, row);
  await publishEvent(deps.env, { tenantId: input.tenantId, type: "lead.created", data: eventData(row) });
  await markPublished(deps.db, row, input.now);
  return id;
}
