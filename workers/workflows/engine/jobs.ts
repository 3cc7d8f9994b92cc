/**
 * Draining engine work. Inline jobs (quick steps with no outside effects) run here, one
 * after another, so a chain of scoring steps costs one queue hop; everything else, and
 * anything past the budget, goes to the workflows queue.
 */
import type { StepDeps } from "../steps/types";
import { type Job, sendJobs } from "./messages";
import { processJob } from "./step-run";

/** How many steps one invocation runs back to back before handing the rest to the queue. */
const INLINE_BUDGET = 25;

export async function runJobs(deps: StepDeps, jobs: Job[], opts: { inline: boolean }): Promise<void> {
  const queue = [...jobs];
  const send: Job[] = [];
  let budget = opts.inline ? INLINE_BUDGET : 0;
  while (queue.length > 0) {
    const next = queue.shift();
    if (!next) break;
    if (next.inline && next.delayMs === 0 && budget > 0) {
      budget--;
      queue.push(...(await processJob(deps, next)));
    } else {
      send.push(next);
    }
  }
  await sendJobs(deps.env.WORKFLOW_QUEUE, send);
}
