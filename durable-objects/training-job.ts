/**
 * TrainingJob: one object per fine-tuning job; polls the GPU provider by alarm while the
 * job is active (the fallback when callbacks never come). The polling itself is the plain
 * function pollJob; this class only keeps the schedule.
 */
import { DurableObject } from "cloudflare:workers";
import { makeDb } from "../workers/db";
import { pollJob } from "../workers/models/training/poll";
import { nextPollDelay } from "../workers/models/training/watch";

type Schedule = { jobId: string; quietPolls: number };

export class TrainingJob extends DurableObject<Env> {
  private schedule: Schedule | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      this.schedule = (await ctx.storage.get<Schedule>("schedule")) ?? null;
    });
  }

  /** Starts (or restarts) polling job `jobId`, first after `delayMs`. */
  async watch(jobId: string, delayMs: number): Promise<void> {
    this.schedule = { jobId, quietPolls: 0 };
    await this.ctx.storage.put("schedule", this.schedule);
    await this.ctx.storage.setAlarm(Date.now() + delayMs);
  }

  /** When the next poll is due (epoch ms), or null when the job is no longer watched. */
  async nextPollAt(): Promise<number | null> {
    return this.ctx.storage.getAlarm();
  }

  override async alarm(): Promise<void> {
    const schedule = this.schedule;
    if (!schedule) return;
    const outcome = await pollJob({ env: this.env, db: makeDb(this.env.DB), now: Date.now }, schedule.jobId);
    if (!outcome.again) {
      this.schedule = null;
      await this.ctx.storage.deleteAll();
      return;
    }
    schedule.quietPolls = outcome.changed ? 0 : schedule.quietPolls + 1;
    await this.ctx.storage.put("schedule", schedule);
    await this.ctx.storage.setAlarm(Date.now() + nextPollDelay(outcome.callbacks, schedule.quietPolls));
  }
}
