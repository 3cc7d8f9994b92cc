/**
 * What a step type implements. The engine owns state (claiming, retries, waiting, moving
 * on); a handler only does its step's work and says how it ended. Handlers are looked up
 * in the registry (./index.ts) by the step's `type`.
 */
import type { Db } from "../../db";
import type { PlatformEvent } from "../../events/publish";
import type { Step, StepType } from "../definition/schema";

export type StepDeps = {
  env: Env;
  db: Db;
  waitUntil: (p: Promise<unknown>) => void;
  now: () => number;
};

/** The data templates and conditions read: `input`, `steps.<id>` (outputs), `run`, `tenant`, `event`. */
export type RunData = {
  input: unknown;
  steps: Record<string, unknown>;
  run: { id: string; workflowId: string; version: number; startedAt: number | null };
  tenant: { id: string; name: string; timezone: string };
  event?: unknown;
};

export type StepContext = {
  deps: StepDeps;
  tenantId: string;
  runId: string;
  workflowId: string;
  stepId: string;
  iteration: number;
  /** 1 on the first attempt. */
  attempt: number;
  /** `${runId}:${stepId}:${iteration}`: the same on every attempt and redelivery; use it as an idempotency key. */
  key: string;
  data: RunData;
  /** Renders {{ templates }} in any JSON value against `data` (a lone "{{ x }}" keeps x's type). */
  render: (value: unknown) => unknown;
  /** Aborted when the step's timeout passes. */
  signal: AbortSignal;
  /** Starts a child run of another workflow of this tenant (subworkflow steps). */
  startChild: (workflow: string, input: unknown) => Promise<{ runId: string }>;
};

export type WaitOn =
  | { kind: "timer" }
  | { kind: "event"; eventType: string; match: Record<string, string> }
  | { kind: "approval" }
  | { kind: "child"; runId: string };

export type StepOutcome =
  /** Finished; `output` becomes steps.<id>; `input` (what the step worked on, rendered) is kept in its history. */
  | { kind: "done"; output: unknown; costNanoUsd?: number; input?: unknown }
  /** Park the step until `on` happens or `until` (epoch ms) passes; `state` comes back in resume(). */
  | { kind: "wait"; on: WaitOn; until?: number; state?: unknown; input?: unknown }
  /** Structural steps: run these nested step lists (names from the step), then complete(). */
  | { kind: "enter"; sequences: string[]; state?: unknown };

export type Wake =
  | { reason: "timer" }
  | { reason: "event"; event: PlatformEvent }
  | { reason: "approval"; decision: "approve" | "reject"; by: string; comment: string | null; data?: unknown }
  | { reason: "child"; status: "complete" | "errored" | "terminated"; output: unknown; error: { code: string; message: string } | null };

export type StepHandler<S extends Step = Step> = {
  /**
   * True for pure, quick steps with no outside effects (transform, scoring): the engine may run
   * them right after the previous step in the same invocation instead of through a queue hop.
   */
  inline: boolean;
  run(ctx: StepContext, step: S): Promise<StepOutcome>;
  /** Called when a waiting step wakes; required for handlers that return `wait`. */
  resume?(ctx: StepContext, step: S, wake: Wake, state: unknown): Promise<StepOutcome>;
  /** Structural steps: the nested step lists by name. */
  sequences?(step: S): Record<string, Step[]>;
  /** Structural steps: the output once the entered sequences finished (their last outputs by name). */
  complete?(step: S, results: Record<string, unknown>, state: unknown): unknown;
};

export type StepHandlers = { [T in StepType]: StepHandler<Extract<Step, { type: T }>> };
