/**
 * The runs a lead started (speed to lead, its follow-up). Runs carry the lead in their
 * input (`input.leadId`); they start within moments of the lead, so the runs of the day
 * after it arrived are searched.
 */
import { api, type Schemas, unwrap } from "../../../api/client";
import { isRecord } from "../graph/steps";

const WINDOW_MS = 86_400_000;

export async function loadLeadRuns(lead: { id: string; createdAt: number }): Promise<{ runs: Schemas["WorkflowRun"][]; names: Map<string, string> }> {
  const [page, workflows] = await Promise.all([
    unwrap(api.GET("/runs", { params: { query: { from: lead.createdAt - 5_000, to: lead.createdAt + WINDOW_MS, limit: 200 } } })),
    unwrap(api.GET("/workflows")),
  ]);
  const runs = page.data.filter((r) => isRecord(r.input) && r.input.leadId === lead.id);
  return { runs, names: new Map(workflows.data.map((w) => [w.id, w.name])) };
}
