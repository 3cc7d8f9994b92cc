/**
 * Telling Auterity that a lead was reached (by staff or a CRM). The speed-to-lead workflow
 * waits for the lead.contacted event this publishes; repeating the call changes nothing and
 * publishes nothing.
 */
import type { LeadChannel } from "../../d1/schema";
import type { TenantScope } from "../db";
import { publishEvent } from "../events/publish";
import { type LeadRow, markContacted } from "./store";

export type ContactDeps = TenantScope & { env: Env; now: () => number };
export type ContactReport = { channel: LeadChannel; note: string | null; by: string; userId: string | null };

export async function recordLeadContact(deps: ContactDeps, leadId: string, report: ContactReport): Promise<{ row: LeadRow; changed: boolean }> {
  const result = await markContacted(deps, leadId, { channel: report.channel, note: report.note, by: report.by }, deps.now());
  if (result.changed) {
    await publishEvent(deps.env, { tenantId: deps.tenantId, type: "lead.contacted", data: { leadId, channel: report.channel, by: "user", userId: report.userId } });
  }
  return result;
}
