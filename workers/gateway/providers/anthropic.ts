/**
 * Anthropic through the official SDK, raw responses only (see ./openai.ts for why).
 * Every client format is served through the Messages API.
 */
import Anthropic from "@anthropic-ai/sdk";
import type { MessageCreateParamsBase } from "@anthropic-ai/sdk/resources/messages";
import { AppError } from "../../errors";
import { viaSdk } from "./errors";
import type { ProviderAdapter, ProviderTarget, UpstreamBody, UpstreamOptions } from "./types";

export const ANTHROPIC_DEFAULT_BASE_URL = "https://api.anthropic.com";

const clients = new Map<string, Anthropic>();
const MAX_CLIENTS = 500;

function clientFor(target: ProviderTarget): Anthropic {
  const key = `${target.baseURL}\u0000${target.apiKey}`;
  let client = clients.get(key);
  if (!client) {
    if (clients.size >= MAX_CLIENTS) clients.clear();
    client = new Anthropic({ apiKey: target.apiKey, baseURL: target.baseURL, maxRetries: 0 });
    clients.set(key, client);
  }
  return client;
}

function isMessagesBody(b: UpstreamBody): b is UpstreamBody & MessageCreateParamsBase {
  return typeof b.model === "string" && Array.isArray(b.messages) && typeof b.max_tokens === "number";
}

function requestOptions(opts: UpstreamOptions) {
  return { timeout: opts.timeoutMs, maxRetries: 0, ...(opts.signal ? { signal: opts.signal } : {}) };
}

export const anthropicAdapter: ProviderAdapter = {
  kind: "anthropic",
  wireFormatFor: () => "anthropic-messages",

  generate(target, format, body, opts) {
    if (format !== "anthropic-messages") throw new AppError("internal_error", `${target.name} does not speak ${format}`);
    if (!isMessagesBody(body)) throw new AppError("bad_request", "The request is not a valid Messages request");
    return viaSdk(target.name, () => clientFor(target).messages.create(body, requestOptions(opts)).asResponse());
  },

  listModels(target, opts) {
    return viaSdk(target.name, async () => {
      const ids: string[] = [];
      for await (const model of clientFor(target).models.list({}, requestOptions(opts))) ids.push(model.id);
      return ids;
    });
  },
};
