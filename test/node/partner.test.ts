/**
 * sim/partner.ts: a partner receiver that verifies Standard Webhooks signatures and can be
 * told to fail, stall, rate-limit, answer 410 or redirect.
 */
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startSim, type RunningSim } from "../../sim/server.ts";

let sim: RunningSim;
beforeAll(async () => {
  sim = await startSim({ port: 0 });
});
afterAll(() => sim.close());

const secret = `whsec_${randomBytes(32).toString("base64")}`;
const body = JSON.stringify({ type: "lead.created", timestamp: new Date().toISOString(), data: { leadId: "lead_1" } });
let n = 0;

function signedHeaders(id: string, key = secret, at = new Date()): Record<string, string> {
  return { "webhook-id": id, "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": new Webhook(key).sign(id, at, body), "content-type": "application/json" };
}

async function fresh(config: Record<string, unknown> = {}): Promise<string> {
  const name = `node-${++n}`;
  const res = await fetch(`${sim.url}/partner/${name}/_config`, { method: "PUT", body: JSON.stringify({ secrets: [secret], ...config }) });
  expect(res.status).toBe(200);
  return name;
}

const send = (name: string, headers = signedHeaders(`msg_${++n}`), signal?: AbortSignal) =>
  fetch(`${sim.url}/partner/${name}`, { method: "POST", headers, body, redirect: "manual", signal });

const Log = z.object({
  data: z.array(z.object({ webhookId: z.string().nullable(), signatureValid: z.boolean().nullable(), verified: z.boolean().nullable(), type: z.string().nullable(), answered: z.union([z.number(), z.literal("stalled")]) })),
});

async function log(name: string) {
  return Log.parse(await (await fetch(`${sim.url}/partner/${name}/_received`)).json()).data;
}

describe("partner receiver", () => {
  it("accepts a webhook signed with its secret and records it as verified", async () => {
    const name = await fresh();
    const res = await send(name, signedHeaders("msg_ok"));
    expect(res.status).toBe(200);
    expect(await log(name)).toEqual([expect.objectContaining({ webhookId: "msg_ok", signatureValid: true, verified: true, type: "lead.created", answered: 200 })]);
  });

  it("refuses a forged signature with 401", async () => {
    const name = await fresh();
    const other = `whsec_${randomBytes(32).toString("base64")}`;
    expect((await send(name, signedHeaders("msg_forged", other))).status).toBe(401);
    expect(await log(name)).toEqual([expect.objectContaining({ signatureValid: false, verified: false, answered: 401 })]);
  });

  it("tells a valid signature with an old timestamp apart from a verified delivery", async () => {
    const name = await fresh();
    expect((await send(name, signedHeaders("msg_old", secret, new Date(Date.now() - 3600_000)))).status).toBe(200);
    expect(await log(name)).toEqual([expect.objectContaining({ signatureValid: true, verified: false })]);
  });

  it("fails with the configured status for `times` requests, then recovers", async () => {
    const name = await fresh({ mode: "fail", status: 503, times: 2 });
    expect([(await send(name)).status, (await send(name)).status, (await send(name)).status]).toEqual([503, 503, 200]);
  });

  it("rate-limits with Retry-After, answers 410 and redirects on request", async () => {
    const limited = await send(await fresh({ mode: "rate_limit", retryAfter: 42 }));
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "42"]);
    expect((await send(await fresh({ mode: "gone" }))).status).toBe(410);
    const name = await fresh({ mode: "redirect" });
    const moved = await send(name);
    expect([moved.status, moved.headers.get("location")]).toEqual([302, `/partner/${name}-moved`]);
  });

  it("stalls without answering until the caller gives up", async () => {
    const name = await fresh({ mode: "stall", times: 1 });
    await expect(send(name, signedHeaders("msg_stall"), AbortSignal.timeout(150))).rejects.toThrow();
    expect((await send(name)).status).toBe(200);
    expect((await log(name)).map((r) => r.answered)).toEqual(["stalled", 200]);
  });

  it("records without verifying when no secret is configured, and forgets a receiver on DELETE", async () => {
    const name = `node-plain-${++n}`;
    expect((await send(name)).status).toBe(200);
    expect(await log(name)).toEqual([expect.objectContaining({ signatureValid: null, verified: null })]);
    expect((await fetch(`${sim.url}/partner/${name}`, { method: "DELETE" })).status).toBe(200);
    expect(await log(name)).toEqual([]);
  });

  it("refuses a bad configuration and unknown routes", async () => {
    const bad = await fetch(`${sim.url}/partner/x/_config`, { method: "PUT", body: JSON.stringify({ mode: "explode" }) });
    expect(bad.status).toBe(400);
    expect((await fetch(`${sim.url}/partner/x/_config`, { method: "PUT", body: JSON.stringify({ secrets: ["not-a-secret"] }) })).status).toBe(400);
    expect((await fetch(`${sim.url}/partner/x/_config`, { method: "PUT", body: "{" })).status).toBe(400);
    expect((await fetch(`${sim.url}/partner/x/other`)).status).toBe(404);
    expect((await fetch(`${sim.url}/partner`)).status).toBe(404);
  });
});
