/**
 * The anomaly detector, run every minute by the cron: scores the trailing 5 minutes against
 * the 24 hours before, raises an anomaly (row, anomaly.detected event, live message) for
 * each tenant a new one concerns, and resolves open ones once their metric has stayed
 * under the threshold for RESOLVE_AFTER_MS.
 *
 * Exactly once: a (tenant, kind, subject) has at most one open anomaly (a partial unique
 * index), only the run whose insert won announces it, and event ids derive from the
 * anomaly id; an announcement that failed is retried by a later run with the same id.
 */
import type { AnomalyKind, Sensitivity } from "../../d1/schema";
import { makeDb, type Db } from "../db";
import { newId } from "../lib/ids";
import { log } from "../lib/log";
import { announceDetected, announceResolved } from "./announce";
import { type AnomalyRow, markAnnounced, markResolutionAnnounced, openAnomalies, raiseAnomaly, resolveAnomaly, setClearSince, unannounced } from "./anomaly-store";
import { exceeds, METRIC_RULES, type Scored } from "./detect";
import { providerKey, type RunScores, scoreRun, tenantKey } from "./scores";
import { PROVIDER_KINDS } from "./series";
import { sensitivityLookup } from "./settings";
import { currentUsage, type DetectionWindows, windowsAt } from "./usage-windows";

/** An open anomaly resolves after its metric has been back under the threshold this long (two windows). */
export const RESOLVE_AFTER_MS = 10 * 60_000;
/** An anomaly whose announcement has not gone out this long after it was raised is announced again. */
export const ANNOUNCE_RETRY_AFTER_MS = 60_000;

export type DetectionReport = { raised: number; resolved: number; scored: number };

type Candidate = { tenantId: string; kind: AnomalyKind; subject: string; scored: Scored };

const openKey = (tenantId: string, kind: AnomalyKind, subject: string) => `${tenantId}|${kind}|${subject}`;
const isProviderKind = (kind: AnomalyKind) => PROVIDER_KINDS.some((k) => k === kind);

/** What is anomalous now, per tenant: the tenant's own metrics, and each provider it called. */
function candidatesOf(scores: RunScores, sensitivityOf: (t: string) => Sensitivity): Candidate[] {
  const out: Candidate[] = [];
  for (const { tenantId, scored } of scores.tenant.values()) {
    if (exceeds(scored, sensitivityOf(tenantId))) out.push({ tenantId, kind: scored.series.kind, subject: scored.series.subject, scored });
  }
  for (const scored of scores.provider.values()) {
    for (const tenantId of scores.callers.get(scored.series.subject) ?? []) {
      if (exceeds(scored, sensitivityOf(tenantId))) out.push({ tenantId, kind: scored.series.kind, subject: scored.series.subject, scored });
    }
  }
  return out;
}

function rowOf(c: Candidate, w: DetectionWindows, sensitivity: Sensitivity, now: number): AnomalyRow {
  return {
    id: newId("anom"),
    tenantId: c.tenantId,
    kind: c.kind,
    subject: c.subject,
    status: "open",
    sensitivity,
    score: c.scored.score ?? 0,
    observed: c.scored.series.current ?? 0,
    expected: c.scored.expected,
    unit: METRIC_RULES[c.kind].unit,
    windowStart: w.start,
    windowEnd: w.end,
    detectedAt: now,
    clearSince: null,
    resolvedAt: null,
    notifiedAt: null,
    resolvedNotifiedAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
  };
}

async function announce(env: Env, db: Db, row: AnomalyRow, now: number): Promise<void> {
  try {
    await announceDetected(env, row, now);
    await markAnnounced(db, row.id, now);
  } catch (err) {
    log.error("anomaly announcement failed; a later run retries it", { err, tenantId: row.tenantId, anomalyId: row.id });
  }
}

async function announceResolution(env: Env, db: Db, row: AnomalyRow, now: number): Promise<void> {
  try {
    await announceResolved(env, row, now);
    await markResolutionAnnounced(db, row.id, now);
  } catch (err) {
    log.error("anomaly resolution announcement failed; a later run retries it", { err, tenantId: row.tenantId, anomalyId: row.id });
  }
}

/** Announcements an earlier run could not make, given ANNOUNCE_RETRY_AFTER_MS to finish first. */
async function retryAnnouncements(env: Env, db: Db, now: number): Promise<void> {
  const due = now - ANNOUNCE_RETRY_AFTER_MS;
  for (const row of await unannounced(db)) {
    if (row.notifiedAt === null && row.detectedAt <= due) await announce(env, db, row, now);
    if (row.status === "resolved" && row.resolvedNotifiedAt === null && (row.resolvedAt ?? 0) <= due) await announceResolution(env, db, row, now);
  }
}

/** Whether an open anomaly's metric is still over the tenant's threshold; unmeasured counts as normal. */
function stillHigh(a: AnomalyRow, scores: RunScores, sensitivity: Sensitivity): boolean {
  const scored = isProviderKind(a.kind) ? scores.provider.get(providerKey(a.kind, a.subject)) : scores.tenant.get(tenantKey(a.tenantId, a.kind))?.scored;
  return scored !== undefined && exceeds(scored, sensitivity);
}

async function settleOpen(env: Env, db: Db, open: readonly AnomalyRow[], scores: RunScores, sensitivityOf: (t: string) => Sensitivity, now: number): Promise<number> {
  let resolved = 0;
  for (const a of open) {
    if (stillHigh(a, scores, sensitivityOf(a.tenantId))) {
      if (a.clearSince !== null) await setClearSince(db, a.id, null);
    } else if (a.clearSince === null) {
      await setClearSince(db, a.id, now);
    } else if (now - a.clearSince >= RESOLVE_AFTER_MS) {
      const row = await resolveAnomaly(db, a.id, now);
      if (!row) continue;
      resolved++;
      await announceResolution(env, db, row, now);
    }
  }
  return resolved;
}

/** One detector run at `now`. */
export async function runAnomalyDetection(env: Env, now: number = Date.now()): Promise<DetectionReport> {
  const db = makeDb(env.DB);
  const w = windowsAt(now);
  const [sensitivityOf, open, current] = await Promise.all([sensitivityLookup(db), openAnomalies(db), currentUsage(db, w)]);
  const scores = await scoreRun(db, w, current, sensitivityOf);
  const openKeys = new Set(open.map((a) => openKey(a.tenantId, a.kind, a.subject)));

  let raised = 0;
  for (const c of candidatesOf(scores, sensitivityOf)) {
    if (openKeys.has(openKey(c.tenantId, c.kind, c.subject))) continue;
    const row = rowOf(c, w, sensitivityOf(c.tenantId), now);
    if (!(await raiseAnomaly(db, row))) continue;
    raised++;
    log.info("anomaly detected", { tenantId: row.tenantId, anomalyId: row.id, kind: row.kind, subject: row.subject, score: row.score });
    await announce(env, db, row, now);
  }
  const resolved = await settleOpen(env, db, open, scores, sensitivityOf, now);
  await retryAnnouncements(env, db, now);
  return { raised, resolved, scored: scores.tenant.size + scores.provider.size };
}
