/**
 * The `http` step: one outbound request to a partner's system (a CRM, a DMS, a texting
 * service). The URL passes the same SSRF policy as webhook endpoints, redirects are not
 * followed, the answer is read up to 256 KB, and every request carries the step's
 * Idempotency-Key so a receiver can drop the repeat of a retried step.
 */
import { z } from "zod";
import { checkWebhookUrl, urlPolicyFor } from "../../webhooks/url-policy";
import type { Step } from "../definition/schema";
import { permanentFailure, StepFailure } from "./errors";
import type { StepContext, StepHandler } from "./types";

type HttpStep = Extract<Step, { type: "http" }>;

/** What `steps.<id>` holds after an http step. */
export type HttpOutput = {
  status: number;
  /** content-type and any x-* headers of the answer. */
  headers: Record<string, string>;
  /** Parsed JSON when the answer says it is JSON (and was read whole), else text. */
  body: unknown;
  truncated: boolean;
};

/** The most of an answer that is read and kept. */
export const MAX_RESPONSE_BYTES = 256 * 1024;
const USER_AGENT = "Auterity-Workflows/1";
const RETRYABLE = new Set([408, 425, 429]);

const HeaderValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

function urlOf(ctx: StepContext, step: HttpStep): URL {
  const url = z.string().safeParse(ctx.render(step.url));
  if (!url.success) throw permanentFailure("url_refused", "The URL did not render to text");
  const check = checkWebhookUrl(url.data, urlPolicyFor(ctx.deps.env.ENVIRONMENT));
  if (!check.ok) throw permanentFailure("url_refused", `The URL was refused: ${check.reason}`);
  return check.url;
}

function headersOf(ctx: StepContext, step: HttpStep, json: boolean): Headers {
  const rendered = HeaderValues.safeParse(ctx.render(step.headers ?? {}));
  if (!rendered.success) throw permanentFailure("invalid_step_input", "headers must render to names with text values");
  let headers: Headers;
  try {
    headers = new Headers(Object.entries(rendered.data).map(([k, v]): [string, string] => [k, String(v)]));
  } catch (err) {
    throw permanentFailure("invalid_step_input", `Invalid header: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (json && !headers.has("content-type")) headers.set("content-type", "application/json");
  // Set last so a definition cannot weaken them.
  headers.set("idempotency-key", ctx.key);
  headers.set("user-agent", USER_AGENT);
  return headers;
}

/** The rendered body: text as is, any other JSON value serialised (and sent as JSON). */
function bodyOf(ctx: StepContext, step: HttpStep): { body: string | undefined; json: boolean } {
  if (step.body === undefined) return { body: undefined, json: false };
  if (step.method === "GET") throw permanentFailure("invalid_step_input", "A GET request cannot have a body");
  const value = ctx.render(step.body);
  if (typeof value === "string") return { body: value, json: false };
  return { body: JSON.stringify(value ?? null), json: true };
}

async function readCapped(res: Response): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  if (!res.body) return { bytes: new Uint8Array(), truncated: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = MAX_RESPONSE_BYTES - size;
    chunks.push(value.byteLength > room ? value.subarray(0, room) : value);
    size += Math.min(value.byteLength, room);
    if (value.byteLength > room) {
      truncated = true;
      break;
    }
  }
  if (truncated) await reader.cancel().catch(() => undefined);
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return { bytes, truncated };
}

function isJson(contentType: string | null): boolean {
  return contentType !== null && /^application\/([\w.+-]+\+)?json\b/i.test(contentType.trim());
}

function parsedBody(text: string, contentType: string | null, truncated: boolean): unknown {
  if (truncated || !isJson(contentType)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function keptHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) if (name === "content-type" || name.startsWith("x-")) out[name] = value;
  return out;
}

/** A non-2xx answer as a step failure: 408, 425, 429 and 5xx may pass, the rest will not. */
function statusFailure(res: Response, body: string): StepFailure {
  const status = res.status;
  if (status >= 300 && status < 400) {
    return permanentFailure(`http_${status}`, `Redirects are not followed (${status} to ${res.headers.get("location") ?? "no location"})`);
  }
  const message = `The server answered ${status}${body ? `: ${body.slice(0, 200)}` : ""}`;
  return new StepFailure(`http_${status}`, message, RETRYABLE.has(status) || status >= 500);
}

async function send(ctx: StepContext, url: URL, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    if (ctx.signal.aborted) throw new StepFailure("step_timeout", "The server did not answer within the step's timeout", true);
    throw new StepFailure("http_network_error", `The request failed: ${err instanceof Error ? err.message : String(err)}`, true);
  }
}

/** Runs an `http` step: checks the URL, sends the rendered request, returns the answer. */
export const httpStep: StepHandler<HttpStep> = {
  inline: false,
  async run(ctx, step) {
    const url = urlOf(ctx, step);
    const { body, json } = bodyOf(ctx, step);
    const headers = headersOf(ctx, step, json);
    const res = await send(ctx, url, { method: step.method, headers, body, redirect: "manual", signal: ctx.signal });
    const { bytes, truncated } = await readCapped(res).catch((err: unknown) => {
      if (ctx.signal.aborted) throw new StepFailure("step_timeout", "The answer did not arrive within the step's timeout", true);
      throw new StepFailure("http_network_error", `Reading the answer failed: ${err instanceof Error ? err.message : String(err)}`, true);
    });
    const text = new TextDecoder().decode(bytes);
    if (res.status < 200 || res.status >= 300) throw statusFailure(res, text);
    const contentType = res.headers.get("content-type");
    const output: HttpOutput = { status: res.status, headers: keptHeaders(res.headers), body: parsedBody(text, contentType, truncated), truncated };
    return { kind: "done", output };
  },
};
