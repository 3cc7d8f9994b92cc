/**
 * A partner's plain HTTP API under `/echo`, for outbound calls that are not webhooks (the
 * workflow `http` step): it records every request, headers included, and answers what the
 * query string asks for.
 *
 *   ANY  /echo/{name}?status=&as=json|text&bytes=&location=   record, then answer
 *   GET  /echo/{name}/_received                               what arrived, oldest first
 *
 * `status` (default 200), `as` (default json: the request echoed back as JSON), `bytes`
 * (pad the answer to at least this many bytes), `location` (sent with a 3xx). Every answer
 * carries `x-echo-seq` and `cache-control: no-store`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { readText, sendJson, type SimHandler } from "./http.ts";

/** One request as the echo endpoint saw it. */
export interface EchoRequest {
  seq: number;
  at: number;
  method: string;
  query: string;
  headers: Record<string, string>;
  body: string;
}

const KEEP = 1000;
const NAME = /^\/echo\/([A-Za-z0-9_-]{1,80})(\/_received)?$/;

const answerQuery = z.object({
  status: z.coerce.number().int().min(200).max(599).default(200),
  as: z.enum(["json", "text"]).default("json"),
  bytes: z.coerce.number().int().min(0).max(4_000_000).default(0),
  location: z.string().max(2000).optional(),
});

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

function answer(res: ServerResponse, rec: EchoRequest, url: URL): void {
  const q = answerQuery.safeParse(Object.fromEntries(url.searchParams));
  if (!q.success) {
    sendJson(res, 400, { error: z.prettifyError(q.error) });
    return;
  }
  const { status, as, bytes, location } = q.data;
  const extra: Record<string, string> = { "x-echo-seq": String(rec.seq), "cache-control": "no-store", ...(location ? { location } : {}) };
  const echoed = { method: rec.method, headers: rec.headers, body: rec.body };
  if (as === "json") {
    const base = JSON.stringify(echoed).length;
    sendJson(res, status, bytes > base ? { ...echoed, padding: "x".repeat(bytes - base) } : echoed, extra);
    return;
  }
  const text = `echo ${rec.method} ${rec.body}`;
  const padded = text.length < bytes ? text + "x".repeat(bytes - text.length) : text;
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(padded), ...extra });
  res.end(padded);
}

/** Handler for everything under `/echo`. */
export function echoHandler(): SimHandler {
  const log = new Map<string, EchoRequest[]>();
  let seq = 0;
  return async (req, res, url) => {
    const m = NAME.exec(url.pathname);
    const name = m?.[1];
    if (!name) {
      sendJson(res, 404, { error: "use /echo/{name}" });
      return true;
    }
    if (m?.[2] && req.method === "GET") {
      sendJson(res, 200, { data: log.get(name) ?? [] });
      return true;
    }
    const rec: EchoRequest = { seq: ++seq, at: Date.now(), method: req.method ?? "GET", query: url.search, headers: headersOf(req), body: await readText(req) };
    const list = log.get(name) ?? [];
    list.push(rec);
    if (list.length > KEEP) list.shift();
    log.set(name, list);
    answer(res, rec, url);
    return true;
  };
}
