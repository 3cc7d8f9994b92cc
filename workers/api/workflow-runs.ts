/**
 * /runs and /approvals: run history (every step's input, output, error, attempts, timing
 * and AI cost), cancel / pause / resume / rerun, bulk rerun, and the approvals waiting for
 * a person.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { RUN_STATUSES } from "../../d1/schema";
import { actorOf } from "../auth/principal";
import { platformAuth, requirePermission } from "../auth/middleware";
import type { AppEnv } from "../env";
import { bulkRerun, cancelRun, decideApproval, pauseRun, rerunFromFailure, resumeRun } from "../workflows/engine/control";
import { engineDeps } from "../workflows/engine/deps";
import { runJobs } from "../workflows/engine/jobs";
import type { Job } from "../workflows/engine/messages";
import { cursorAfter, getRun, listApprovals, listRuns } from "../workflows/store/runs";
import { getWorkflow } from "../workflows/store/definitions";
import { audit, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, conflictError, EpochMs, IdParams, jsonBody, jsonResponse, mediaTypeError } from "./schemas";
import { ApprovalSchema, publicRun, publicStepRun, RunDetailSchema, RunSchema } from "./workflow-schemas";

const deps = (c: Context<AppEnv>) => engineDeps(c.env, (p) => c.executionCtx.waitUntil(p));
const send = (c: Context<AppEnv>, jobs: Job[]) => runJobs(deps(c), jobs, { inline: false });
const route = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ tags: ["Workflow runs"], security: bearerSecurity, ...r });

export const runsApi = createApiApp();
runsApi.use("*", platformAuth);
const read = requirePermission("workflows:read");
const write = requirePermission("workflows:write");

const RunsQuery = z.object({
  workflowId: z.string().max(64).optional().openapi({ description: "Workflow id or key" }),
  status: z.enum(RUN_STATUSES).optional(),
  from: z.coerce.number().int().min(0).optional().openapi({ description: "Created at or after (epoch ms)" }),
  to: z.coerce.number().int().min(0).optional().openapi({ description: "Created at or before (epoch ms)" }),
  before: z
    .string()
    .regex(/^\d{1,15}(\.[A-Za-z0-9_]{1,64})?$/, "the previous page's next, or epoch ms")
    .transform((v) => ({ createdAt: Number(v.split(".")[0]), id: v.split(".")[1] }))
    .optional()
    .openapi({ description: "Page: the previous page's `next` (or epoch ms: runs created before then)" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

runsApi.openapi(
  route({ method: "get", path: "/", middleware: [read], request: { query: RunsQuery },
    responses: { 200: jsonResponse(z.object({ data: z.array(RunSchema), next: z.string().nullable().openapi({ description: "Pass as `before` for the next page; null on the last" }) }), "Runs, newest first"), ...authErrors } }),
  async (c) => {
    const q = c.req.valid("query");
    const scope = scopeOf(c);
    const workflowId = q.workflowId ? (await getWorkflow(scope, q.workflowId)).id : undefined;
    const runs = await listRuns(scope, { ...q, workflowId });
    const last = runs.at(-1);
    return c.json({ data: runs.map(publicRun), next: runs.length === q.limit && last ? cursorAfter(last) : null }, 200);
  },
);

const BulkRerun = z
  .object({
    status: z.enum(["errored", "terminated", "complete"]).openapi({ description: "errored runs rerun from their failed step; the others start again as new runs" }),
    from: EpochMs.min(0),
    to: EpochMs.min(0),
    workflowId: z.string().max(64).optional(),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict()
  .refine((b) => b.to >= b.from, { message: "to is before from", path: ["to"] });

runsApi.openapi(
  route({ method: "post", path: "/rerun", middleware: [write], request: { body: jsonBody(BulkRerun) },
    description: "Reruns every run of a status created in [from, to] (at most `limit`).",
    responses: { 200: jsonResponse(z.object({ rerun: z.array(z.string()) }), "The runs rerun (ids of the runs now moving)"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const body = c.req.valid("json");
    const scope = scopeOf(c);
    const workflowId = body.workflowId ? (await getWorkflow(scope, body.workflowId)).id : undefined;
    const { rerun, jobs } = await bulkRerun(deps(c), scope, { ...body, workflowId });
    await send(c, jobs);
    await audit(c, { action: "workflow_runs.bulk_rerun", resourceType: "workflow_run", resourceId: null, after: { status: body.status, from: body.from, to: body.to, count: rerun.length } });
    return c.json({ rerun }, 200);
  },
);

runsApi.openapi(
  route({ method: "get", path: "/{id}", middleware: [read], request: { params: IdParams }, responses: { 200: jsonResponse(RunDetailSchema, "The run with every step run"), ...authErrors } }),
  async (c) => {
    const { run, steps } = await getRun(scopeOf(c), c.req.valid("param").id);
    return c.json({ ...publicRun(run), steps: steps.map(publicStepRun) }, 200);
  },
);

type Action = "cancel" | "pause" | "resume" | "rerun";
const ACTIONS: Record<Action, { description: string; act: (c: Context<AppEnv>, runId: string) => Promise<{ run: Parameters<typeof publicRun>[0]; jobs: Job[] }> }> = {
  cancel: { description: "Terminates the run and its child runs; unfinished steps are cancelled.", act: (c, id) => cancelRun(deps(c), scopeOf(c).tenantId, id) },
  pause: { description: "Holds the run after the step in flight; timers that come due wait for resume.", act: async (c, id) => ({ run: await pauseRun(deps(c), scopeOf(c).tenantId, id), jobs: [] }) },
  resume: { description: "Continues a paused run.", act: (c, id) => resumeRun(deps(c), scopeOf(c).tenantId, id) },
  rerun: { description: "Reruns an errored run from the step that failed; earlier outputs are kept.", act: (c, id) => rerunFromFailure(deps(c), scopeOf(c).tenantId, id) },
};

for (const [action, spec] of Object.entries(ACTIONS)) {
  runsApi.openapi(
    route({ method: "post", path: `/{id}/${action}`, middleware: [write], request: { params: IdParams }, description: spec.description,
      responses: { 200: jsonResponse(RunSchema, "The run after the change"), ...authErrors, ...conflictError } }),
    async (c) => {
      const { run, jobs } = await spec.act(c, c.req.valid("param").id);
      await send(c, jobs);
      await audit(c, { action: `workflow_run.${action}`, resourceType: "workflow_run", resourceId: run.id, after: { status: run.status } });
      return c.json(publicRun(run), 200);
    },
  );
}

export const approvalsApi = createApiApp();
approvalsApi.use("*", platformAuth);

const Decide = z
  .object({
    decision: z.enum(["approve", "reject"]),
    comment: z.string().max(2000).optional(),
    data: z.unknown().optional().openapi({ description: "An edited version of what was submitted for approval (e.g. the reply text)" }),
  })
  .strict();
const DecideParams = z.object({
  runId: z.string().min(1).max(64).openapi({ param: { name: "runId", in: "path" } }),
  stepId: z.string().min(1).max(64).openapi({ param: { name: "stepId", in: "path" } }),
});
const approvalRoute = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ tags: ["Workflow runs"], security: bearerSecurity, ...r });

approvalsApi.openapi(
  approvalRoute({ method: "get", path: "/", middleware: [read], responses: { 200: jsonResponse(z.object({ data: z.array(ApprovalSchema) }), "Approvals waiting, oldest first"), ...authErrors } }),
  async (c) => c.json({ data: await listApprovals(scopeOf(c)) }, 200),
);

approvalsApi.openapi(
  approvalRoute({ method: "post", path: "/{runId}/{stepId}", middleware: [requirePermission("workflows:approve")], request: { params: DecideParams, body: jsonBody(Decide) },
    description: "Approves or rejects a waiting approval step; the run continues with the decision (and any edited data).",
    responses: { 200: jsonResponse(RunDetailSchema, "The run after the decision"), ...authErrors, ...conflictError, ...mediaTypeError } }),
  async (c) => {
    const { runId, stepId } = c.req.valid("param");
    const body = c.req.valid("json");
    const jobs = await decideApproval(deps(c), scopeOf(c).tenantId, runId, stepId, { decision: body.decision, by: actorOf(c.get("principal")).actorId, comment: body.comment ?? null, data: body.data });
    await send(c, jobs);
    await audit(c, { action: `workflow_approval.${body.decision}d`, resourceType: "workflow_run", resourceId: runId, after: { stepId, comment: body.comment ?? null } });
    const { run, steps } = await getRun(scopeOf(c), runId);
    return c.json({ ...publicRun(run), steps: steps.map(publicStepRun) }, 200);
  },
);
