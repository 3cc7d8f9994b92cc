/**
 * The runs of one workflow, newest first, filtered by status, a page at a time. New runs
 * and status changes arrive live; failed runs can be rerun in bulk.
 */
import { useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { useLive } from "../../api/live";
import { useApi } from "../../api/use-api";
import { Button } from "../../components/Button";
import { SelectField } from "../../components/Field";
import { Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { BulkRerunDialog } from "./BulkRerunDialog";
import { runUpdate } from "./live-messages";
import { RunsTable } from "./RunsTable";
import { useDebounced } from "./use-debounced";

type Run = Schemas["WorkflowRun"];
type Status = Run["status"];
const STATUSES: Status[] = ["queued", "running", "waiting", "paused", "errored", "terminated", "complete"];
const PAGE = 25;

export function WorkflowRuns({ workflow, canWrite }: { workflow: Schemas["Workflow"]; canWrite: boolean }) {
  const [status, setStatus] = useState<Status | "">("");
  const [more, setMore] = useState<{ runs: Run[]; next: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [rerunOpen, setRerunOpen] = useState(false);
  const query = (before?: string) => ({ workflowId: workflow.id, limit: PAGE, ...(status ? { status } : {}), ...(before ? { before } : {}) });
  const runs = useApi(() => unwrap(api.GET("/runs", { params: { query: query() } })), [workflow.id, status]);
  const refresh = useDebounced(() => void runs.reload(), 400);

  useLive(["runs"], (msg) => {
    const update = runUpdate(msg);
    if (!update || update.workflowId !== workflow.id) return;
    const known = runs.data?.data.some((r) => r.id === update.runId) ?? false;
    if (!known && !status) return void runs.reload(); // a new run: show it at once
    runs.setData((page) => page && { ...page, data: page.data.map((r) => (r.id === update.runId ? { ...r, status: update.status, costNanoUsd: update.costNanoUsd } : r)) });
    refresh();
  });

  const loadMore = async () => {
    const next = more?.next ?? runs.data?.next;
    if (!next) return;
    setLoadingMore(true);
    try {
      const page = await unwrap(api.GET("/runs", { params: { query: query(next) } }));
      setMore({ runs: [...(more?.runs ?? []), ...page.data], next: page.next });
    } finally {
      setLoadingMore(false);
    }
  };

  const actions = (
    <div className="row">
      <SelectField label="Status" value={status} onChange={(e) => { setStatus(e.target.value as Status | ""); setMore(null); }} options={[{ value: "", label: "Any status" }, ...STATUSES.map((s) => ({ value: s, label: s }))]} />
      {canWrite ? <Button variant="secondary" onClick={() => setRerunOpen(true)}>Rerun failed…</Button> : null}
    </div>
  );

  return (
    <Panel title="Runs" actions={actions} className="wf-runs">
      <DataView state={runs} isEmpty={(p) => p.data.length === 0} empty={<Empty title={status ? `No ${status} runs` : "No runs yet"}>{status ? "Try another status." : "Start a run, or wait for a trigger."}</Empty>}>
        {(page) => {
          const all = [...page.data, ...(more?.runs ?? []).filter((r) => !page.data.some((p) => p.id === r.id))];
          const next = more ? more.next : page.next;
          return (
            <>
              <RunsTable runs={all} caption={`Runs of ${workflow.name}`} />
              {next ? <Button variant="secondary" busy={loadingMore} onClick={() => void loadMore()} className="wf-more">Load more runs</Button> : null}
            </>
          );
        }}
      </DataView>
      <BulkRerunDialog open={rerunOpen} onClose={() => setRerunOpen(false)} workflow={workflow} onDone={() => void runs.reload()} />
    </Panel>
  );
}
