/**
 * The steps that shape a run rather than do work: sleep, wait_for_event, approval,
 * subworkflow, branch and parallel. They park the step (the engine persists the wait) or
 * enter nested step lists; none has an outside effect of its own.
 */
import { z } from "zod";
import type { Step } from "../definition/schema";
import { nestedSequences } from "../definition/tree";
import { evaluateCondition } from "../condition";
import { durationMs } from "../engine/duration";
import { permanentFailure } from "./errors";
import type { StepHandler } from "./types";

type Of<T extends Step["type"]> = StepHandler<Extract<Step, { type: T }>>;

const Instant = z.union([z.number().int().nonnegative(), z.string().datetime({ offset: true }), z.string().date()]);

function instantMs(value: unknown): number {
  const parsed = Instant.safeParse(value);
  if (!parsed.success) throw permanentFailure("invalid_step_input", `until must be an ISO 8601 time or epoch ms, got ${JSON.stringify(value)}`);
  return typeof parsed.data === "number" ? parsed.data : Date.parse(parsed.data);
}

export const sleepStep: Of<"sleep"> = {
  inline: true,
  async run(ctx, step) {
    const now = ctx.deps.now();
    const until = step.duration !== undefined ? now + durationMs(step.duration) : instantMs(ctx.render(step.until));
    if (until <= now) return { kind: "done", output: { sleptUntil: new Date(now).toISOString() } };
    return { kind: "wait", on: { kind: "timer" }, until, state: { until } };
  },
  async resume(ctx) {
    return { kind: "done", output: { sleptUntil: new Date(ctx.deps.now()).toISOString() } };
  },
};

export const waitForEventStep: Of<"wait_for_event"> = {
  inline: true,
  async run(ctx, step) {
    const match = Object.fromEntries(Object.entries(step.match).map(([path, expected]) => [path, String(ctx.render(expected) ?? "")]));
    return { kind: "wait", on: { kind: "event", eventType: step.event, match }, until: ctx.deps.now() + durationMs(step.timeout), input: { event: step.event, match } };
  },
  async resume(_ctx, step, wake) {
    if (wake.reason === "event") {
      const { id, type, data, occurredAt } = wake.event;
      return { kind: "done", output: { timedOut: false, event: { id, type, data, occurredAt } } };
    }
    if (step.onTimeout === "fail") throw permanentFailure("wait_timeout", `No ${step.event} event arrived within ${String(step.timeout)}`);
    return { kind: "done", output: { timedOut: true, event: null } };
  },
};

export const approvalStep: Of<"approval"> = {
  inline: true,
  async run(ctx, step) {
    const request = { title: String(ctx.render(step.title)), summary: step.summary === undefined ? undefined : String(ctx.render(step.summary)), data: ctx.render(step.data ?? null) };
    const until = step.timeout === undefined ? undefined : ctx.deps.now() + durationMs(step.timeout);
    return { kind: "wait", on: { kind: "approval" }, until, state: request, input: request };
  },
  async resume(ctx, step, wake, state) {
    const requested = z.object({ data: z.unknown().optional() }).safeParse(state);
    const original = requested.success ? (requested.data.data ?? null) : null;
    const decidedAt = new Date(ctx.deps.now()).toISOString();
    if (wake.reason === "approval") {
      const approved = wake.decision === "approve";
      return { kind: "done", output: { decision: wake.decision, approved, by: wake.by, comment: wake.comment, data: wake.data ?? original, decidedAt, timedOut: false } };
    }
    if (step.onTimeout === "fail") throw permanentFailure("approval_timeout", "No one approved or rejected in time");
    return { kind: "done", output: { decision: "reject", approved: false, by: null, comment: null, data: original, decidedAt, timedOut: true } };
  },
};

export const subworkflowStep: Of<"subworkflow"> = {
  inline: true,
  async run(ctx, step) {
    const { runId } = await ctx.startChild(step.workflow, ctx.render(step.input ?? null));
    return step.wait ? { kind: "wait", on: { kind: "child", runId } } : { kind: "done", output: { runId } };
  },
  async resume(_ctx, step, wake, state) {
    const runId = z.object({ runId: z.string() }).safeParse(state);
    if (wake.reason !== "child") throw permanentFailure("subworkflow_state", "woken by something other than its child run");
    if (wake.status === "errored") throw permanentFailure("subworkflow_failed", `Subworkflow '${step.workflow}' failed: ${wake.error?.message ?? "unknown error"}`);
    if (wake.status === "terminated") throw permanentFailure("subworkflow_terminated", `Subworkflow '${step.workflow}' was cancelled`);
    return { kind: "done", output: { runId: runId.success ? runId.data.runId : null, output: wake.output } };
  },
};

export const branchStep: Of<"branch"> = {
  inline: true,
  async run(ctx, step) {
    const i = step.cases.findIndex((c) => evaluateCondition(c.when, ctx.data));
    if (i >= 0) return { kind: "enter", sequences: [`case${i}`] };
    return { kind: "enter", sequences: step.else ? ["else"] : [] };
  },
  sequences: (step) => nestedSequences(step),
  complete(_step, results) {
    const [taken] = Object.keys(results);
    return { taken: taken ?? null, output: taken ? results[taken] : null };
  },
};

export const parallelStep: Of<"parallel"> = {
  inline: true,
  async run(_ctx, step) {
    return { kind: "enter", sequences: Object.keys(step.branches) };
  },
  sequences: (step) => nestedSequences(step),
  complete: (_step, results) => results,
};
