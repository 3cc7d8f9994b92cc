/**
 * Webhooks the platform receives: forged, stale, future and replayed callbacks are
 * refused; a genuine one (signed by the standardwebhooks package) is accepted once.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { randomString } from "../../workers/lib/ids";
import { kvReplayGuard, verifyInboundWebhook } from "../../workers/webhooks/inbound";
import { generateSecret } from "../../workers/webhooks/signing";

const NOW = Date.parse("2026-03-01T10:00:00Z");
const secret = generateSecret();
const body = JSON.stringify({ type: "training.job.succeeded", timestamp: "2026-03-01T10:00:00Z", data: { jobId: "job_1" } });

/** Headers as a sender using the standardwebhooks package would send them. */
function signed(id: string, atMs: number, payload = body, key = secret) {
  return { "webhook-id": id, "webhook-timestamp": String(Math.floor(atMs / 1000)), "webhook-signature": new Webhook(key).sign(id, new Date(atMs), payload) };
}

const never = async () => false;
const verify = (headers: Record<string, string | undefined>, over: Partial<Parameters<typeof verifyInboundWebhook>[0]> = {}) =>
  verifyInboundWebhook({ secrets: [secret], headers, body, now: NOW, seen: never, ...over });

describe("verifyInboundWebhook", () => {
  it("accepts a genuine callback", async () => {
    expect(await verify(signed("cb_1", NOW))).toEqual({ ok: true, id: "cb_1", timestamp: Math.floor(NOW / 1000) });
    expect(await verify(signed("cb_1", NOW), { headers: new Headers(signed("cb_1", NOW)) })).toMatchObject({ ok: true });
  });

  it("refuses a forged signature, a changed body and another sender's secret", async () => {
    const headers = signed("cb_2", NOW);
    expect(await verify({ ...headers, "webhook-signature": "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" })).toEqual({ ok: false, reason: "bad_signature" });
    expect(await verify(headers, { body: body.replace("job_1", "job_2") })).toEqual({ ok: false, reason: "bad_signature" });
    expect(await verify(signed("cb_2", NOW, body, generateSecret()))).toEqual({ ok: false, reason: "bad_signature" });
    expect(await verify({ ...headers, "webhook-id": "cb_3" })).toEqual({ ok: false, reason: "bad_signature" });
    expect(await verify({ ...headers, "webhook-signature": headers["webhook-signature"].replace("v1,", "v2,") })).toEqual({ ok: false, reason: "bad_signature" });
    expect(await verify(headers, { secrets: [] })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuses timestamps outside the tolerance, either way", async () => {
    expect(await verify(signed("cb_4", NOW - 301_000))).toEqual({ ok: false, reason: "stale" });
    expect(await verify(signed("cb_5", NOW + 301_000))).toEqual({ ok: false, reason: "future" });
    expect(await verify(signed("cb_6", NOW - 299_000))).toMatchObject({ ok: true });
    expect(await verify(signed("cb_7", NOW - 60_000), { toleranceSeconds: 30 })).toEqual({ ok: false, reason: "stale" });
    expect(await verify({ ...signed("cb_8", NOW), "webhook-timestamp": "1e9" })).toEqual({ ok: false, reason: "bad_timestamp" });
  });

  it("refuses a request without the three headers", async () => {
    const { "webhook-signature": _s, ...noSig } = signed("cb_9", NOW);
    expect(await verify(noSig)).toEqual({ ok: false, reason: "missing_headers" });
    expect(await verify({})).toEqual({ ok: false, reason: "missing_headers" });
  });

  it("accepts either secret during the sender's rotation", async () => {
    const next = generateSecret();
    expect(await verify(signed("cb_10", NOW, body, next), { secrets: [next, secret] })).toMatchObject({ ok: true });
    const both = `${signed("cb_11", NOW, body, next)["webhook-signature"]} ${signed("cb_11", NOW)["webhook-signature"]}`;
    expect(await verify({ ...signed("cb_11", NOW), "webhook-signature": both })).toMatchObject({ ok: true });
  });

  it("refuses a replayed id, and only asks about ids whose signature verified", async () => {
    const asked: string[] = [];
    const seen = kvReplayGuard(env.CACHE, `test-${randomString(8)}`);
    const tracking = async (id: string) => {
      asked.push(id);
      return seen(id);
    };
    const headers = signed("cb_12", NOW);
    expect(await verify(headers, { seen: tracking })).toMatchObject({ ok: true });
    expect(await verify(headers, { seen: tracking })).toEqual({ ok: false, reason: "replayed" });
    expect(await verify({ ...headers, "webhook-signature": "v1,forged" }, { seen: tracking })).toEqual({ ok: false, reason: "bad_signature" });
    expect(await verify(signed("cb_13", NOW), { seen: tracking })).toMatchObject({ ok: true });
    expect(asked).toEqual(["cb_12", "cb_12", "cb_13"]);
  });
});
