/**
 * Shapes the workflow API answers with, read through zod, and small definitions the API
 * tests share.
 */
import { expect } from "vitest";
import { z } from "zod";
import { call, expectError, type Reply } from "../../api/helpers";

export const Workflow = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  description: z.string(),
  latestVersion: z.number(),
  enabled: z.boolean(),
  template: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export const WorkflowWithDefinition = Workflow.extend({ definition: z.record(z.string(), z.unknown()) });
export const Version = z.object({ workflowId: z.string(), version: z.number(), sha256: z.string(), definition: z.record(z.string(), z.unknown()), createdBy: z.string().nullable(), createdAt: z.number() });
export const Versions = z.object({ data: z.array(Version) });

export const Problem = z.object({ path: z.string(), stepId: z.string().nullable(), message: z.string(), line: z.number().optional(), column: z.number().optional() });
const Invalid = z.object({ error: z.object({ code: z.literal("validation_failed"), message: z.string(), details: z.array(Problem) }) });

/** Asserts a 400 validation_failed for a definition and returns its problems. */
export function problemsOf(reply: Reply): z.infer<typeof Problem>[] {
  expectError(reply, 400, "validation_failed");
  return Invalid.parse(reply.body).error.details;
}

/** The one problem about `stepId`, asserting there is exactly one. */
export function problemOf(reply: Reply, stepId: string): z.infer<typeof Problem> {
  const about = problemsOf(reply).filter((p) => p.stepId === stepId);
  expect(about, JSON.stringify(reply.body)).toHaveLength(1);
  const [first] = about;
  if (!first) throw new Error("unreachable");
  return first;
}

/** A one-step workflow whose output is `value`. */
export function constant(value: unknown, name = "Constant") {
  return { name, steps: [{ id: "answer", type: "transform", output: value }] };
}

/** Waits for approval `gate`, then outputs `label`: a run that stays open until someone decides. */
export function gated(label: string) {
  return {
    name: "Gated",
    steps: [
      { id: "gate", type: "approval", title: "Go ahead?" },
      { id: "answer", type: "transform", output: { label, approved: "{{ steps.gate.approved }}" } },
    ],
    output: "{{ steps.answer }}",
  };
}

/** POST /workflows as `token`. */
export function postWorkflow(token: string, body: unknown): Promise<Reply> {
  return call("POST", "/workflows", { token, body });
}
