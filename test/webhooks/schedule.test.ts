/**
 * The retry schedule, with the clock and the jitter under the test's control: at once,
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; Retry-After honoured; then failed.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, nextRetryDelay, parseRetryAfter, RETRY_SCHEDULE_MS } from "../../workers/webhooks/schedule";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";
import { attemptsOf, configurePartner, createEndpoint, Harness, messagesOf, partnerName, received } from "./helpers";

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const EXPECTED = [5 * S, 5 * M, 30 * M, 2 * H, 5 * H, 10 * H, 10 * H];

describe("nextRetryDelay", () => {
  it("follows the schedule, with no jitter at random = 0.5", () => {
    expect(RETRY_SCHEDULE_MS.slice(1)).toEqual(EXPECTED);
    expect(EXPECTED.map((_, i) => nextRetryDelay(i + 1, () => 0.5))).toEqual(EXPECTED);
  });

  it("jitters by at most ±10 %", () => {
    expect(nextRetryDelay(3, () => 0)).toBe(27 * M);
    expect(nextRetryDelay(3, () => 0.999999)).toBe(Math.round(30 * M * 1.1 - 30 * M * 0.2 * 0.000001));
    const seen = new Set(Array.from({ length: 20 }, (_, i) => nextRetryDelay(2, () => i / 20)));
    expect(seen.size).toBe(20);
  });

  it("gives up after the eighth attempt", () => {
    expect(MAX_ATTEMPTS).toBe(8);
    expect(nextRetryDelay(7, () => 0.5)).toBe(10 * H);
    expect(nextRetryDelay(8, () => 0.5)).toBeNull();
    expect(nextRetryDelay(0, () => 0.5)).toBeNull();
  });

  it("waits for a longer Retry-After, never less than the schedule, and at most 24 h", () => {
    expect(nextRetryDelay(1, () => 0.5, 120 * S)).toBe(120 * S);
    expect(nextRetryDelay(3, () => 0.5, 10 * S)).toBe(30 * M);
    expect(nextRetryDelay(1, () => 0.5, 72 * H)).toBe(24 * H);
    expect(nextRetryDelay(8, () => 0.5, 10 * S)).toBeNull();
  });

  it("reads Retry-After as seconds or an HTTP date, and ignores nonsense", () => {
    const now = Date.parse("2026-03-01T10:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120 * S);
    expect(parseRetryAfter("Sun, 01 Mar 2026 10:05:00 GMT", now)).toBe(5 * M);
    expect(parseRetryAfter("Sun, 01 Mar 2026 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter("-5", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe("a message to a receiver that never recovers", () => {
  let tenant: TestTenant;
  beforeEach(async () => {
    tenant = await createTestTenant("Schedule Motors");
  });

  it("is attempted on schedule eight times, then marked failed", async () => {
    const name = partnerName("sched");
    const ep = await createEndpoint(tenant.adminKey, name);
    await configurePartner(name, { mode: "fail", status: 502 });
    const h = new Harness();
    const start = h.now;
    await h.publish(tenant.tenantId, "lead.created", { leadId: "lead_1", source: "web" });
    await h.drain();
    const times = [h.now];
    while (h.pending.length > 0) {
      const [row] = await messagesOf(ep.id);
      expect(row?.next_attempt_at).toBe(h.pending[0]!.at); // the queue delay and the column agree
      await h.advance();
      times.push(h.now);
    }
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual(EXPECTED);
    expect(times[0]).toBe(start);
    const [row] = await messagesOf(ep.id);
    expect(row).toMatchObject({ status: "failed", attempts: 8, next_attempt_at: null, last_status_code: 502 });
    expect((await attemptsOf(row!.id)).map((a) => [a.attempt, a.status_code])).toEqual(EXPECTED.concat(0).map((_, i) => [i + 1, 502]));
    expect(await received(name)).toHaveLength(8);
  });

  it("spreads retries with jitter from the injected random source", async () => {
    const name = partnerName("jitter");
    const ep = await createEndpoint(tenant.adminKey, name);
    await configurePartner(name, { mode: "fail" });
    const h = new Harness();
    h.random = () => 0;
    await h.publish(tenant.tenantId, "lead.created", { leadId: "lead_1", source: "web" });
    await h.drain();
    const t1 = h.now;
    await h.advance();
    await h.advance();
    const [row] = await messagesOf(ep.id);
    expect(h.now - t1).toBe(5 * S + 4.5 * M); // 4.5 s, rounded up to the queue's whole seconds
    expect(row!.last_status_code).toBe(500);
    expect(row!.next_attempt_at! - h.now).toBe(27 * M);
  });

  it("honours Retry-After from a rate-limiting receiver", async () => {
    const name = partnerName("ratelimit");
    const ep = await createEndpoint(tenant.adminKey, name);
    await configurePartner(name, { mode: "rate_limit", retryAfter: 7200, times: 1 });
    const h = new Harness();
    await h.publish(tenant.tenantId, "lead.created", { leadId: "lead_1", source: "web" });
    await h.drain();
    const first = h.now;
    expect(h.pending.map((p) => p.at - first)).toEqual([2 * H]);
    h.now += 2 * H - 10 * S; // nothing is due yet
    await h.drain();
    expect(await received(name)).toHaveLength(1);
    await h.advance();
    expect((await messagesOf(ep.id))[0]).toMatchObject({ status: "delivered", attempts: 2 });
    expect((await attemptsOf((await messagesOf(ep.id))[0]!.id)).map((a) => a.status_code)).toEqual([429, 200]);
  });

  it("waits past the queue's 12 h delay limit when Retry-After asks for longer", async () => {
    const name = partnerName("longwait");
    const ep = await createEndpoint(tenant.adminKey, name);
    await configurePartner(name, { mode: "rate_limit", retryAfter: 20 * 3600, times: 1 });
    const h = new Harness();
    await h.publish(tenant.tenantId, "lead.created", { leadId: "lead_1", source: "web" });
    await h.drain();
    const first = h.now;
    expect(h.pending.map((p) => p.at - first)).toEqual([12 * H]);
    await h.advance(); // the job arrives early: it is put back for the remaining 8 h, not attempted
    expect(await received(name)).toHaveLength(1);
    expect(h.pending.map((p) => p.at - first)).toEqual([20 * H]);
    await h.advance();
    expect((await messagesOf(ep.id))[0]).toMatchObject({ status: "delivered", attempts: 2 });
  });
});
