/**
 * HTTP and queue series. HEAD requests are this file's own (no other test sends them), so
 * their series move by exactly the requests made here, whatever runs alongside.
 */
import { createExecutionContext, createMessageBatch, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { randomString } from "../../workers/lib/ids";
import { countingRetries } from "../../workers/metrics/record-queues";
import { partOf } from "../../workers/metrics/http";
import worker from "../../workers/index";
import { createTestTenant } from "../helpers/fixtures";
import { BASE, delta, scrape, scrapeUntil, seriesOf, valueOf } from "./helpers";

const head = (path: string, token?: string) => exports.default.fetch(`${BASE}${path}`, { method: "HEAD", headers: token ? { authorization: `Bearer ${token}` } : {} });

describe("HTTP series", () => {
  it("count each request once under its route pattern, method and status; unmatched paths as unmatched", async () => {
    const t = await createTestTenant("Metrics Http Motors");
    const before = await scrape();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await head("/health")).status);
    for (let i = 0; i < 2; i++) statuses.push((await head("/api/v1/workflows", t.adminKey)).status);
    for (const id of ["run_notthere1", "run_notthere2"]) statuses.push((await head(`/api/v1/runs/${id}`, t.adminKey)).status);
    statuses.push((await head("/api/v1/runs/run_notthere3")).status);
    statuses.push((await head(`/no/such/page/${randomString(6)}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404, 404, 401, 404]);

    const after = await scrape();
    const http = (route: string, status: string) => delta(before, after, "auterity_http_requests_total", { route, method: "HEAD", status });
    expect(http("/health", "200")).toBe(3);
    expect(http("/api/v1/workflows", "200")).toBe(2);
    expect(http("/api/v1/runs/:id", "404")).toBe(2);
    expect(http("/api/v1/runs/:id", "401")).toBe(1);
    expect(http("unmatched", "404")).toBe(1);
    // Raw paths never become labels: one series per pattern, whatever the ids.
    expect(after.samples.filter((s) => JSON.stringify(s.labels).includes("run_notthere"))).toEqual([]);
    expect(after.samples.filter((s) => s.labels.route?.startsWith("/no/such"))).toEqual([]);
  });

  it("time requests by part of the platform in cumulative buckets", async () => {
    const before = await scrape();
    for (let i = 0; i < 4; i++) await head("/health");
    const after = await scrape();
    const count = (e: typeof after) => valueOf(e, "auterity_http_request_duration_seconds_count", { part: "health" });
    // Load-balancer probes may hit /health too: at least these four.
    expect(count(after) - count(before)).toBeGreaterThanOrEqual(4);
    const buckets = seriesOf(after, "auterity_http_request_duration_seconds_bucket", { part: "health" });
    expect(buckets.at(-1)?.labels.le).toBe("+Inf");
    expect(buckets.at(-1)?.value).toBe(count(after));
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]?.value).toBeGreaterThanOrEqual(buckets[i - 1]?.value ?? 0);
    expect(valueOf(after, "auterity_http_request_duration_seconds_sum", { part: "health" })).toBeGreaterThanOrEqual(0);
  });

  it("counts the scrapes themselves", async () => {
    const first = await scrape();
    const later = await scrapeUntil((e) => delta(first, e, "auterity_http_requests_total", { route: "/metrics", method: "GET", status: "200" }) >= 1, "the first scrape counted");
    expect(valueOf(later, "auterity_http_request_duration_seconds_count", { part: "other" })).toBeGreaterThanOrEqual(1);
  });

  it("names the part of the platform by path", () => {
    expect(["/api/v1/runs", "/v1/chat/completions", "/hooks/leads/x", "/widget/w.js", "/health", "/health/ready", "/metrics", "/"].map(partOf)).toEqual([
      "api",
      "gateway",
      "hooks",
      "widget",
      "health",
      "health",
      "other",
      "other",
    ]);
  });
});

describe("queue retries", () => {
  it("count every message a consumer hands back, under its queue", async () => {
    // A queue of this test's own: no consumer takes it, so the whole batch is retried.
    const queue = `auterity-metrics-test-${randomString(6).toLowerCase()}`;
    const before = await scrape();
    const batch = createMessageBatch(queue, [1, 2, 3].map((n) => ({ id: `m${n}`, timestamp: new Date(), attempts: 1, body: { n } })));
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    await waitOnExecutionContext(ctx);
    const after = await scrape();
    expect(delta(before, after, "auterity_queue_retries_total", { queue, kind: "message" })).toBe(3);
  });

  it("count single messages retried and pass everything else through unchanged", async () => {
    const queue = `auterity-metrics-test-${randomString(6).toLowerCase()}`;
    const batch = createMessageBatch(queue, [{ id: "a", timestamp: new Date(0), attempts: 2, body: { x: 1 } }, { id: "b", timestamp: new Date(0), attempts: 1, body: "y" }]);
    const before = await scrape();
    const wrapped = countingRetries(batch);
    expect(wrapped.queue).toBe(queue);
    expect(wrapped.messages.map((m) => [m.id, m.attempts, m.body, m.timestamp.getTime()])).toEqual([
      ["a", 2, { x: 1 }, 0],
      ["b", 1, "y", 0],
    ]);
    wrapped.messages[0]?.retry({ delaySeconds: 5 });
    wrapped.messages[1]?.ack();
    const after = await scrape();
    expect(delta(before, after, "auterity_queue_retries_total", { queue, kind: "message" })).toBe(1);
  });
});
