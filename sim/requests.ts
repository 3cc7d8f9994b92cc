/**
 * Recent requests the simulator received, so tests can assert what the gateway sent
 * upstream. A bounded ring: storing a reference costs nothing on the hot path.
 */
import type { IncomingHttpHeaders } from "node:http";

const CREDENTIAL_HEADERS = new Set(["authorization", "x-api-key", "api-key", "cookie", "proxy-authorization"]);
const CAPACITY = 1000;

/** One received request as `GET /_sim/requests` shows it. */
export interface RecordedRequest {
  seq: number;
  at: number;
  method: string;
  path: string;
  query: string;
  provider: string;
  headers: Record<string, string | string[]>;
  body: unknown;
}

interface Entry {
  seq: number;
  at: number;
  method: string;
  path: string;
  query: string;
  provider: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: unknown;
}

function redact(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k] = CREDENTIAL_HEADERS.has(k) ? "[redacted]" : v;
  }
  return out;
}

/** Filters for listing recorded requests. */
export interface RequestQuery {
  limit: number;
  path?: string;
  contains?: string;
}

/** The ring of recently received requests. */
export class RequestLog {
  private entries: Entry[] = [];
  private seq = 0;

  /** Remembers a request (headers are redacted only when listed). */
  record(e: Omit<Entry, "seq" | "at">): void {
    this.entries.push({ ...e, seq: ++this.seq, at: Date.now() });
    if (this.entries.length > CAPACITY * 2) this.entries = this.entries.slice(-CAPACITY);
  }

  /** Forgets every request. */
  clear(): void {
    this.entries = [];
  }

  /** The last `limit` matching requests, oldest first, with credential values redacted. */
  list(q: RequestQuery): RecordedRequest[] {
    let rows = this.entries.slice(-CAPACITY);
    if (q.path !== undefined) rows = rows.filter((e) => e.path.includes(q.path ?? ""));
    if (q.contains !== undefined) rows = rows.filter((e) => e.rawBody.includes(q.contains ?? ""));
    return rows.slice(-q.limit).map((e) => ({
      seq: e.seq,
      at: e.at,
      method: e.method,
      path: e.path,
      query: e.query,
      provider: e.provider,
      headers: redact(e.headers),
      body: e.body,
    }));
  }
}
