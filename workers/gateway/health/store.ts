/**
 * How a ProviderHealth object keeps its state in its own SQLite: one row for the circuit,
 * one row per second of outcome counts. Read once when the object wakes; written after
 * every change, so an evicted object resumes where it stopped.
 */
import { z } from "zod";
import type { HealthState } from "./circuit";
import { FAILURE_KINDS, type Bucket } from "./window";

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS circuit (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    state TEXT NOT NULL,
    changed_at INTEGER,
    retry_at INTEGER,
    probe_until INTEGER,
    latency_ms REAL,
    last_failure_kind TEXT,
    last_failure_at INTEGER
  )`,
  `CREATE TABLE IF NOT EXISTS outcomes (
    second INTEGER PRIMARY KEY,
    calls INTEGER NOT NULL,
    failures INTEGER NOT NULL,
    rate_limited INTEGER NOT NULL,
    server_error INTEGER NOT NULL,
    timeout INTEGER NOT NULL,
    connection INTEGER NOT NULL,
    stream_cut INTEGER NOT NULL
  )`,
];

const Kind = z.enum(FAILURE_KINDS);
const CircuitRow = z.object({
  state: z.enum(["closed", "open", "half_open"]),
  changed_at: z.number().nullable(),
  retry_at: z.number().nullable(),
  probe_until: z.number().nullable(),
  latency_ms: z.number().nullable(),
  last_failure_kind: Kind.nullable(),
  last_failure_at: z.number().nullable(),
});
const Count = z.number().int().nonnegative();
const OutcomeRow = z.object({
  second: z.number().int(),
  calls: Count,
  failures: Count,
  rate_limited: Count,
  server_error: Count,
  timeout: Count,
  connection: Count,
  stream_cut: Count,
});

/** Creates the tables if needed and reads the state back (a fresh object starts closed). */
export function loadHealth(sql: SqlStorage, initial: HealthState): HealthState {
  for (const ddl of SCHEMA) sql.exec(ddl);
  const row = sql.exec("SELECT * FROM circuit WHERE id = 1").toArray()[0];
  const buckets = sql
    .exec("SELECT * FROM outcomes ORDER BY second")
    .toArray()
    .map((r): Bucket => {
      const b = OutcomeRow.parse(r);
      const kinds = { rate_limited: b.rate_limited, server_error: b.server_error, timeout: b.timeout, connection: b.connection, stream_cut: b.stream_cut };
      return { second: b.second, calls: b.calls, failures: b.failures, kinds };
    });
  if (!row) return { ...initial, buckets };
  const c = CircuitRow.parse(row);
  return {
    circuit: c.state,
    changedAt: c.changed_at,
    retryAt: c.retry_at,
    probeUntil: c.probe_until,
    latencyMs: c.latency_ms,
    lastFailure: c.last_failure_kind !== null && c.last_failure_at !== null ? { kind: c.last_failure_kind, at: c.last_failure_at } : null,
    buckets,
  };
}

function saveCircuit(sql: SqlStorage, s: HealthState): void {
  sql.exec(
    `INSERT INTO circuit (id, state, changed_at, retry_at, probe_until, latency_ms, last_failure_kind, last_failure_at)
     VALUES (1, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at, retry_at = excluded.retry_at,
       probe_until = excluded.probe_until, latency_ms = excluded.latency_ms,
       last_failure_kind = excluded.last_failure_kind, last_failure_at = excluded.last_failure_at`,
    s.circuit,
    s.changedAt,
    s.retryAt,
    s.probeUntil,
    s.latencyMs,
    s.lastFailure?.kind ?? null,
    s.lastFailure?.at ?? null,
  );
}

function saveBucket(sql: SqlStorage, b: Bucket): void {
  const k = b.kinds;
  sql.exec(
    `INSERT INTO outcomes (second, calls, failures, rate_limited, server_error, timeout, connection, stream_cut)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (second) DO UPDATE SET calls = excluded.calls, failures = excluded.failures, rate_limited = excluded.rate_limited,
       server_error = excluded.server_error, timeout = excluded.timeout, connection = excluded.connection, stream_cut = excluded.stream_cut`,
    b.second,
    b.calls,
    b.failures,
    k.rate_limited,
    k.server_error,
    k.timeout,
    k.connection,
    k.stream_cut,
  );
}

/**
 * Writes `next` over `previous`: the circuit row, the buckets that changed, and the removal
 * of those that slid out of the window (or were cleared when the circuit closed).
 */
export function saveHealth(sql: SqlStorage, previous: HealthState, next: HealthState): void {
  saveCircuit(sql, next);
  const oldest = next.buckets[0];
  if (!oldest) sql.exec("DELETE FROM outcomes");
  else sql.exec("DELETE FROM outcomes WHERE second < ?", oldest.second);
  const before = new Map(previous.buckets.map((b) => [b.second, b]));
  for (const b of next.buckets) if (before.get(b.second) !== b) saveBucket(sql, b);
}
