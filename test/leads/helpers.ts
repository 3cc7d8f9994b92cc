/**
 * Helpers for lead tests: the sample ADF files, posting to the intake hook, and ADF built
 * from parts so each test says only what it is about.
 */
import { env, exports } from "cloudflare:workers";
import { z } from "zod";
import newLead from "../../samples/adf/new-lead.xml?raw";
import resendLead from "../../samples/adf/resend-lead.xml?raw";
import messyLead from "../../samples/adf/messy-lead.xml?raw";
import leadEmail from "../../samples/adf/lead-email.eml?raw";
import { randomString } from "../../workers/lib/ids";

export const samples = { newLead, resendLead, messyLead, leadEmail };

export const HOOK = "http://auterity.test/hooks/leads/adf";

export type PostOptions = { key?: string; basic?: { user: string; password: string }; contentType?: string | null; query?: string; headers?: Record<string, string> };
export type HookReply = { status: number; body: unknown; res: Response };

/** POSTs a lead body to /hooks/leads/adf. */
export async function postLead(body: string | Uint8Array, opts: PostOptions = {}): Promise<HookReply> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  if (opts.basic) headers.authorization = `Basic ${btoa(`${opts.basic.user}:${opts.basic.password}`)}`;
  if (opts.contentType !== null) headers["content-type"] = opts.contentType ?? "application/xml";
  const res = await exports.default.fetch(`${HOOK}${opts.query ?? ""}`, { method: "POST", headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: keep the text for the assertion message.
  }
  return { status: res.status, body: parsed, res };
}

export const Intake = z.object({ leadId: z.string().regex(/^lead_[A-Za-z0-9]{20}$/), status: z.enum(["created", "duplicate"]), warnings: z.array(z.string()) });

export type AdfParts = {
  id?: string | null;
  source?: string;
  status?: string;
  customer?: string;
  vendor?: string;
  vehicle?: string;
  requestDate?: string;
};

/** A small valid ADF; every part can be replaced. Ids are unique unless given. */
export function adf(parts: AdfParts = {}): string {
  const id = parts.id === undefined ? `T-${randomString(10)}` : parts.id;
  const idTag = id === null ? "" : `<id sequence="1" source="${parts.source ?? "TestProvider"}">${id}</id>`;
  return `<?xml version="1.0"?><?adf version="1.0"?>
<adf><prospect status="${parts.status ?? "new"}">${idTag}
<requestdate>${parts.requestDate ?? "2024-06-01T09:00:00Z"}</requestdate>
${parts.vehicle ?? '<vehicle interest="buy" status="new"><year>2024</year><make>Toyota</make><model>Corolla</model></vehicle>'}
${parts.customer ?? '<customer><contact><name part="full">Pat Lee</name><email>pat.lee@example.com</email></contact></customer>'}
<vendor><vendorname>${parts.vendor ?? "Test Motors"}</vendorname></vendor>
<provider><name part="full">TestProvider</name></provider>
</prospect></adf>`;
}

/** The stored lead row, straight from D1. */
export async function leadRow(id: string) {
  return env.DB.prepare("select id, tenant_id, rooftop_id, status, dedupe_key, external_id, external_source, adf_key, published_at from leads where id = ?")
    .bind(id)
    .first<{ id: string; tenant_id: string; rooftop_id: string | null; status: string; dedupe_key: string; external_id: string | null; external_source: string | null; adf_key: string; published_at: number | null }>();
}

export async function leadCount(tenantId: string): Promise<number> {
  const row = await env.DB.prepare("select count(*) as n from leads where tenant_id = ?").bind(tenantId).first<{ n: number }>();
  return row?.n ?? 0;
}
