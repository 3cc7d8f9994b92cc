/**
 * A StepContext for calling step handlers directly against the real bindings: run data of
 * the test's choosing, the real template renderer, a clock, and waitUntil work collected so
 * a test can wait for it.
 */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { StepErrorInfo } from "../../d1/schema";
import { makeDb } from "../../workers/db";
import { newId } from "../../workers/lib/ids";
import { stepErrorOf } from "../../workers/workflows/steps/errors";
import type { RunData, StepContext, StepOutcome } from "../../workers/workflows/steps/types";
import { renderTemplate } from "../../workers/workflows/template";

/** 2025-03-14T15:00:00Z: the clock of contexts made without `now`. */
export const NOW = Date.UTC(2025, 2, 14, 15, 0, 0);

export type ContextOptions = {
  tenantId?: string;
  env?: Env;
  workflowId?: string;
  runId?: string;
  stepId?: string;
  iteration?: number;
  attempt?: number;
  input?: unknown;
  steps?: Record<string, unknown>;
  event?: unknown;
  signal?: AbortSignal;
  /** The engine's clock; default NOW. */
  now?: number | (() => number);
};

export type TestContext = StepContext & { settled: () => Promise<void> };

export function stepContext(o: ContextOptions = {}): TestContext {
  const pending: Promise<unknown>[] = [];
  const tenantId = o.tenantId ?? "ten_test";
  const runId = o.runId ?? newId("run");
  const workflowId = o.workflowId ?? newId("wf");
  const stepId = o.stepId ?? "step";
  const iteration = o.iteration ?? 0;
  const now = typeof o.now === "function" ? o.now : () => (o.now === undefined ? NOW : Number(o.now));
  const data: RunData = {
    input: o.input ?? {},
    steps: o.steps ?? {},
    run: { id: runId, workflowId, version: 1, startedAt: now() },
    tenant: { id: tenantId, name: "Test Motors", timezone: "America/Chicago" },
    ...(o.event === undefined ? {} : { event: o.event }),
  };
  return {
    deps: { env: o.env ?? env, db: makeDb(env.DB), waitUntil: (p) => void pending.push(p.catch(() => undefined)), now },
    tenantId,
    runId,
    workflowId,
    stepId,
    iteration,
    attempt: o.attempt ?? 1,
    key: `${runId}:${stepId}:${iteration}`,
    data,
    render: (value) => renderTemplate(value, data),
    signal: o.signal ?? new AbortController().signal,
    startChild: () => Promise.reject(new Error("these steps start no child runs")),
    settled: async () => {
      while (pending.length > 0) await Promise.all(pending.splice(0));
    },
  };
}

/** The output of a `done` outcome; fails the test on any other outcome. */
export function outputOf(outcome: StepOutcome): unknown {
  expect(outcome.kind).toBe("done");
  return outcome.kind === "done" ? outcome.output : undefined;
}

/** Expects `run` to fail; answers the failure as the engine would store it. */
export async function failureOf(run: Promise<unknown>): Promise<StepErrorInfo> {
  const outcome = await run.then(
    (value) => ({ ok: true as const, value }),
    (err: unknown) => ({ ok: false as const, err }),
  );
  expect(outcome.ok, outcome.ok ? `expected a failure, got ${JSON.stringify(outcome.value)}` : "").toBe(false);
  return outcome.ok ? { code: "none", message: "", retryable: false } : stepErrorOf(outcome.err);
}
