/** How a lead reads in lists: its vehicle, its source, and how fast someone answered. */
import type { Schemas } from "../../../api/client";
import { duration } from "../../../lib/format";

type Lead = Schemas["LeadSummary"];

export function vehicleText(v: Lead["vehicle"]): string {
  if (!v) return "—";
  return [v.year, v.make, v.model].filter((x) => x !== null && x !== "").join(" ") || v.vin || "—";
}

export function sourceText(lead: Lead): string {
  return lead.provider ? `${lead.source.toUpperCase()} · ${lead.provider}` : lead.source.toUpperCase();
}

/** Time from the lead arriving to a person reaching the customer; or how long it has waited. */
export function firstResponse(lead: Lead, now = Date.now()): { text: string; waiting: boolean; late: boolean } {
  if (lead.contactedAt !== null) return { text: duration(Math.max(0, lead.contactedAt - lead.createdAt)), waiting: false, late: lead.contactedAt - lead.createdAt > 15 * 60_000 };
  const waited = Math.max(0, now - lead.createdAt);
  return { text: `waiting ${duration(waited)}`, waiting: true, late: waited > 15 * 60_000 };
}
