/**
 * The MetricsStore Durable Object: batches add up per series in one transaction, bad
 * batches are refused whole, and a full shard drops new series but keeps counting old ones.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { MetricsStore } from "../../durable-objects/metrics-store";
import { randomString } from "../../workers/lib/ids";
import { readShards } from "../../workers/metrics/scrape";
import { MAX_BATCH_ENTRIES, type SeriesEntry } from "../../workers/metrics/series";
import { applySeries, readSeries } from "../../workers/metrics/store";

// Objects of their own: the scrape reads shard-0..shard-3, which these never are.
const testShard = () => env.METRICS.get(env.METRICS.idFromName(`test-${randomString(10)}`));
const L = (o: Record<string, string>) => JSON.stringify(o);
const sorted = (s: readonly (readonly (string | number)[])[]) => [...s].sort((a, b) => (`${a[0]}${a[1]}` < `${b[0]}${b[1]}` ? -1 : 1));

describe("a metrics shard", () => {
  it("adds every batch to its series and answers the totals", async () => {
    const shard = testShard();
    await shard.add([
      ["auterity_workflow_runs_total", L({ outcome: "complete" }), 2],
      ["auterity_gateway_cost_usd_total", L({ provider: "openai", model: "gpt-4o" }), 0.125],
    ]);
    expect(await shard.add([["auterity_workflow_runs_total", L({ outcome: "complete" }), 3]])).toEqual({ applied: 1, dropped: 0, stored: 2 });
    expect(sorted(await shard.snapshot())).toEqual([
      ["auterity_gateway_cost_usd_total", L({ provider: "openai", model: "gpt-4o" }), 0.125],
      ["auterity_workflow_runs_total", L({ outcome: "complete" }), 5],
    ]);
  });

  it("refuses a malformed batch as a whole, changing nothing", async () => {
    const shard = testShard();
    await shard.add([["auterity_workflow_runs_total", L({ outcome: "errored" }), 1]]);
    const bad: unknown[] = [
      [["auterity_workflow_runs_total", L({ outcome: "errored" }), 1], ["x", "{}", Number.NaN]],
      [["", "{}", 1]],
      [["auterity_workflow_runs_total", "x".repeat(5_000), 1]],
      Array.from({ length: MAX_BATCH_ENTRIES + 1 }, (): SeriesEntry => ["auterity_workflow_runs_total", L({ outcome: "errored" }), 1]),
      "not a batch",
    ];
    // Called on the instance: a rejected RPC through a stub trips the test pool's unhandled-rejection check.
    await runInDurableObject(shard, async (store: MetricsStore) => {
      for (const batch of bad) {
        // @ts-expect-error deliberately not a batch
        await expect(store.add(batch)).rejects.toThrow();
      }
    });
    expect(await shard.snapshot()).toEqual([["auterity_workflow_runs_total", L({ outcome: "errored" }), 1]]);
  });

  it("keeps counting known series when full, and drops only new ones", async () => {
    const shard = testShard();
    await runInDurableObject(shard, async (_obj: MetricsStore, state) => {
      const sql = state.storage.sql;
      const first = state.storage.transactionSync(() => applySeries(sql, [["a", "{}", 1], ["b", "{}", 1]], 0, 2));
      expect(first).toEqual({ applied: 2, dropped: 0, stored: 2 });
      const second = state.storage.transactionSync(() => applySeries(sql, [["a", "{}", 4], ["c", "{}", 1]], first.stored, 2));
      expect(second).toEqual({ applied: 1, dropped: 1, stored: 2 });
      expect(sorted(readSeries(sql))).toEqual([["a", "{}", 5], ["b", "{}", 1]]);
    });
  });

  it("sums the same series across shards when the scrape reads them", async () => {
    const a = testShard();
    const b = testShard();
    await a.add([["auterity_gateway_cache_total", L({ result: "hit" }), 2], ["auterity_gateway_cache_total", L({ result: "miss" }), 1]]);
    await b.add([["auterity_gateway_cache_total", L({ result: "hit" }), 5]]);
    expect(sorted(await readShards([a, b]))).toEqual([
      ["auterity_gateway_cache_total", L({ result: "hit" }), 7],
      ["auterity_gateway_cache_total", L({ result: "miss" }), 1],
    ]);
  });
});
