/**
 * Reporting outcomes to ProviderHealth without making anyone wait. Outcomes for a key queue
 * up in this isolate; the first one starts a send in `waitUntil` after a short gathering
 * pause, and everything that arrived by then travels in one RPC. The object's reply (the
 * circuit after the batch) updates this isolate's view at once.
 */
import type { Outcome } from "./circuit";
import { sendOutcomes } from "./client";
import { rememberSnapshot, type Clock } from "./view";
import { log } from "../../lib/log";
import { countProviderOutcome } from "../../metrics/record-gateway";

type Pending = { outcomes: Outcome[] };

const pending = new Map<string, Pending>();
// Long enough for concurrent calls to share an RPC, short next to the view's refresh interval.
const GATHER_MS = 20;
const MAX_BATCH = 500;

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function flush(env: Env, key: string, batch: Pending, clock: Clock): Promise<void> {
  await pause(GATHER_MS);
  // Later outcomes for this key start a new batch from here on.
  if (pending.get(key) === batch) pending.delete(key);
  for (let i = 0; i < batch.outcomes.length; i += MAX_BATCH) {
    try {
      rememberSnapshot(key, await sendOutcomes(env, key, batch.outcomes.slice(i, i + MAX_BATCH)), clock());
    } catch (err) {
      // Losing a few outcomes only blurs the ratio; failing the caller's request for it would be worse.
      log.warn("provider health report failed", { key, err });
    }
  }
}

/** Records the outcome of one upstream call against `key`, in the background. */
export function reportOutcome(env: Env, waitUntil: (p: Promise<unknown>) => void, key: string, outcome: Outcome, clock: Clock = Date.now): void {
  countProviderOutcome(env, waitUntil, key, outcome);
  const open = pending.get(key);
  if (open) {
    open.outcomes.push(outcome);
    return;
  }
  const batch: Pending = { outcomes: [outcome] };
  pending.set(key, batch);
  waitUntil(flush(env, key, batch, clock));
}
