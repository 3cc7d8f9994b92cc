/**
 * MetricsStore: one shard of the platform's counters and histograms. Workers have no shared
 * memory, so each isolate buffers increments and sends them to one of a few named shards
 * ("shard-0".."shard-3", see workers/metrics/flush.ts); /metrics reads every shard and sums.
 * Each shard is the single writer of its own rows, and a batch lands in one transaction.
 */
import { DurableObject } from "cloudflare:workers";
import { log } from "../workers/lib/log";
import { SeriesBatchSchema, type SeriesEntry } from "../workers/metrics/series";
import { applySeries, openSeriesStore, readSeries, type ApplyResult } from "../workers/metrics/store";

export class MetricsStore extends DurableObject<Env> {
  private stored = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      this.stored = openSeriesStore(ctx.storage.sql);
    });
  }

  /** Adds a batch of increments; answers how many series took them and how many were dropped. */
  async add(batch: SeriesEntry[]): Promise<ApplyResult> {
    const entries = SeriesBatchSchema.parse(batch);
    const result = this.ctx.storage.transactionSync(() => applySeries(this.ctx.storage.sql, entries, this.stored));
    this.stored = result.stored;
    if (result.dropped > 0) log.warn("metrics shard full: new series dropped", { dropped: result.dropped, stored: result.stored });
    return result;
  }

  /** Every series of this shard with its total. */
  async snapshot(): Promise<SeriesEntry[]> {
    return readSeries(this.ctx.storage.sql);
  }
}
