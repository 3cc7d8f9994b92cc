/**
 * The OpenAI- and Anthropic-compatible API, mounted at /v1. Handlers validate, hand the
 * call to the call path and turn its result into a Response; errors render in the caller's
 * format through the one error handler (OpenAI's on /v1/*, Anthropic's on /v1/messages).
 */
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { z } from "zod";
import { apiKeyAuth } from "../auth/middleware";
import { makeDb } from "../db";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { parseJsonBody } from "../lib/json-body";
import { gatewayDepsOf, generate, type CallInput, type CallResult, type GatewayDeps } from "./call";
import { embed } from "./embed";
import { listModels, retrieveModel } from "./models";
import { metadataFromHeaders } from "./routing";
import { chatCompletionsBody, embeddingsBody, messagesBody, responsesBody } from "./schemas";
import type { WireFormat } from "./translate";

const MAX_BODY_BYTES = 8 * 1024 * 1024;

const tooLarge = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new AppError("payload_too_large", `The request body is larger than ${MAX_BODY_BYTES / (1024 * 1024)} MB`);
  },
});
const auth = apiKeyAuth("gateway");

function depsOf(c: Context<AppEnv>): GatewayDeps {
  return gatewayDepsOf(c.env, makeDb(c.env.DB), (p) => c.executionCtx.waitUntil(p));
}

function inputOf(c: Context<AppEnv>, format: WireFormat, body: CallInput["body"]): CallInput {
  const principal = c.get("principal");
  const caller =
    principal.type === "api_key"
      ? { tenantId: principal.tenantId, apiKeyId: principal.apiKeyId, userId: null, tags: principal.tags }
      : { tenantId: principal.tenantId, apiKeyId: null, userId: principal.userId, tags: [] };
  const headers = c.req.raw.headers;
  return { requestId: c.get("requestId"), caller, endpoint: c.req.path, format, body, metadata: metadataFromHeaders(headers), headers, signal: c.req.raw.signal };
}

function respond(result: CallResult): Response {
  if (result.kind === "json") {
    return new Response(JSON.stringify(result.body), { headers: { ...result.headers, "content-type": "application/json" } });
  }
  return new Response(result.stream, {
    headers: { ...result.headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
  });
}

/** A generation endpoint: validate with `schema`, serve in `format`. */
function generation<S extends z.ZodType<CallInput["body"]>>(format: WireFormat, schema: S) {
  return async (c: Context<AppEnv>) => {
    const body = await parseJsonBody(c, schema);
    return respond(await generate(depsOf(c), inputOf(c, format, body)));
  };
}

export const gateway = new Hono<AppEnv>();

gateway.post("/chat/completions", auth, tooLarge, generation("openai-chat", chatCompletionsBody));
gateway.post("/responses", auth, tooLarge, generation("openai-responses", responsesBody));
gateway.post("/messages", auth, tooLarge, generation("anthropic-messages", messagesBody));

gateway.post("/embeddings", auth, tooLarge, async (c) => {
  const body = await parseJsonBody(c, embeddingsBody);
  const result = await embed(depsOf(c), inputOf(c, "openai-chat", body));
  return new Response(result.text, { headers: { ...result.headers, "content-type": "application/json" } });
});

gateway.get("/models", auth, async (c) => {
  return c.json({ object: "list", data: await listModels(depsOf(c), c.get("principal").tenantId) });
});

// Model ids may contain slashes (openai/gpt-4o, groq/meta-llama/llama-3.1-8b).
gateway.get("/models/:id{.+}", auth, async (c) => {
  return c.json(await retrieveModel(depsOf(c), c.get("principal").tenantId, c.req.param("id")));
});
