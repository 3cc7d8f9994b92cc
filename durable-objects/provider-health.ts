/**
 * ProviderHealth: one object per health key (`owner:provider/model`, see
 * workers/gateway/health/keys.ts). It is the single writer of that target's circuit:
 * outcomes come in batches, the breaker's pure functions decide, SQLite keeps the result,
 * and an alarm ends the cooldown of an open circuit.
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { DEFAULT_HEALTH_CONFIG, type HealthConfig } from "../workers/gateway/health/config";
import {
  grantProbe,
  initialHealth,
  snapshotOf,
  transition,
  type HealthSnapshot,
  type HealthState,
  type Outcome,
} from "../workers/gateway/health/circuit";
import { loadHealth, saveHealth } from "../workers/gateway/health/store";
import { FAILURE_KINDS } from "../workers/gateway/health/window";

const Latency = z.number().finite().nonnegative();
const OutcomeInput = z.union([
  z.object({ ok: z.literal(true), latencyMs: Latency }),
  z.object({ ok: z.literal(false), kind: z.enum(FAILURE_KINDS), latencyMs: Latency }),
]);
/** A batch as reportOutcome sends it; bounded so one caller cannot make the object chew forever. */
const OutcomeBatch = z.array(OutcomeInput).max(1_000);
const Clock = z.number().int().nonnegative().optional();

export class ProviderHealth extends DurableObject<Env> {
  private state: HealthState = initialHealth();
  private readonly config: HealthConfig = DEFAULT_HEALTH_CONFIG;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      this.state = loadHealth(ctx.storage.sql, initialHealth());
    });
  }

  /**
   * Counts a batch of outcomes and answers the circuit as it stands after them.
   * `now` defaults to this object's clock; tests pass their own.
   */
  async record(outcomes: Outcome[], now?: number): Promise<HealthSnapshot> {
    const batch = OutcomeBatch.parse(outcomes);
    const at = Clock.parse(now) ?? Date.now();
    let next = this.state;
    for (const outcome of batch) next = transition(next, { type: "outcome", outcome }, at, this.config);
    await this.commit(next);
    return snapshotOf(this.state, at, this.config);
  }

  /** The circuit, its latency average and the window's counts. */
  async snapshot(now?: number): Promise<HealthSnapshot> {
    return snapshotOf(this.state, Clock.parse(now) ?? Date.now(), this.config);
  }

  /** Takes the half-open circuit's probe lease: true for exactly one caller until it reports or the lease runs out. */
  async tryProbe(now?: number): Promise<boolean> {
    const { state, granted } = grantProbe(this.state, Clock.parse(now) ?? Date.now(), this.config);
    await this.commit(state);
    return granted;
  }

  /** Answers without touching storage: the readiness check's proof that Durable Objects are reachable. */
  async ping(): Promise<"pong"> {
    return "pong";
  }

  /** The cooldown is over: an alarm never fires before the time it was set for. */
  override async alarm(): Promise<void> {
    await this.commit(transition(this.state, { type: "cooldown_elapsed" }, Math.max(Date.now(), this.state.retryAt ?? 0), this.config));
  }

  private async commit(next: HealthState): Promise<void> {
    const previous = this.state;
    if (next === previous) return;
    this.state = next;
    saveHealth(this.ctx.storage.sql, previous, next);
    // Only a circuit that has just opened (or re-opened) needs a new alarm; an old one would fire early.
    if (next.circuit === "open" && next.retryAt !== null && next.retryAt !== previous.retryAt) await this.ctx.storage.setAlarm(next.retryAt);
    else if (next.circuit !== "open" && previous.circuit === "open") await this.ctx.storage.deleteAlarm();
  }
}
