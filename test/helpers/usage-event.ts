/** A gateway usage event as the gateway sends it to the usage queue, for consumer tests. */
import type { UsageEvent } from "../../workers/gateway/usage";
import { randomString } from "../../workers/lib/ids";

export function usageEvent(tenantId: string, over: Partial<UsageEvent> = {}): UsageEvent {
  return {
    id: `use_${randomString(16)}`,
    requestId: `req_${randomString(16)}`,
    tenantId,
    apiKeyId: null,
    userId: null,
    endpoint: "/v1/chat/completions",
    modelRequested: "gpt-4o-mini",
    modelServed: "gpt-4o-mini",
    provider: "openai",
    inputTokens: 100,
    outputTokens: 20,
    cachedTokens: 0,
    costNanoUsd: 27_000,
    latencyMs: 120,
    ttftMs: null,
    cacheHit: false,
    status: 200,
    attempts: 1,
    stream: false,
    errorCode: null,
    tags: ["sales"],
    createdAt: Date.now(),
    ...over,
  };
}
