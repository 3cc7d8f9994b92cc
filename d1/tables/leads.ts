/**
 * Leads that came in from outside (ADF from lead providers). A lead is unique per tenant on
 * its dedupe key, so a provider's resend or two simultaneous posts of one lead store it once.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { AdfCustomer, AdfProvider, AdfVehicle, AdfVendor } from "../../workers/leads/adf/schema";
import { createdAt, json } from "./columns";
import { tenants } from "./platform";

export const LEAD_STATUSES = ["new", "contacted"] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export const LEAD_CHANNELS = ["email", "sms", "chat", "phone"] as const;
export type LeadChannel = (typeof LEAD_CHANNELS)[number];

/** The parts of the ADF that have no column of their own. */
export type LeadAdfMeta = { status: "new" | "resend"; requestDate: string | null; vendor: AdfVendor; provider: AdfProvider };

export const leads = sqliteTable(
  "leads",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    rooftopId: text("rooftop_id"),
    source: text("source").notNull(),
    /** The lead provider's name (AutoTrader, Cars.com…), from the ADF. */
    provider: text("provider"),
    externalId: text("external_id"),
    externalSource: text("external_source"),
    /** `id:<source>:<value>` from the ADF id, or `sha256:<hex>` of contact + vehicle + request date. */
    dedupeKey: text("dedupe_key").notNull(),
    status: text("status", { enum: LEAD_STATUSES }).notNull().default("new"),
    customer: json<AdfCustomer>("customer").notNull(),
    vehicles: json<AdfVehicle[]>("vehicles").notNull(),
    comments: text("comments"),
    adf: json<LeadAdfMeta>("adf").notNull(),
    /** R2 (FILES) key of the ADF as received. */
    adfKey: text("adf_key").notNull(),
    warnings: json<string[]>("warnings").notNull(),
    contactedAt: integer("contacted_at"),
    contactedChannel: text("contacted_channel", { enum: LEAD_CHANNELS }),
    /** The user (or API key) that said the customer was reached. */
    contactedBy: text("contacted_by"),
    contactNote: text("contact_note"),
    /** When lead.created went out; null until it has. */
    publishedAt: integer("published_at"),
    /** Who is publishing holds this for a minute; a later copy of the lead may take over after that. */
    publishClaimedAt: integer("publish_claimed_at"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("leads_tenant_dedupe").on(t.tenantId, t.dedupeKey),
    index("leads_tenant_created").on(t.tenantId, t.createdAt),
    index("leads_tenant_status").on(t.tenantId, t.status, t.createdAt),
  ],
);
