/**
 * Helpers for widget tests: an assistant row to point widgets at, widgets made through the
 * API, and calls to the public /widget routes as a browser on some website would make them.
 */
import { env, exports } from "cloudflare:workers";
import { z } from "zod";
import { assistants } from "../../d1/schema";
import { DEFAULT_PIPELINE } from "../../workers/assistants/pipeline/registry";
import { makeDb } from "../../workers/db";
import { newId } from "../../workers/lib/ids";
import { call, expectOk } from "../api/helpers";

export const BASE = "http://auterity.test";
export const DEALER = "https://www.smithmotors.example";

export const WidgetBody = z.object({
  id: z.string().startsWith("wgt_"),
  assistantId: z.string(),
  allowedOrigins: z.array(z.string()),
  title: z.string(),
  greeting: z.string(),
  accentColor: z.string(),
  position: z.enum(["bottom-right", "bottom-left"]),
  createdAt: z.number(),
  updatedAt: z.number(),
});

/** An assistant row of `tenantId`, written straight to D1 so widget tests need nothing else. */
export async function createAssistantRow(tenantId: string, model = "gpt-4o-mini"): Promise<string> {
  const id = newId("ast");
  const now = Date.now();
  await makeDb(env.DB).insert(assistants).values({
    id, tenantId, name: "Sales desk", model, instructions: "Answer briefly.", knowledgeBaseIds: [], rooftopId: null, department: null,
    pipeline: [...DEFAULT_PIPELINE], leadThreshold: 70, createdAt: now, updatedAt: now,
  });
  return id;
}

export async function createWidgetAs(token: string, body: Record<string, unknown>) {
  return expectOk(await call("POST", "/widgets", { token, body }), 201, WidgetBody);
}

/** Calls a public /widget route, from `origin` when given (as a browser would send it). */
export function widgetFetch(path: string, init: { method?: string; origin?: string; ip?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.origin) headers.origin = init.origin;
  if (init.ip) headers["cf-connecting-ip"] = init.ip;
  if (init.body !== undefined) headers["content-type"] ??= "application/json";
  return exports.default.fetch(`${BASE}/widget${path}`, { method: init.method ?? "GET", headers, body: init.body });
}

const ErrorReply = z.object({ error: z.object({ code: z.string(), message: z.string(), requestId: z.string() }) });

/** The platform error body of a refused public call. */
export async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  return ErrorReply.parse(await res.json()).error;
}
