/**
 * Workflow test helpers: definitions and runs through the platform API, and waiting for a
 * run to reach a state through the real local queue.
 */
import { env } from "cloudflare:workers";
import { expect, vi } from "vitest";
import { z } from "zod";
import { makeDb } from "../../workers/db";
import { engineDeps } from "../../workers/workflows/engine/deps";
import type { StepDeps } from "../../workers/workflows/steps/types";
import { call, expectOk, type Reply } from "../api/helpers";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";

export const RunBody = z.object({
  id: z.string(),
  workflowId: z.string(),
  version: z.number(),
  status: z.string(),
  input: z.unknown(),
  output: z.unknown(),
  error: z.object({ code: z.string(), message: z.string(), stepId: z.string().nullable() }).passthrough().nullable(),
  costNanoUsd: z.number(),
  rerunOf: z.string().nullable(),
  parentRunId: z.string().nullable(),
});
export const StepBody = z.object({
  stepId: z.string(),
  iteration: z.number(),
  type: z.string(),
  status: z.string(),
  attempts: z.number(),
  input: z.unknown(),
  output: z.unknown(),
  error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }).nullable(),
  costNanoUsd: z.number(),
  waitingFor: z.string().nullable(),
  wakeAt: z.number().nullable(),
});
export const RunDetail = RunBody.extend({ steps: z.array(StepBody) });
export type RunDetail = z.infer<typeof RunDetail>;
export const WorkflowBody = z.object({ id: z.string(), key: z.string(), latestVersion: z.number(), enabled: z.boolean() });

export type Harness = TestTenant & { token: string };

export async function harness(name = "Workflow Motors"): Promise<Harness> {
  const t = await createTestTenant(name);
  return { ...t, token: t.adminKey };
}

export function testDeps(now: () => number = Date.now): StepDeps & { pending: Promise<unknown>[] } {
  const pending: Promise<unknown>[] = [];
  return { ...engineDeps(env, (p) => void pending.push(p), now), pending, db: makeDb(env.DB) };
}

export async function createWorkflow(h: Harness, key: string, definition: unknown): Promise<z.infer<typeof WorkflowBody>> {
  return expectOk(await call("POST", "/workflows", { token: h.token, body: { key, definition } }), 201, WorkflowBody);
}

export async function startRun(h: Harness, workflow: string, input: unknown, extra: Record<string, unknown> = {}): Promise<z.infer<typeof RunBody>> {
  const reply = await call("POST", `/workflows/${workflow}/runs`, { token: h.token, body: { input, ...extra } });
  return expectOk(reply, 202, RunBody);
}

export async function getRun(h: Harness, runId: string): Promise<RunDetail> {
  return expectOk(await call("GET", `/runs/${runId}`, { token: h.token }), 200, RunDetail);
}

/** Waits (through the real queue) until the run's status is one of `statuses`. */
export async function waitForRun(h: Harness, runId: string, statuses: string[], timeout = 20_000): Promise<RunDetail> {
  let last: RunDetail | undefined;
  await vi.waitFor(
    async () => {
      last = await getRun(h, runId);
      expect(statuses, JSON.stringify({ status: last.status, error: last.error, steps: last.steps.map((s) => [s.stepId, s.status, s.error?.message]) })).toContain(last.status);
    },
    { timeout, interval: 100 },
  );
  if (!last) throw new Error("unreachable");
  return last;
}

/** Waits until step `stepId` (newest iteration) has `status`. */
export async function waitForStep(h: Harness, runId: string, stepId: string, status: string, timeout = 20_000): Promise<RunDetail> {
  let last: RunDetail | undefined;
  await vi.waitFor(
    async () => {
      last = await getRun(h, runId);
      const step = last.steps.filter((s) => s.stepId === stepId).sort((a, b) => b.iteration - a.iteration)[0];
      expect(step?.status, JSON.stringify(last.steps.map((s) => [s.stepId, s.iteration, s.status]))).toBe(status);
    },
    { timeout, interval: 100 },
  );
  if (!last) throw new Error("unreachable");
  return last;
}

export function stepOf(run: RunDetail, stepId: string) {
  const step = run.steps.filter((s) => s.stepId === stepId).sort((a, b) => b.iteration - a.iteration)[0];
  if (!step) throw new Error(`no step ${stepId} in ${JSON.stringify(run.steps.map((s) => s.stepId))}`);
  return step;
}

export function reply(r: Reply): string {
  return JSON.stringify(r.body);
}
