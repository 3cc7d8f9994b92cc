/**
 * TenantLedger: one per tenant (idFromName(tenantId)), the single writer of its budget and
 * rate-limit counters. Everything it decides lives in workers/gateway/ledger; this class
 * keeps the state in its SQLite storage, loads its configuration from D1, schedules the
 * alarm that releases unsettled reservations, and sends budget.threshold events.
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { makeDb } from "../workers/db";
import { type EventInput, publishEvent } from "../workers/events/publish";
import { EMPTY_CONFIG, type LedgerConfig, LedgerConfigSchema, loadLedgerConfig } from "../workers/gateway/ledger/config";
import { admit, type Engine, expire, prune, RESERVATION_TTL_MS, settle, spendViews } from "../workers/gateway/ledger/engine";
import { LedgerSql } from "../workers/gateway/ledger/sql";
import { log } from "../workers/lib/log";
import {
  ActualCostSchema,
  type AdmitResult,
  LedgerRequestSchema,
  type SettleResult,
  type SpendView,
  type ThresholdCrossing,
} from "../workers/gateway/ledger/types";

/** How old the copy of the configuration may get before it is reloaded from D1 in the background. */
const CONFIG_TTL_MS = 60_000;

const StoredConfig = z.object({ config: LedgerConfigSchema, loadedAt: z.number() });

export class TenantLedger extends DurableObject<Env> {
  private readonly store: LedgerSql;
  private tenantId: string | null = null;
  private config: LedgerConfig | null = null;
  private loadedAt = 0;
  private reloads = 0;
  private applied = 0;
  private refreshing: Promise<void> | null = null;
  private alarmAt: number | null = null;
  /** Where budget.threshold events go. */
  publish: (env: Env, event: EventInput) => Promise<void> = publishEvent;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new LedgerSql(ctx.storage.sql);
    void ctx.blockConcurrencyWhile(async () => {
      this.store.migrate();
      this.tenantId = this.store.getMeta("tenant");
      const stored = StoredConfig.safeParse(parseJson(this.store.getMeta("config")));
      if (stored.success) {
        this.config = stored.data.config;
        this.loadedAt = stored.data.loadedAt;
      }
      this.alarmAt = await ctx.storage.getAlarm();
    });
  }

  /** Admits a call or refuses it (rate_limited / budget_exceeded); see workers/gateway/ledger/client.ts. */
  async admit(tenantId: string, request: unknown): Promise<AdmitResult> {
    const req = LedgerRequestSchema.parse(request);
    const engine = await this.engine(tenantId);
    const clock = Date.now();
    const result = admit(engine, req, clock);
    if (result.ok) await this.armAlarm(clock + RESERVATION_TTL_MS);
    return result;
  }

  /** Charges a call's real cost against its reservation and sends any threshold events. */
  async settle(tenantId: string, reservationId: string, actual: unknown): Promise<SettleResult> {
    const cost = ActualCostSchema.parse(actual);
    const engine = await this.engine(tenantId);
    const result = settle(engine, z.string().parse(reservationId), cost);
    await this.announce(tenantId, result.crossings);
    return result;
  }

  /** Every budget's current window: spent, reserved, remaining. */
  async spend(tenantId: string, now?: number): Promise<SpendView[]> {
    return spendViews(await this.engine(tenantId), z.number().optional().parse(now) ?? Date.now());
  }

  /**
   * Takes a new configuration: the one given, or (without one) whatever D1 holds now. The
   * settings API calls this after every change so the change applies to the next call.
   */
  async configure(tenantId: string, config?: unknown): Promise<void> {
    this.adopt(tenantId);
    const seq = ++this.reloads;
    const next = config === undefined ? await loadLedgerConfig(makeDb(this.env.DB), tenantId) : LedgerConfigSchema.parse(config);
    this.apply(next, seq);
  }

  override async alarm(): Promise<void> {
    const clock = Date.now();
    const engine: Engine = { sql: this.store, config: this.config ?? EMPTY_CONFIG };
    const { nextDue } = expire(engine, clock);
    if (this.config) prune(engine, clock);
    this.alarmAt = null;
    if (nextDue !== null) await this.armAlarm(nextDue);
  }

  private adopt(tenantId: string): void {
    z.string().min(1).parse(tenantId);
    if (this.tenantId === tenantId) return;
    if (this.tenantId !== null) throw new Error(`This ledger belongs to tenant ${this.tenantId}, not ${tenantId}`);
    this.tenantId = tenantId;
    this.store.setMeta("tenant", tenantId);
  }

  private async engine(tenantId: string): Promise<Engine> {
    this.adopt(tenantId);
    if (!this.config) await this.refresh(tenantId);
    else if (Date.now() - this.loadedAt > CONFIG_TTL_MS) {
      // Calls keep using the copy they have; a failed reload leaves it in place.
      this.refresh(tenantId).catch((err: unknown) => log.error("ledger config reload failed", { tenantId, err }));
    }
    return { sql: this.store, config: this.config ?? EMPTY_CONFIG };
  }

  // One D1 read at a time, however many calls arrive while it is under way.
  private refresh(tenantId: string): Promise<void> {
    this.refreshing ??= (async () => {
      const seq = ++this.reloads;
      try {
        this.apply(await loadLedgerConfig(makeDb(this.env.DB), tenantId), seq);
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  // A reload that started before a later one finished must not overwrite it.
  private apply(config: LedgerConfig, seq: number): void {
    if (seq < this.applied) return;
    this.applied = seq;
    this.config = config;
    this.loadedAt = Date.now();
    this.store.setMeta("config", JSON.stringify({ config, loadedAt: this.loadedAt }));
    prune({ sql: this.store, config }, this.loadedAt);
  }

  private async armAlarm(at: number): Promise<void> {
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    await this.ctx.storage.setAlarm(at);
    this.alarmAt = at;
  }

  // A threshold whose event could not be sent is unmarked, so the next settle sends it again.
  private async announce(tenantId: string, crossings: readonly ThresholdCrossing[]): Promise<void> {
    for (const { markKey, ...data } of crossings) {
      try {
        await this.publish(this.env, { tenantId, type: "budget.threshold", data });
      } catch (err) {
        log.error("budget.threshold not sent", { tenantId, budgetId: data.budgetId, err });
        this.store.unmark(data.budgetId, markKey, data.thresholdPercent);
      }
    }
  }
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
