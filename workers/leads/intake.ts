/**
 * ADF lead intake: read what the provider posted, store the lead once, keep the ADF as
 * received in R2, and publish lead.created (which starts the speed-to-lead workflow).
 *
 * Providers resend, retry on timeouts and sometimes post twice at once, so a lead is
 * stored under a unique dedupe key and only the request that stored it publishes. If that
 * request died before publishing, the next copy of the lead publishes instead.
 */
import type { Db, TenantScope } from "../db";
import { AppError } from "../errors";
import { publishEvent } from "../events/publish";
import { newId } from "../lib/ids";
import { assertRooftopOf, listRooftops } from "../platform/rooftops";
import { parseAdf } from "./adf/parse";
import type { AdfLead, AdfVehicle } from "./adf/schema";
import { dedupeKeyOf, externalSourceOf } from "./dedupe";
import { readLeadDocument } from "./document";
import { claimUnpublished, findLeadByDedupeKey, insertLead, type LeadRow, markPublished } from "./store";

export type IntakeDeps = { env: Env; db: Db; now: () => number };
export type IntakeInput = { tenantId: string; rooftopId: string | null; body: Uint8Array; contentType: string | null };
export type IntakeResult = { status: "created" | "duplicate"; leadId: string; warnings: string[] };

/** Queue messages are capped at 128 KB; a bigger ADF stays in R2 and is left out of the event. */
const MAX_EVENT_ADF = 64 * 1024;

/** The tenant's rooftop named like the ADF vendor (case-insensitive), if exactly that name exists. */
async function rooftopByVendor(scope: TenantScope, vendor: string | null): Promise<string | null> {
  if (!vendor) return null;
  const wanted = vendor.trim().toLowerCase();
  const match = (await listRooftops(scope, { kind: "rooftop" })).find((r) => r.name.trim().toLowerCase() === wanted);
  return match?.id ?? null;
}

function compact<T extends Record<string, string | number | null>>(obj: T): Record<string, string | number> {
  return Object.fromEntries(Object.entries(obj).filter((e): e is [string, string | number] => e[1] !== null));
}

/** The vehicle the customer wants: not the one they trade in or sell. */
function wantedVehicle(vehicles: AdfVehicle[]): AdfVehicle | undefined {
  return vehicles.find((v) => v.interest !== "trade-in" && v.interest !== "sell") ?? vehicles[0];
}

/** The data of the lead.created event. */
export function leadCreatedData(row: LeadRow, xml: string): Record<string, unknown> {
  const vehicle = wantedVehicle(row.vehicles);
  return {
    leadId: row.id,
    rooftopId: row.rooftopId,
    source: row.source,
    ...(row.provider ? { provider: row.provider } : {}),
    customer: compact({ name: row.customer.name, email: row.customer.email, phone: row.customer.phone }),
    vehicle: vehicle ? compact({ year: vehicle.year, make: vehicle.make, model: vehicle.model, vin: vehicle.vin }) : {},
    ...(row.comments ? { comments: row.comments } : {}),
    ...(xml.length <= MAX_EVENT_ADF ? { adf: xml } : {}),
  };
}

function newRow(tenantId: string, rooftopId: string | null, lead: AdfLead, dedupeKey: string, warnings: string[], now: number): LeadRow {
  const id = newId("lead");
  return {
    id,
    tenantId,
    rooftopId,
    source: "adf",
    provider: lead.provider.name,
    externalId: lead.externalId?.value ?? null,
    externalSource: lead.externalId ? externalSourceOf(lead) : null,
    dedupeKey,
    status: "new",
    customer: lead.customer,
    vehicles: lead.vehicles,
    comments: lead.comments,
    adf: { status: lead.status, requestDate: lead.requestDate, vendor: lead.vendor, provider: lead.provider },
    adfKey: `leads/${tenantId}/${id}.xml`,
    warnings,
    contactedAt: null,
    contactedChannel: null,
    contactedBy: null,
    contactNote: null,
    publishedAt: null,
    // The request that inserts the lead holds the right to publish it.
    publishClaimedAt: now,
    createdAt: now,
    updatedAt: now,
  };
}

/** The ADF of a lead as received, from R2; null when it is not stored (leads from chat have none). */
export async function readStoredAdf(files: R2Bucket, row: LeadRow): Promise<string | null> {
  if (row.adfKey === "") return null;
  const object = await files.get(row.adfKey);
  return object ? object.text() : null;
}

async function publishLead(deps: IntakeDeps, row: LeadRow, xml: string): Promise<void> {
  await deps.env.FILES.put(row.adfKey, xml, { httpMetadata: { contentType: "application/xml; charset=utf-8" } });
  await publishEvent(deps.env, { tenantId: row.tenantId, type: "lead.created", data: leadCreatedData(row, xml) });
  await markPublished(deps.db, row, deps.now());
}

/**
 * Takes in one posted ADF lead (XML or e-mail). Throws AppError: unsupported_media_type for
 * a body that is neither, validation_failed (with {path, message} details) for one that
 * cannot be a lead or names a rooftop the tenant does not have.
 */
export async function intakeAdfLead(deps: IntakeDeps, input: IntakeInput): Promise<IntakeResult> {
  const doc = readLeadDocument(input.body, input.contentType);
  const parsed = parseAdf(doc.xml);
  if (!parsed.ok) throw new AppError("validation_failed", `This is not a lead: ${parsed.problems.map((p) => p.message).join("; ")}`, parsed.problems);
  const { lead } = parsed;
  const scope = { db: deps.db, tenantId: input.tenantId };
  const rooftopId = input.rooftopId ? (await assertRooftopOf(scope, input.rooftopId, "rooftop")).id : await rooftopByVendor(scope, lead.vendor.name);
  const dedupeKey = await dedupeKeyOf(lead);
  const warnings = [...doc.warnings, ...parsed.warnings];
  const now = deps.now();
  const row = newRow(input.tenantId, rooftopId, lead, dedupeKey, [...warnings], now);
  if (await insertLead(deps.db, row)) {
    if (lead.status === "resend") warnings.push("marked as a resend, but no earlier copy of this lead arrived here; stored as new");
    await publishLead(deps, row, doc.xml);
    return { status: "created", leadId: row.id, warnings };
  }
  const existing = await findLeadByDedupeKey(scope, dedupeKey);
  if (!existing) throw new AppError("conflict", "This lead was being stored by another request; send it again");
  if (existing.publishedAt === null && (await claimUnpublished(deps.db, existing, now))) {
    await publishLead(deps, existing, doc.xml);
    return { status: "created", leadId: existing.id, warnings };
  }
  return { status: "duplicate", leadId: existing.id, warnings };
}
