/**
 * The Anthropic API under `/anthropic`: auth and version headers, routing, body parsing and
 * admission; sim/anthropic-messages.ts answers Messages and token counting.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import { anthropicError, anthropicScenarioError } from "./anthropic-errors.ts";
import { answerMessages, type CountTokensBody, countTokensBody, inputTokens, messagesBody } from "./anthropic-messages.ts";
import { admit, type SimContext } from "./context.ts";
import type { Knobs } from "./faults.ts";
import { BAD_JSON, header, parseJson, readText, sendJson, type SimHandler } from "./http.ts";
import { ANTHROPIC_MODELS, anthropicKnows } from "./models.ts";

function issueMessage(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid request";
  const path = issue.path.join(".") || "body";
  return `${path}: ${issue.message.includes("received undefined") ? "Field required" : issue.message}`;
}

async function parseBody<T extends { model: string }>(req: IncomingMessage, res: ServerResponse, schema: z.ZodType<T>): Promise<{ body: T; json: unknown; raw: string } | null> {
  const raw = await readText(req);
  const json = parseJson(raw);
  if (json === BAD_JSON) {
    anthropicError(res, 400, "invalid_request_error", "There was an issue with the request body: the body is not valid JSON.");
    return null;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    anthropicError(res, 400, "invalid_request_error", issueMessage(parsed.error));
    return null;
  }
  return { body: parsed.data, json, raw };
}

type Respond<T> = (res: ServerResponse, body: T, knobs: Knobs | undefined) => Promise<void> | void;

async function serve<T extends { model: string }>(ctx: SimContext, req: IncomingMessage, res: ServerResponse, url: URL, schema: z.ZodType<T>, respond: Respond<T>): Promise<void> {
  const got = await parseBody(req, res, schema);
  if (!got) return;
  const knobs = await admit(ctx, req, res, { provider: "anthropic", model: got.body.model, url, rawBody: got.raw, body: got.json }, anthropicScenarioError);
  if (knobs === null) return;
  if (!anthropicKnows(got.body.model)) return anthropicError(res, 404, "not_found_error", `model: ${got.body.model}`);
  await respond(res, got.body, knobs);
}

const countTokens: Respond<CountTokensBody> = (res, body) => sendJson(res, 200, { input_tokens: inputTokens(body) });

function models(res: ServerResponse): void {
  const data = ANTHROPIC_MODELS.map((id) => ({ type: "model", id, display_name: id, created_at: "2025-01-01T00:00:00Z" }));
  sendJson(res, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null });
}

/** Handler for everything under `/anthropic`. */
export function anthropicHandler(ctx: SimContext): SimHandler {
  return async (req, res, url) => {
    const route = `${req.method ?? "GET"} ${url.pathname.slice("/anthropic".length)}`;
    if (!header(req, "x-api-key") && !/^Bearer \S+/.test(header(req, "authorization") ?? "")) {
      anthropicError(res, 401, "authentication_error", "x-api-key header is required");
    } else if (!header(req, "anthropic-version")) {
      anthropicError(res, 400, "invalid_request_error", "anthropic-version: header is required");
    } else if (route === "POST /v1/messages") {
      await serve(ctx, req, res, url, messagesBody, answerMessages);
    } else if (route === "POST /v1/messages/count_tokens") {
      await serve(ctx, req, res, url, countTokensBody, countTokens);
    } else if (route === "GET /v1/models") {
      models(res);
    } else {
      anthropicError(res, 404, "not_found_error", "Not Found");
    }
    return true;
  };
}
