/** The workflows' share of the every-minute cron: cron triggers, then the stuck-step sweep. */
import { engineDeps } from "./engine/deps";
import { runJobs } from "./engine/jobs";
import { sweepStuckSteps } from "./engine/sweep";
import { runCronTriggers } from "./triggers/cron";

export async function runWorkflowCron(env: Env, waitUntil: (p: Promise<unknown>) => void, now: () => number = Date.now): Promise<void> {
  const deps = engineDeps(env, waitUntil, now);
  await runJobs(deps, [...(await runCronTriggers(deps)), ...(await sweepStuckSteps(deps))], { inline: false });
}
