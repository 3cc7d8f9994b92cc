/**
 * The workflows list with what the list endpoint lacks: each workflow's triggers (from its
 * latest definition), its last run, and how many runs it had in the last day. The day's
 * runs load on their own (one request), so live updates refresh them cheaply.
 */
import { api, type Schemas, unwrap } from "../../api/client";
import { triggersOf } from "./definition-info";

export type Run = Schemas["WorkflowRun"];
export type WorkflowInfo = Schemas["Workflow"] & { triggers: string[]; lastRunAtLoad: Run | null };
export type WorkflowRow = WorkflowInfo & { lastRun: Run | null; runsLastDay: number; failedLastDay: number };
export type DayRuns = { runs: Run[]; capped: boolean };

const DAY_MS = 86_400_000;
const DAY_LIMIT = 200;

export async function loadWorkflows(): Promise<WorkflowInfo[]> {
  const list = await unwrap(api.GET("/workflows"));
  return Promise.all(
    list.data.map(async (wf): Promise<WorkflowInfo> => {
      const [detail, last] = await Promise.all([
        unwrap(api.GET("/workflows/{id}", { params: { path: { id: wf.id } } })),
        unwrap(api.GET("/runs", { params: { query: { workflowId: wf.id, limit: 1 } } })),
      ]);
      return { ...wf, triggers: triggersOf(detail.definition), lastRunAtLoad: last.data[0] ?? null };
    }),
  );
}

export async function loadDayRuns(): Promise<DayRuns> {
  const page = await unwrap(api.GET("/runs", { params: { query: { from: Date.now() - DAY_MS, limit: DAY_LIMIT } } }));
  return { runs: page.data, capped: page.next !== null };
}

/** Rows for the table: the day's runs (newest first) decide the last run once they know one. */
export function rowsOf(workflows: WorkflowInfo[], day: DayRuns | undefined): WorkflowRow[] {
  return workflows.map((wf) => {
    const mine = day?.runs.filter((r) => r.workflowId === wf.id) ?? [];
    const newest = mine[0] ?? null;
    const lastRun = newest && (!wf.lastRunAtLoad || newest.createdAt >= wf.lastRunAtLoad.createdAt) ? newest : wf.lastRunAtLoad;
    return { ...wf, lastRun, runsLastDay: mine.length, failedLastDay: mine.filter((r) => r.status === "errored").length };
  });
}
