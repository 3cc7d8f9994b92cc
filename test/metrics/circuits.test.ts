/**
 * The circuit gauge: read at scrape time from the ProviderHealth objects of the targets
 * that reported outcomes. Failures forced through the simulator open a tenant's own
 * circuit, and /metrics shows it one-hot as open, then half_open when the cooldown ends.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { targetsFromOutcomes } from "../../workers/metrics/gauges/circuits";
import type { SeriesEntry } from "../../workers/metrics/series";
import { createTestTenant } from "../helpers/fixtures";
import { addScenario, marker, openaiClient, ownProviderKeys, putRouting, upstreamRequests } from "../gateway/helpers";
import { scrapeUntil, seriesOf, valueOf, type Exposition } from "./helpers";

const RULE = `rules:
  - name: mini-then-haiku
    strategy: fallback
    targets:
      - openai/gpt-4o-mini
      - anthropic/claude-3-5-haiku-latest
`;

function circuit(e: Exposition, owner: string): Record<string, number> {
  const labels = { owner, provider: "openai", model: "gpt-4o-mini" };
  return Object.fromEntries(seriesOf(e, "auterity_provider_circuit_state", labels).map((s) => [s.labels.state, s.value]));
}

describe("the circuit state gauge", { timeout: 60_000 }, () => {
  it("shows a target's circuit closed, open after a run of failures, then half-open", async () => {
    const t = await createTestTenant("Metrics Circuit Motors");
    await ownProviderKeys(t.tenantId);
    await putRouting(t.adminKey, RULE);
    const client = openaiClient(t.gatewayKey);
    const ask = (text: string) => client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: text }] }).withResponse();

    // One good call: the target reports an outcome, so it is listed, closed.
    await ask(`Hello ${marker()}`);
    const closed = await scrapeUntil((e) => circuit(e, t.tenantId).closed === 1, "the closed circuit listed");
    expect(circuit(closed, t.tenantId)).toEqual({ closed: 1, open: 0, half_open: 0 });

    // A run of failures opens it (each call is still served by the fallback). Once the isolate
    // sees the circuit open, later calls skip the target, so count what the provider received.
    const storm = marker();
    await addScenario({ match: { text: storm, model: "gpt-4o-mini" }, status: 500, times: 10 });
    for (let i = 0; i < 10; i++) expect((await ask(`${storm} #${i}`)).response.headers.get("x-auterity-provider")).toBe("anthropic");
    const open = await scrapeUntil((e) => circuit(e, t.tenantId).open === 1, "the open circuit shown");
    expect(circuit(open, t.tenantId)).toEqual({ closed: 0, open: 1, half_open: 0 });
    const failed = (await upstreamRequests(storm)).filter((r) => r.provider === "openai").length;
    expect(failed).toBeGreaterThan(0);
    expect(valueOf(open, "auterity_provider_outcomes_total", { owner: t.tenantId, provider: "openai", model: "gpt-4o-mini", result: "server_error" })).toBe(failed);
    // The fallback target is listed too, and closed.
    expect(Object.fromEntries(seriesOf(open, "auterity_provider_circuit_state", { owner: t.tenantId, provider: "anthropic" }).map((s) => [s.labels.state, s.value]))).toEqual({ closed: 1, open: 0, half_open: 0 });

    // The cooldown ends (its alarm, run now): half-open until a probe decides.
    const stub = env.PROVIDER_HEALTH.get(env.PROVIDER_HEALTH.idFromName(`${t.tenantId}:openai/gpt-4o-mini`));
    // Outcomes reach the circuit in background batches: let the last failure land first, or it
    // would reopen the circuit the cooldown just half-opened.
    await vi.waitFor(async () => expect((await stub.snapshot()).failures).toBe(failed), { timeout: 10_000 });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const half = await scrapeUntil((e) => circuit(e, t.tenantId).half_open === 1, "the half-open circuit shown");
    expect(circuit(half, t.tenantId)).toEqual({ closed: 0, open: 0, half_open: 1 });
  });
});

describe("the targets the circuit gauge reads", () => {
  it("are the distinct targets named by outcomes, platform first, malformed labels skipped", () => {
    const L = (o: Record<string, string>) => JSON.stringify(o);
    const outcome = (owner: string, provider: string, model: string, result: string): SeriesEntry => ["auterity_provider_outcomes_total", L({ owner, provider, model, result }), 1];
    const targets = targetsFromOutcomes([
      outcome("ten_b", "openai", "gpt-4o", "ok"),
      outcome("ten_b", "openai", "gpt-4o", "timeout"),
      outcome("platform", "anthropic", "claude-3-5-haiku-latest", "ok"),
      outcome("ten_a", "groq", "meta/llama-3", "ok"),
      ["auterity_provider_outcomes_total", "{broken", 1],
      ["auterity_gateway_cache_total", L({ result: "hit" }), 1],
    ]);
    expect(targets).toEqual([
      { owner: "platform", provider: "anthropic", model: "claude-3-5-haiku-latest" },
      { owner: "ten_a", provider: "groq", model: "meta/llama-3" },
      { owner: "ten_b", provider: "openai", model: "gpt-4o" },
    ]);
  });
});
