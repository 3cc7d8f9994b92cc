/**
 * The TenantLedger's own SQLite storage: spend counters per (budget, bucket), reservations
 * and what they hold under each budget, rate-limit buckets and sent-threshold marks. It
 * survives eviction; every call here is synchronous, so a sequence of them inside one
 * Durable Object method is never interleaved with another request.
 */
import type { Bucket } from "./rate";

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS spend (budget_id TEXT NOT NULL, bucket_start INTEGER NOT NULL, spent INTEGER NOT NULL, PRIMARY KEY (budget_id, bucket_start))`,
  `CREATE TABLE IF NOT EXISTS reservations (id TEXT PRIMARY KEY, request_id TEXT NOT NULL, status TEXT NOT NULL,
     api_key_id TEXT, admitted_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, amount INTEGER NOT NULL, tokens INTEGER NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS reservations_due ON reservations (status, expires_at)`,
  `CREATE TABLE IF NOT EXISTS holds (reservation_id TEXT NOT NULL, budget_id TEXT NOT NULL, bucket_start INTEGER NOT NULL,
     amount INTEGER NOT NULL, PRIMARY KEY (reservation_id, budget_id))`,
  `CREATE INDEX IF NOT EXISTS holds_budget ON holds (budget_id, bucket_start)`,
  `CREATE TABLE IF NOT EXISTS rate_buckets (key TEXT PRIMARY KEY, tokens REAL NOT NULL, updated_at INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS threshold_marks (budget_id TEXT NOT NULL, mark_key INTEGER NOT NULL, threshold INTEGER NOT NULL,
     PRIMARY KEY (budget_id, mark_key, threshold))`,
];

export type ReservationStatus = "open" | "expired";

export type ReservationRow = {
  id: string;
  request_id: string;
  status: ReservationStatus;
  api_key_id: string | null;
  admitted_at: number;
  expires_at: number;
  amount: number;
  tokens: number;
};

export type HoldRow = { budget_id: string; bucket_start: number; amount: number };

export class LedgerSql {
  constructor(private readonly sql: SqlStorage) {}

  migrate(): void {
    for (const statement of SCHEMA) this.sql.exec(statement);
  }

  getMeta(key: string): string | null {
    const row = this.sql.exec<{ v: string }>(`SELECT v FROM meta WHERE k = ?`, key).toArray()[0];
    return row ? row.v : null;
  }

  setMeta(key: string, value: string): void {
    this.sql.exec(`INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`, key, value);
  }

  spentIn(budgetId: string, start: number, end: number): number {
    return this.sql.exec<{ s: number }>(`SELECT COALESCE(SUM(spent), 0) AS s FROM spend WHERE budget_id = ? AND bucket_start >= ? AND bucket_start < ?`, budgetId, start, end).one().s;
  }

  reservedIn(budgetId: string, start: number, end: number): number {
    return this.sql.exec<{ s: number }>(`SELECT COALESCE(SUM(amount), 0) AS s FROM holds WHERE budget_id = ? AND bucket_start >= ? AND bucket_start < ?`, budgetId, start, end).one().s;
  }

  addSpend(budgetId: string, bucketStart: number, nanoUsd: number): void {
    this.sql.exec(
      `INSERT INTO spend (budget_id, bucket_start, spent) VALUES (?, ?, ?) ON CONFLICT (budget_id, bucket_start) DO UPDATE SET spent = spent + excluded.spent`,
      budgetId,
      bucketStart,
      nanoUsd,
    );
  }

  insertReservation(r: ReservationRow, holds: readonly HoldRow[]): void {
    this.sql.exec(
      `INSERT INTO reservations (id, request_id, status, api_key_id, admitted_at, expires_at, amount, tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      r.id, r.request_id, r.status, r.api_key_id, r.admitted_at, r.expires_at, r.amount, r.tokens,
    );
    for (const h of holds) this.sql.exec(`INSERT INTO holds (reservation_id, budget_id, bucket_start, amount) VALUES (?, ?, ?, ?)`, r.id, h.budget_id, h.bucket_start, h.amount);
  }

  reservation(id: string): ReservationRow | null {
    return this.sql.exec<ReservationRow>(`SELECT * FROM reservations WHERE id = ?`, id).toArray()[0] ?? null;
  }

  holdsOf(reservationId: string): HoldRow[] {
    return this.sql.exec<HoldRow>(`SELECT budget_id, bucket_start, amount FROM holds WHERE reservation_id = ?`, reservationId).toArray();
  }

  deleteReservation(id: string): void {
    this.sql.exec(`DELETE FROM holds WHERE reservation_id = ?`, id);
    this.sql.exec(`DELETE FROM reservations WHERE id = ?`, id);
  }

  /**
   * Releases open reservations due by `now`. Their rows stay (holding nothing) for
   * `keepMs`, so a call that ends late still has its real cost counted.
   */
  expireDue(now: number): number {
    const due = this.sql.exec<{ id: string }>(`SELECT id FROM reservations WHERE status = 'open' AND expires_at <= ?`, now).toArray();
    for (const { id } of due) {
      this.sql.exec(`UPDATE holds SET amount = 0 WHERE reservation_id = ?`, id);
      this.sql.exec(`UPDATE reservations SET status = 'expired' WHERE id = ?`, id);
    }
    return due.length;
  }

  /** Forgets expired reservations whose late-settle grace has passed. */
  purgeExpired(before: number): void {
    const old = this.sql.exec<{ id: string }>(`SELECT id FROM reservations WHERE status = 'expired' AND expires_at <= ?`, before).toArray();
    for (const { id } of old) this.deleteReservation(id);
  }

  /** The earliest time something is due: an open reservation's expiry, or an expired one's purge. */
  nextDue(keepMs: number): number | null {
    const row = this.sql
      .exec<{ t: number | null }>(`SELECT MIN(CASE WHEN status = 'open' THEN expires_at ELSE expires_at + ? END) AS t FROM reservations`, keepMs)
      .one();
    return row.t;
  }

  openCount(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM reservations WHERE status = 'open'`).one().n;
  }

  bucket(key: string): Bucket | null {
    const row = this.sql.exec<{ tokens: number; updated_at: number }>(`SELECT tokens, updated_at FROM rate_buckets WHERE key = ?`, key).toArray()[0];
    return row ? { tokens: row.tokens, updatedAt: row.updated_at } : null;
  }

  putBucket(key: string, b: Bucket): void {
    this.sql.exec(
      `INSERT INTO rate_buckets (key, tokens, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET tokens = excluded.tokens, updated_at = excluded.updated_at`,
      key,
      b.tokens,
      b.updatedAt,
    );
  }

  marks(budgetId: string, markKey: number): Set<number> {
    return new Set(this.sql.exec<{ threshold: number }>(`SELECT threshold FROM threshold_marks WHERE budget_id = ? AND mark_key = ?`, budgetId, markKey).toArray().map((r) => r.threshold));
  }

  mark(budgetId: string, markKey: number, threshold: number): void {
    this.sql.exec(`INSERT OR IGNORE INTO threshold_marks (budget_id, mark_key, threshold) VALUES (?, ?, ?)`, budgetId, markKey, threshold);
  }

  unmark(budgetId: string, markKey: number, threshold: number): void {
    this.sql.exec(`DELETE FROM threshold_marks WHERE budget_id = ? AND mark_key = ? AND threshold = ?`, budgetId, markKey, threshold);
  }

  /** Drops counters and marks older than `before`, and everything of budgets not in `keep`. */
  prune(before: number, keep: readonly string[], keepBuckets: readonly string[]): void {
    this.sql.exec(`DELETE FROM spend WHERE bucket_start < ?`, before);
    this.sql.exec(`DELETE FROM threshold_marks WHERE mark_key <> 0 AND mark_key < ?`, before);
    const ids = JSON.stringify(keep);
    this.sql.exec(`DELETE FROM spend WHERE budget_id NOT IN (SELECT value FROM json_each(?))`, ids);
    this.sql.exec(`DELETE FROM threshold_marks WHERE budget_id NOT IN (SELECT value FROM json_each(?))`, ids);
    this.sql.exec(`DELETE FROM rate_buckets WHERE key NOT IN (SELECT value FROM json_each(?))`, JSON.stringify(keepBuckets));
  }
}
