/**
 * What the overview reads: today's gateway usage, the last 24 hours of workflow runs by
 * status, approvals waiting and today's leads. Days are the tenant's calendar days.
 */
import { api, type Schemas, unwrap } from "../../api/client";
import { startOfDay } from "./tenant-day";

type UsageRow = Schemas["UsageSummary"]["rows"][number];
export type UsageToday = { today: UsageRow | null; yesterday: UsageRow | null; todayKey: string };

/** Today's and yesterday's totals (rows keyed by the tenant's calendar day). */
export async function loadUsageToday(timeZone: string, todayKey: string, now = Date.now()): Promise<UsageToday> {
  const from = startOfDay(timeZone, startOfDay(timeZone, now) - 1);
  const summary = await unwrap(api.GET("/usage/summary", { params: { query: { groupBy: "day", from: String(from), to: String(now + 1) } } }));
  const today = summary.rows.find((r) => r.key === todayKey) ?? null;
  const yesterday = summary.rows.find((r) => r.key !== todayKey) ?? null;
  return { today, yesterday, todayKey };
}

export type RunStatus = Schemas["WorkflowRun"]["status"];
export type RunsByStatus = { counts: Partial<Record<RunStatus, number>>; total: number; capped: boolean };

const RUN_PAGE = 200;
const RUN_PAGES = 5;

/** Runs created in the last 24 hours, counted by status (at most RUN_PAGES pages are read). */
export async function loadRunsByStatus(now = Date.now()): Promise<RunsByStatus> {
  const counts: Partial<Record<RunStatus, number>> = {};
  let total = 0;
  let before: string | undefined;
  for (let page = 0; page < RUN_PAGES; page++) {
    const res = await unwrap(api.GET("/runs", { params: { query: { from: now - 86_400_000, limit: RUN_PAGE, before } } }));
    for (const run of res.data) counts[run.status] = (counts[run.status] ?? 0) + 1;
    total += res.data.length;
    if (!res.next) return { counts, total, capped: false };
    before = res.next;
  }
  return { counts, total, capped: true };
}

export async function loadApprovals(): Promise<Schemas["PendingApproval"][]> {
  return (await unwrap(api.GET("/approvals"))).data;
}

export type LeadsToday = { count: number; uncontacted: number; more: boolean; latest: Schemas["LeadSummary"] | null };

/** Leads received since the tenant's midnight. */
export async function loadLeadsToday(timeZone: string, now = Date.now()): Promise<LeadsToday> {
  const res = await unwrap(api.GET("/leads", { params: { query: { since: String(startOfDay(timeZone, now)), limit: 200 } } }));
  return { count: res.data.length, uncontacted: res.data.filter((l) => l.status === "new").length, more: res.nextCursor !== null, latest: res.data[0] ?? null };
}
