import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestTenant } from "../helpers/fixtures";
import { addScenario, api, eventually, marker, openaiClient, ownProviderKeys, putRouting, requestId, upstreamRequests, waitForUsage } from "./helpers";

const RULE = `rules:
  - name: mini-then-haiku
    strategy: fallback
    targets:
      - openai/gpt-4o-mini
      - anthropic/claude-3-5-haiku-latest
`;

async function fallbackTenant() {
  const tenant = await createTestTenant("Circuit Motors");
  await ownProviderKeys(tenant.tenantId);
  await putRouting(tenant.adminKey, RULE);
  return { ...tenant, client: openaiClient(tenant.gatewayKey), miniKey: `${tenant.tenantId}:openai/gpt-4o-mini` };
}

type Tenant = Awaited<ReturnType<typeof fallbackTenant>>;
type Served = { provider: string | null; attempts: string | null; rid: string; text: string };

async function call(t: Tenant, text: string): Promise<Served> {
  const rid = requestId();
  const { response } = await t.client.chat.completions
    .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: `Can I book an oil change for Friday? ${text}` }] }, { headers: { "x-request-id": rid } })
    .withResponse();
  return { provider: response.headers.get("x-auterity-provider"), attempts: response.headers.get("x-auterity-attempts"), rid, text };
}

const Health = z.object({
  config: z.object({ minCalls: z.number() }),
  data: z.array(z.object({ key: z.string(), owner: z.string(), circuit: z.string(), calls: z.number(), failures: z.number(), failuresByKind: z.record(z.string(), z.number()) })),
});
type HealthRow = z.infer<typeof Health>["data"][number];

async function healthOf(t: Tenant, query = ""): Promise<HealthRow[]> {
  const res = await api(t.adminKey, "GET", `/gateway/health${query}`);
  expect(res.status).toBe(200);
  return Health.parse(await res.json()).data;
}

async function circuitOf(t: Tenant, key: string): Promise<HealthRow | undefined> {
  return (await healthOf(t)).find((r) => r.key === key);
}

const DryRun = z.object({ targets: z.array(z.object({ model: z.string() })), skipped: z.array(z.object({ model: z.string(), why: z.string() })) });

describe("circuit breakers on the call path", { timeout: 60_000 }, () => {
  it("open after a run of failures, are skipped while open, and close after a successful probe", async () => {
    const t = await fallbackTenant();
    const storm = marker();
    await addScenario({ match: { text: storm, model: "gpt-4o-mini" }, status: 500, times: 10 });

    // Ten calls in a row: each fails on gpt-4o-mini and is served by Claude Haiku.
    for (let i = 0; i < 10; i++) expect(await call(t, `${storm} #${i}`)).toMatchObject({ provider: "anthropic", attempts: "2" });
    const opened = await eventually(() => circuitOf(t, t.miniKey), (r) => r?.circuit === "open", "circuit open");
    expect(opened).toMatchObject({ owner: "tenant", failures: 10, failuresByKind: { server_error: 10 } });
    expect((await healthOf(t, "?circuit=open")).map((r) => r.key)).toEqual([t.miniKey]);

    // While open, calls go straight to the fallback: one attempt, nothing sent to the open target.
    const after = marker();
    let n = 0;
    const skipped = await eventually(() => call(t, `${after} skip-${n++}`), (s) => s.provider === "anthropic", "a call that skips the open circuit", 50);
    expect(skipped.attempts).toBe("1");
    expect((await upstreamRequests(skipped.text)).map((r) => r.provider)).toEqual(["anthropic"]);
    expect(await waitForUsage(skipped.rid)).toMatchObject({ status: 200, attempts: 1, provider: "anthropic" });
    const plan = DryRun.parse(await (await api(t.adminKey, "POST", "/gateway/routing/dry-run", { model: "gpt-4o-mini" })).json());
    expect(plan.targets.map((x) => x.model)).toEqual(["anthropic/claude-3-5-haiku-latest"]);
    expect(plan.skipped).toEqual([{ model: "openai/gpt-4o-mini", why: expect.stringContaining("circuit open") }]);

    // The cooldown ends (its alarm, run now): one probe goes through, succeeds and closes the circuit.
    const stub = env.PROVIDER_HEALTH.get(env.PROVIDER_HEALTH.idFromName(t.miniKey));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await circuitOf(t, t.miniKey))?.circuit).toBe("half_open");
    const probe = marker();
    const probed = await eventually(() => call(t, `${probe} ${n++}`), (s) => s.provider === "openai", "the probe call", 100);
    expect(probed.attempts).toBe("1");
    await eventually(() => circuitOf(t, t.miniKey), (r) => r?.circuit === "closed", "circuit closed");
    expect(await call(t, marker())).toMatchObject({ provider: "openai", attempts: "1" });
  });

  it("keep one tenant's failures from opening another tenant's circuit", async () => {
    const a = await fallbackTenant();
    const b = await fallbackTenant();
    const storm = marker();
    await addScenario({ match: { text: storm, model: "gpt-4o-mini" }, status: 503, times: 10 });
    for (let i = 0; i < 10; i++) await call(a, `${storm} #${i}`);
    await eventually(() => circuitOf(a, a.miniKey), (r) => r?.circuit === "open", "tenant A's circuit open");
    expect(await circuitOf(b, b.miniKey)).toMatchObject({ circuit: "closed", failures: 0 });
    expect(await circuitOf(b, "platform:openai/gpt-4o-mini")).toBeUndefined();
    expect(await call(b, marker())).toMatchObject({ provider: "openai", attempts: "1" });
  });

  it("do not count a caller's own mistakes against the provider", async () => {
    const t = await fallbackTenant();
    const text = marker();
    await addScenario({ match: { text, model: "gpt-4o-mini" }, status: 400, times: 12 });
    for (let i = 0; i < 12; i++) {
      const err = await call(t, `${text} #${i}`).then(() => null, (e: unknown) => e);
      expect(err).toMatchObject({ status: 400 });
    }
    // A 400 is the request's fault: no failover, and the circuit stays closed.
    expect((await upstreamRequests(text)).every((r) => r.provider === "openai")).toBe(true);
    expect(await circuitOf(t, t.miniKey)).toMatchObject({ circuit: "closed", failures: 0 });
  });
});
