/**
 * Small HTTP helpers shared by the simulator's handlers: body reading, JSON replies
 * and the handler signature every mounted prefix implements.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";

/** A mounted handler: returns true when it answered (or will answer) the request. */
export type SimHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

/** Reads the whole request body as UTF-8 text. */
export function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Parses a JSON body; `undefined` for an empty body, `SyntaxError` thrown on bad JSON. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readText(req);
  if (text.trim() === "") return undefined;
  return JSON.parse(text) as unknown;
}

/** Marker for a body that is not JSON. */
export const BAD_JSON: unique symbol = Symbol("bad-json");

/** Parses JSON text; `BAD_JSON` instead of throwing, so callers answer in their own error format. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return BAD_JSON;
  }
}

/** Sends a JSON body with the given status and extra headers. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A provider-looking random id such as `chatcmpl-…` or `msg_…`. */
export function randomId(prefix: string, bytes = 12): string {
  return prefix + randomBytes(bytes).toString("base64url").replace(/[-_]/g, "x");
}

/** First value of a header that Node may have joined into an array. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Seconds since the epoch, as both providers report `created`. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
