/**
 * A profiling build of the Worker: the real entry (its fetch, queue consumer and Durable
 * Objects) plus /probe/* routes that each run only the first steps of the call path,
 * using the gateway's own modules. Loaded side by side with the same bindings, the
 * differences between routes show what each step costs in workerd. Never deployed.
 */
import { Hono, type Context } from "hono";
import worker from "../workers/index";
import { apiKeyAuth } from "../workers/auth/middleware";
import type { AppEnv } from "../workers/env";
import { adapterFor } from "../workers/gateway/providers";
import { chatCompletionsBody } from "../workers/gateway/schemas";
import { startMeter } from "../workers/gateway/metering";
import { makeDb } from "../workers/db";
import { parseJsonBody } from "../workers/lib/json-body";
import { requestId } from "../workers/lib/request-id";

export * from "../workers/index";

// About the size of the simulator's answer, so every probe sends back a similar body.
const CANNED = {
  id: "chatcmpl-probe",
  object: "chat.completion",
  created: 0,
  model: "gpt-4o-mini",
  choices: [{ index: 0, message: { role: "assistant", content: "Thanks for reaching out about the dealership. We have several certified options." }, finish_reason: "stop" }],
  usage: { prompt_tokens: 13, completion_tokens: 32, total_tokens: 45 },
};

const auth = apiKeyAuth("gateway");
const probe = new Hono<AppEnv>();

/** Meters a call as the call path does: price lookup, then the usage event onto the queue. */
function meterCall(c: Context<AppEnv>): Promise<number> {
  const p = c.get("principal");
  const caller = { tenantId: p.tenantId, apiKeyId: p.type === "api_key" ? p.apiKeyId : null, userId: null, tags: [] };
  const deps = { db: makeDb(c.env.DB), queue: c.env.USAGE_QUEUE, waitUntil: (w: Promise<unknown>) => c.executionCtx.waitUntil(w) };
  const meter = startMeter(deps, { requestId: c.get("requestId"), caller, endpoint: "/v1/chat/completions", modelRequested: "gpt-4o-mini", stream: false });
  meter.served({ provider: "openai", pricedAs: "openai", model: "gpt-4o-mini" });
  meter.usage({ inputTokens: 13, outputTokens: 32, cachedTokens: 0 });
  return meter.finish({ status: 200, errorCode: null });
}

// Every route reads the body, as real handlers do (an unread body costs the connection).
probe.post("/probe/noop", async (c) => {
  await c.req.text();
  return c.json(CANNED);
});
probe.post("/probe/auth", requestId, auth, async (c) => {
  await c.req.text();
  return c.json(CANNED);
});
probe.post("/probe/auth-parse", requestId, auth, async (c) => {
  await parseJsonBody(c, chatCompletionsBody);
  return c.json(CANNED);
});
probe.post("/probe/auth-parse-usage", requestId, auth, async (c) => {
  await parseJsonBody(c, chatCompletionsBody);
  await meterCall(c);
  return c.json(CANNED);
});
probe.post("/probe/fetch", async (c) => {
  const body = await c.req.text();
  const headers = { authorization: `Bearer ${c.env.OPENAI_API_KEY}`, "content-type": "application/json" };
  return fetch(`${c.env.OPENAI_BASE_URL}/chat/completions`, { method: "POST", headers, body });
});
probe.post("/probe/adapter", async (c) => {
  const body = await parseJsonBody(c, chatCompletionsBody);
  const target = { name: "openai", kind: "openai" as const, model: body.model, baseURL: c.env.OPENAI_BASE_URL, apiKey: c.env.OPENAI_API_KEY };
  const res = await adapterFor("openai").generate(target, "openai-chat", body, { timeoutMs: 60_000 });
  return new Response(res.body, { headers: { "content-type": "application/json" } });
});

export default {
  fetch: (req, env, ctx) => (new URL(req.url).pathname.startsWith("/probe/") ? probe.fetch(req, env, ctx) : worker.fetch(req, env, ctx)),
  queue: worker.queue,
  scheduled: worker.scheduled,
} satisfies ExportedHandler<Env>;
