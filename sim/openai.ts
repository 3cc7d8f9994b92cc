/**
 * The OpenAI API under `/openai/v1`: auth, routing, body parsing and admission, then the
 * endpoint modules (chat completions, responses, embeddings) answer.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import { admit, type SimContext } from "./context.ts";
import type { Knobs } from "./faults.ts";
import { BAD_JSON, header, parseJson, readText, sendJson, type SimHandler } from "./http.ts";
import { openaiModelIds, openaiKnows } from "./models.ts";
import { openaiError, openaiScenarioError } from "./openai-errors.ts";
import { chatEndpoint } from "./openai-chat.ts";
import { embeddingsEndpoint } from "./openai-embeddings.ts";
import { responsesEndpoint } from "./openai-responses.ts";

/** One POST endpoint: its body schema, which models it serves, and how it answers. */
export interface OpenAIEndpoint<T extends { model: string }> {
  schema: z.ZodType<T>;
  serves: (model: string) => boolean;
  answer: (res: ServerResponse, body: T, knobs: Knobs | undefined) => Promise<void> | void;
}

const PREFIX = "/openai/v1";

function modelObject(id: string): Record<string, unknown> {
  return { id, object: "model", created: 1_700_000_000, owned_by: id.startsWith("ft:") ? "user" : "system" };
}

function authorized(req: IncomingMessage): boolean {
  const auth = header(req, "authorization");
  return auth !== undefined && /^Bearer \S+/.test(auth);
}

async function post<T extends { model: string }>(ctx: SimContext, req: IncomingMessage, res: ServerResponse, url: URL, ep: OpenAIEndpoint<T>): Promise<void> {
  const rawBody = await readText(req);
  const json = parseJson(rawBody);
  if (json === BAD_JSON) {
    return openaiError(res, 400, "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)", "invalid_request_error");
  }
  const parsed = ep.schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue?.path.join(".") || null;
    return openaiError(res, 400, `Invalid request: ${param ?? "body"}: ${issue?.message ?? "invalid"}`, "invalid_request_error", null, param);
  }
  const body = parsed.data;
  const knobs = await admit(ctx, req, res, { provider: "openai", model: body.model, url, rawBody, body: json }, openaiScenarioError);
  if (knobs === null) return;
  if (!ep.serves(body.model)) {
    return openaiError(res, 404, `The model \`${body.model}\` does not exist or you do not have access to it.`, "invalid_request_error", "model_not_found");
  }
  await ep.answer(res, body, knobs);
}

function getModels(res: ServerResponse, path: string): void {
  if (path === "/models") return sendJson(res, 200, { object: "list", data: openaiModelIds().map(modelObject) });
  const id = decodeURIComponent(path.slice("/models/".length));
  if (!openaiKnows(id)) return openaiError(res, 404, `The model '${id}' does not exist`, "invalid_request_error", "model_not_found", "model");
  sendJson(res, 200, modelObject(id));
}

type Route = (ctx: SimContext, req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;
const ENDPOINTS: Record<string, Route> = {
  "/chat/completions": (ctx, req, res, url) => post(ctx, req, res, url, chatEndpoint),
  "/responses": (ctx, req, res, url) => post(ctx, req, res, url, responsesEndpoint),
  "/embeddings": (ctx, req, res, url) => post(ctx, req, res, url, embeddingsEndpoint),
};

/** Handler for everything under `/openai`. */
export function openaiHandler(ctx: SimContext): SimHandler {
  return async (req, res, url) => {
    if (!url.pathname.startsWith(PREFIX)) return false;
    const path = url.pathname.slice(PREFIX.length);
    if (!authorized(req)) {
      openaiError(res, 401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", "invalid_request_error");
      return true;
    }
    const ep = ENDPOINTS[path];
    if (req.method === "POST" && ep) await ep(ctx, req, res, url);
    else if (req.method === "GET" && (path === "/models" || path.startsWith("/models/"))) getModels(res, path);
    else openaiError(res, 404, `Invalid URL (${req.method ?? "GET"} /v1${path})`, "invalid_request_error");
    return true;
  };
}

