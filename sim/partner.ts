/**
 * A partner's webhook receiver under `/partner`. Each named receiver verifies signatures
 * with the `standardwebhooks` package (as a partner would) and can be told to fail, stall,
 * rate-limit, answer 410 or redirect.
 *
 *   POST   /partner/{name}           receive a webhook
 *   PUT    /partner/{name}/_config   {secrets?, mode?, status?, retryAfter?, times?, replyBytes?}
 *   GET    /partner/{name}/_received what arrived, oldest first
 *   DELETE /partner/{name}           forget the receiver
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Webhook } from "standardwebhooks";
import { z } from "zod";
import type { SimContext } from "./context.ts";
import { BAD_JSON, header, parseJson, readText, sendJson, type SimHandler } from "./http.ts";

const MODES = ["ok", "fail", "stall", "rate_limit", "gone", "redirect"] as const;
type Mode = (typeof MODES)[number];

const configInput = z
  .object({
    secrets: z.array(z.string().startsWith("whsec_")).max(4).optional(),
    mode: z.enum(MODES).optional(),
    /** The status `fail` answers (default 500). */
    status: z.number().int().min(400).max(599).optional(),
    /** Seconds `rate_limit` puts in Retry-After (default 60). */
    retryAfter: z.number().int().min(0).max(86_400).optional(),
    /** The mode lasts this many requests, then the receiver answers ok again. */
    times: z.number().int().positive().optional(),
    /** Pads every answer's body to this many bytes (to test how much of it is kept). */
    replyBytes: z.number().int().min(0).max(1_000_000).optional(),
  })
  .strict();

/** One webhook as the receiver saw it. */
export interface Received {
  seq: number;
  at: number;
  webhookId: string | null;
  timestamp: number | null;
  signature: string | null;
  /** Some signature matches a configured secret (null: no secret configured). */
  signatureValid: boolean | null;
  /** `Webhook.verify` accepted it outright, the timestamp check included. */
  verified: boolean | null;
  type: string | null;
  body: string;
  answered: number | "stalled";
}

interface Receiver {
  secrets: string[];
  mode: Mode;
  status: number;
  retryAfter: number;
  remaining: number | null;
  replyBytes: number;
  received: Received[];
}

const KEEP = 5000;
const NAME = /^\/partner\/([A-Za-z0-9_-]{1,80})(\/_config|\/_received)?$/;

function signatureValid(secrets: string[], id: string, ts: number, body: string, offered: string): boolean {
  const sigs = new Set(offered.split(" "));
  return secrets.some((s) => sigs.has(new Webhook(s).sign(id, new Date(ts * 1000), body)));
}

function verifiedByLibrary(secrets: string[], headers: Record<string, string>, body: string): boolean {
  return secrets.some((s) => {
    try {
      new Webhook(s).verify(body, headers);
      return true;
    } catch {
      return false;
    }
  });
}

function eventType(body: string): string | null {
  const json = parseJson(body);
  const parsed = z.object({ type: z.string() }).safeParse(json === BAD_JSON ? null : json);
  return parsed.success ? parsed.data.type : null;
}

function inspect(r: Receiver, req: IncomingMessage, body: string, seq: number): Received {
  const id = header(req, "webhook-id") ?? null;
  const tsText = header(req, "webhook-timestamp") ?? null;
  const signature = header(req, "webhook-signature") ?? null;
  const ts = tsText && /^\d+$/.test(tsText) ? Number(tsText) : null;
  const secrets = r.secrets;
  const hasAll = id !== null && ts !== null && signature !== null;
  const sigOk = secrets.length === 0 ? null : hasAll && signatureValid(secrets, id, ts, body, signature);
  const libOk = secrets.length === 0 ? null : hasAll && verifiedByLibrary(secrets, { "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": signature }, body);
  return { seq, at: Date.now(), webhookId: id, timestamp: ts, signature, signatureValid: sigOk, verified: libOk, type: eventType(body), body, answered: 200 };
}

function currentMode(r: Receiver): Mode {
  if (r.mode === "ok") return "ok";
  if (r.remaining !== null) {
    r.remaining -= 1;
    if (r.remaining < 0) {
      r.mode = "ok";
      r.remaining = null;
      return "ok";
    }
  }
  return r.mode;
}

function answer(ctx: SimContext, res: ServerResponse, r: Receiver, rec: Received, name: string): void {
  if (rec.signatureValid === false) {
    rec.answered = 401;
    sendJson(res, 401, { error: "invalid signature" });
    return;
  }
  const mode = currentMode(r);
  if (mode === "stall") {
    rec.answered = "stalled";
    ctx.hold(res);
    return;
  }
  const pad = r.replyBytes > 0 ? { padding: "x".repeat(r.replyBytes) } : {};
  const replies: Record<Exclude<Mode, "stall">, () => void> = {
    ok: () => sendJson(res, 200, { received: true, ...pad }),
    fail: () => sendJson(res, r.status, { error: "simulated failure", ...pad }),
    rate_limit: () => sendJson(res, 429, { error: "slow down", ...pad }, { "retry-after": String(r.retryAfter) }),
    gone: () => sendJson(res, 410, { error: "this endpoint no longer exists", ...pad }),
    redirect: () => sendJson(res, 302, { moved: true, ...pad }, { location: `/partner/${name}-moved` }),
  };
  replies[mode]();
  rec.answered = res.statusCode;
}

/** Handler for everything under `/partner`. */
export function partnerHandler(ctx: SimContext): SimHandler {
  const receivers = new Map<string, Receiver>();
  let seq = 0;
  const get = (name: string): Receiver => {
    let r = receivers.get(name);
    if (!r) receivers.set(name, (r = { secrets: [], mode: "ok", status: 500, retryAfter: 60, remaining: null, replyBytes: 0, received: [] }));
    return r;
  };
  const configure = async (req: IncomingMessage, res: ServerResponse, name: string): Promise<void> => {
    const json = parseJson((await readText(req)) || "{}");
    const parsed = configInput.safeParse(json === BAD_JSON ? undefined : json);
    if (!parsed.success) {
      sendJson(res, 400, { error: z.prettifyError(parsed.error) });
      return;
    }
    const r = get(name);
    const c = parsed.data;
    Object.assign(r, { secrets: c.secrets ?? r.secrets, mode: c.mode ?? r.mode, status: c.status ?? r.status, retryAfter: c.retryAfter ?? r.retryAfter, replyBytes: c.replyBytes ?? r.replyBytes, remaining: c.times ?? null });
    sendJson(res, 200, { name, secrets: r.secrets.length, mode: r.mode, remaining: r.remaining });
  };
  const receive = async (req: IncomingMessage, res: ServerResponse, name: string): Promise<void> => {
    const r = get(name);
    const rec = inspect(r, req, await readText(req), ++seq);
    r.received.push(rec);
    if (r.received.length > KEEP) r.received.shift();
    answer(ctx, res, r, rec, name);
  };
  return async (req, res, url) => {
    const m = NAME.exec(url.pathname);
    const name = m?.[1];
    const route = `${req.method ?? "GET"} ${m?.[2] ?? ""}`;
    if (!name) sendJson(res, 404, { error: "use /partner/{name}" });
    else if (route === "POST ") await receive(req, res, name);
    else if (route === "PUT /_config") await configure(req, res, name);
    else if (route === "GET /_received") sendJson(res, 200, { data: receivers.get(name)?.received ?? [] });
    else if (route === "DELETE ") {
      receivers.delete(name);
      sendJson(res, 200, { ok: true });
    } else sendJson(res, 404, { error: `no partner route ${route}` });
    return true;
  };
}
