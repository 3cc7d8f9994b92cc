import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AppError } from "../../workers/errors";
import { attemptTargets } from "../../workers/gateway/attempts";
import type { RetryPolicy } from "../../workers/gateway/routing";
import { classifyFailure, healthKeyOf, reportOutcome } from "../../workers/gateway/health";
import { adapterFor, type ProviderTarget } from "../../workers/gateway/providers";
import type { PlannedTarget } from "../../workers/gateway/routing/types";
import { addScenario, marker, upstreamRequests } from "./helpers";

type Planned = PlannedTarget;

const retry: RetryPolicy = { attempts: 2, backoff: "constant", delayMs: 10, maxDelayMs: 2_000, onStatuses: [429], honorRetryAfter: true };

function upstreamOf(model: string): ProviderTarget {
  return { name: "openai", kind: "openai", model, baseURL: `${env.SIM_URL}/openai/v1`, apiKey: "sk-sim-openai" };
}

/** What the call path will do: call the adapter, and on failure report it to the target's circuit. */
function runner(text: string, waitUntil: (p: Promise<unknown>) => void, owner: string) {
  const run = async (t: Planned): Promise<Response> => {
    const upstream = upstreamOf(t.model);
    return adapterFor("openai").generate(upstream, "openai-chat", { model: t.model, messages: [{ role: "user", content: text }] }, { timeoutMs: t.timeoutMs });
  };
  const onFailure = (t: Planned, err: unknown) => {
    const kind = classifyFailure(err);
    if (kind) reportOutcome(env, waitUntil, healthKeyOf({ name: "openai", model: t.model }, owner), { ok: false, kind, latencyMs: 1 });
  };
  return { run, onFailure };
}

describe("attemptTargets against the simulator", () => {
  it("retries a 429 after its Retry-After, fails over a 503, and reports both to the circuits", async () => {
    const text = marker();
    const owner = `ten_${marker()}`;
    await addScenario({ match: { text, model: "gpt-4o" }, status: 429, retryAfter: 0, times: 2 });
    await addScenario({ match: { text, model: "gpt-4.1" }, status: 503, times: 1 });
    const slept: number[] = [];
    const pending: Promise<unknown>[] = [];
    const { run, onFailure } = runner(text, (p) => void pending.push(p), owner);
    const targets: Planned[] = ["gpt-4o", "gpt-4.1", "gpt-4o-mini"].map((model) => ({ model, retry, timeoutMs: 10_000 }));
    const result = await attemptTargets(targets, run, { onFailure, sleep: async (ms) => void slept.push(ms) });
    expect(result.target.model).toBe("gpt-4o-mini");
    expect(result.attempts).toBe(4);
    expect(result.value.status).toBe(200);
    await result.value.body?.cancel();
    expect(slept).toEqual([0]);
    const seen = (await upstreamRequests(text)).map((r) => (r.body as { model?: string }).model);
    expect(seen).toEqual(["gpt-4o", "gpt-4o", "gpt-4.1", "gpt-4o-mini"]);
    await Promise.all(pending);
    const stub = (model: string) => env.PROVIDER_HEALTH.get(env.PROVIDER_HEALTH.idFromName(healthKeyOf({ name: "openai", model }, owner)));
    expect(await stub("gpt-4o").snapshot()).toMatchObject({ calls: 2, failuresByKind: { rate_limited: 2 } });
    expect(await stub("gpt-4.1").snapshot()).toMatchObject({ calls: 1, failuresByKind: { server_error: 1 } });
  });

  it("stops at a 400 without touching the fallback", async () => {
    const text = marker();
    await addScenario({ match: { text, model: "gpt-4o" }, status: 400, times: 1 });
    const { run, onFailure } = runner(text, () => {}, `ten_${marker()}`);
    const targets: Planned[] = ["gpt-4o", "gpt-4o-mini"].map((model) => ({ model, retry, timeoutMs: 10_000 }));
    const err = await attemptTargets(targets, run, { onFailure, sleep: async () => {} }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err instanceof AppError && err.status).toBe(400);
    expect((await upstreamRequests(text)).length).toBe(1);
  });
});
