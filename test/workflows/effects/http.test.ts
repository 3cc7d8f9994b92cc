/**
 * The `http` step against the simulator's echo endpoint: what is sent (rendered url,
 * headers and body, the Idempotency-Key), what comes back (JSON or text, capped), which
 * answers are worth a retry, and which URLs are refused before anything is sent.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { randomString } from "../../../workers/lib/ids";
import type { Step } from "../../../workers/workflows/definition/schema";
import { httpStep, MAX_RESPONSE_BYTES } from "../../../workers/workflows/steps/http";
import { failureOf, stepContext } from "../step-context";

type HttpStep = Extract<Step, { type: "http" }>;

const TENANT = "ten_http_effects";

function echoUrl(name: string, query = ""): string {
  return `${env.SIM_URL}/echo/${name}${query ? `?${query}` : ""}`;
}

const Received = z.object({ data: z.array(z.object({ method: z.string(), headers: z.record(z.string(), z.string()), body: z.string() })) });

async function received(name: string) {
  const res = await fetch(`${echoUrl(name)}/_received`);
  return Received.parse(await res.json()).data;
}

const Echoed = z.object({ method: z.string(), headers: z.record(z.string(), z.string()), body: z.string() });
const Done = z.object({
  kind: z.literal("done"),
  output: z.object({ status: z.number(), headers: z.record(z.string(), z.string()), body: z.unknown(), truncated: z.boolean() }),
});

function httpStepOf(fields: Partial<HttpStep> & { url: string }): HttpStep {
  return { id: "notify", type: "http", method: "POST", ...fields };
}

const lead = { leadId: "lead_42", customer: { name: "Dana" }, score: 87 };

describe("http step", { timeout: 30_000 }, () => {
  it("sends the rendered request as JSON with the step's Idempotency-Key and reads the JSON answer", async () => {
    const name = `crm-${randomString(8)}`;
    const ctx = stepContext({ now: Date.now, tenantId: TENANT, input: lead });
    const step = httpStepOf({ url: `${echoUrl(name)}?lead={{ input.leadId }}`, headers: { "x-lead": "{{ input.leadId }}", "x-score": "{{ input.score }}" }, body: { lead: "{{ input.leadId }}", customer: "{{ input.customer }}" } });
    const done = Done.parse(await httpStep.run(ctx, step));
    expect(done.output.status).toBe(200);
    expect(done.output.truncated).toBe(false);
    expect(Object.keys(done.output.headers).sort()).toEqual(["content-type", "x-echo-seq"]);
    const echoed = Echoed.parse(done.output.body);
    expect(JSON.parse(echoed.body)).toEqual({ lead: "lead_42", customer: { name: "Dana" } });
    expect(echoed.headers).toMatchObject({
      "content-type": "application/json",
      "idempotency-key": ctx.key,
      "user-agent": "Auterity-Workflows/1",
      "x-lead": "lead_42",
      "x-score": "87",
    });
  });

  it("sends the same Idempotency-Key every time the same step runs, and a new one for a new iteration", async () => {
    const name = `dms-${randomString(8)}`;
    const first = stepContext({ now: Date.now, tenantId: TENANT, attempt: 1 });
    const retry = stepContext({ now: Date.now, tenantId: TENANT, runId: first.runId, stepId: first.stepId, attempt: 2 });
    const next = stepContext({ now: Date.now, tenantId: TENANT, runId: first.runId, stepId: first.stepId, iteration: 1 });
    // A definition cannot replace the key.
    const step = httpStepOf({ url: echoUrl(name), headers: { "idempotency-key": "mine" }, body: "ping" });
    for (const ctx of [first, retry, next]) await httpStep.run(ctx, step);
    const keys = (await received(name)).map((r) => r.headers["idempotency-key"]);
    expect(keys).toEqual([first.key, first.key, next.key]);
    expect(next.key).not.toBe(first.key);
  });

  it("sends text as text and answers a text body as a string", async () => {
    const name = `sms-${randomString(8)}`;
    const ctx = stepContext({ now: Date.now, tenantId: TENANT, input: lead });
    const done = Done.parse(await httpStep.run(ctx, httpStepOf({ method: "PUT", url: echoUrl(name, "as=text"), body: "Hi {{ input.customer.name }}" })));
    expect(done.output.body).toBe("echo PUT Hi Dana");
    expect(done.output.headers["content-type"]).toMatch(/^text\/plain/);
    const [r] = await received(name);
    expect(r?.headers["content-type"]).toMatch(/^text\/plain/);
  });

  it("keeps at most 256 KB of a large answer and says it was cut", async () => {
    const name = `big-${randomString(8)}`;
    const done = Done.parse(await httpStep.run(stepContext({ now: Date.now, tenantId: TENANT }), httpStepOf({ method: "GET", url: echoUrl(name, `bytes=${MAX_RESPONSE_BYTES + 100_000}`) })));
    expect(done.output.truncated).toBe(true);
    expect(typeof done.output.body).toBe("string");
    expect(new TextEncoder().encode(z.string().parse(done.output.body)).byteLength).toBe(MAX_RESPONSE_BYTES);
    const whole = Done.parse(await httpStep.run(stepContext({ now: Date.now, tenantId: TENANT }), httpStepOf({ method: "GET", url: echoUrl(name, `bytes=${MAX_RESPONSE_BYTES - 1000}`) })));
    expect(whole.output.truncated).toBe(false);
    expect(Echoed.safeParse(whole.output.body).success).toBe(true);
  });

  it.each([
    [500, true],
    [503, true],
    [429, true],
    [408, true],
    [404, false],
    [400, false],
    [401, false],
  ])("fails on a %i answer as http_<status>, retryable: %s", async (status, retryable) => {
    const failure = await failureOf(httpStep.run(stepContext({ now: Date.now, tenantId: TENANT }), httpStepOf({ url: echoUrl(`st-${randomString(8)}`, `status=${status}`), body: {} })));
    expect(failure).toMatchObject({ code: `http_${status}`, retryable });
  });

  it("does not follow a redirect and fails for good", async () => {
    const name = `moved-${randomString(8)}`;
    const failure = await failureOf(httpStep.run(stepContext({ now: Date.now, tenantId: TENANT }), httpStepOf({ url: echoUrl(name, `status=302&location=${encodeURIComponent(echoUrl(`${name}-new`))}`), body: {} })));
    expect(failure).toMatchObject({ code: "http_302", retryable: false });
    expect(failure.message).toContain(`${name}-new`);
    expect(await received(`${name}-new`)).toHaveLength(0);
  });

  it("refuses private and metadata addresses outside development, before sending anything", async () => {
    const name = `private-${randomString(8)}`;
    const production: Env = { ...env, ENVIRONMENT: "production" };
    const refused = await failureOf(httpStep.run(stepContext({ now: Date.now, tenantId: TENANT, env: production }), httpStepOf({ url: echoUrl(name), body: {} })));
    expect(refused).toMatchObject({ code: "url_refused", retryable: false });
    expect(await received(name)).toHaveLength(0);
    const loopback = await failureOf(httpStep.run(stepContext({ now: Date.now, tenantId: TENANT, env: production }), httpStepOf({ url: "https://127.0.0.1/crm", body: {} })));
    expect(loopback).toMatchObject({ code: "url_refused", message: expect.stringContaining("127.0.0.1 is a loopback address") });
    const internal = await failureOf(httpStep.run(stepContext({ now: Date.now, tenantId: TENANT, env: production }), httpStepOf({ url: "https://10.1.2.3/crm", body: {} })));
    expect(internal).toMatchObject({ code: "url_refused", message: expect.stringContaining("a private address") });
    const plain = await failureOf(httpStep.run(stepContext({ now: Date.now, tenantId: TENANT, env: production }), httpStepOf({ url: "http://crm.example.com/leads", body: {} })));
    expect(plain).toMatchObject({ code: "url_refused", message: expect.stringContaining("https") });
    // Metadata hosts are refused in every environment.
    const metadata = await failureOf(httpStep.run(stepContext({ now: Date.now, tenantId: TENANT }), httpStepOf({ url: "http://169.254.169.254/latest/meta-data", method: "GET" })));
    expect(metadata).toMatchObject({ code: "url_refused", retryable: false });
    const missing = await failureOf(httpStep.run(stepContext({ now: Date.now, tenantId: TENANT }), httpStepOf({ url: "{{ input.nowhere }}" })));
    expect(missing.code).toBe("url_refused");
  });

  it("fails retryably when nothing listens or the step times out, and refuses a GET with a body", async () => {
    const closed = await failureOf(httpStep.run(stepContext({ now: Date.now, tenantId: TENANT }), httpStepOf({ url: "http://127.0.0.1:1/", body: {} })));
    expect(closed).toMatchObject({ code: "http_network_error", retryable: true });
    const late = await failureOf(httpStep.run(stepContext({ now: Date.now, tenantId: TENANT, signal: AbortSignal.abort() }), httpStepOf({ url: echoUrl(`late-${randomString(8)}`), body: {} })));
    expect(late).toMatchObject({ code: "step_timeout", retryable: true });
    const getBody = await failureOf(httpStep.run(stepContext({ now: Date.now, tenantId: TENANT }), httpStepOf({ method: "GET", url: echoUrl("get-body"), body: { a: 1 } })));
    expect(getBody).toMatchObject({ code: "invalid_step_input", retryable: false });
    const badHeader = await failureOf(httpStep.run(stepContext({ now: Date.now, tenantId: TENANT }), httpStepOf({ url: echoUrl("bad-header"), headers: { "bad header": "x" } })));
    expect(badHeader).toMatchObject({ code: "invalid_step_input", retryable: false });
  });
});
