/**
 * Leads as the API shows them: a summary for lists, and the full record with the parsed
 * ADF and its warnings.
 */
import type { AdfLead } from "./adf/schema";
import type { LeadRow } from "./store";

/** What a list shows of a lead: who, which vehicle, where it stands. */
export function leadSummary(row: LeadRow) {
  const vehicle = row.vehicles.find((v) => v.interest !== "trade-in" && v.interest !== "sell") ?? row.vehicles[0] ?? null;
  return {
    id: row.id,
    rooftopId: row.rooftopId,
    source: row.source,
    provider: row.provider,
    status: row.status,
    customer: { name: row.customer.name, email: row.customer.email, phone: row.customer.phone },
    vehicle: vehicle ? { year: vehicle.year, make: vehicle.make, model: vehicle.model, vin: vehicle.vin } : null,
    comments: row.comments,
    createdAt: row.createdAt,
    contactedAt: row.contactedAt,
  };
}

/** The lead as parsed from its ADF. */
export function adfLeadOf(row: LeadRow): AdfLead {
  return {
    externalId: row.externalId === null ? null : { value: row.externalId, source: row.externalSource },
    status: row.adf.status,
    requestDate: row.adf.requestDate,
    vehicles: row.vehicles,
    customer: row.customer,
    vendor: row.adf.vendor,
    provider: row.adf.provider,
    comments: row.comments,
  };
}

/** Everything about one lead. */
export function leadDetail(row: LeadRow) {
  const contact = row.contactedAt === null ? null : { at: row.contactedAt, channel: row.contactedChannel, by: row.contactedBy, note: row.contactNote };
  return { ...leadSummary(row), externalId: adfLeadOf(row).externalId, lead: adfLeadOf(row), warnings: row.warnings, contact };
}
