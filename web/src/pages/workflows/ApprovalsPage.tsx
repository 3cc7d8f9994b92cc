/**
 * Approvals: what workflows are holding for a person (a drafted review reply, say), oldest
 * first. New requests appear live; approve (with edits) or reject with a reason.
 */
import { api, unwrap } from "../../api/client";
import { useLive } from "../../api/live";
import { useApi } from "../../api/use-api";
import { useMe } from "../../app/me";
import type { PageProps } from "../../app/routes";
import { Page } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { ApprovalCard } from "./ApprovalCard";
import { approvalRequest, runUpdate } from "./live-messages";
import { useDebounced } from "./use-debounced";

async function loadApprovals() {
  const [approvals, workflows] = await Promise.all([unwrap(api.GET("/approvals")), unwrap(api.GET("/workflows"))]);
  return { approvals: approvals.data, names: new Map(workflows.data.map((w) => [w.id, w.name])) };
}

export default function ApprovalsPage(_props: PageProps) {
  const { can } = useMe();
  const state = useApi(loadApprovals, []);
  const refresh = useDebounced(() => void state.reload(), 300);
  useLive(["runs"], (msg) => {
    if (approvalRequest(msg)) return refresh();
    // A run with an approval here moved on (decided elsewhere, cancelled): drop it.
    const run = runUpdate(msg);
    if (run && state.data?.approvals.some((a) => a.runId === run.runId)) refresh();
  });

  return (
    <Page title="Approvals" description="What your workflows hold for a person to check before it goes out. New requests appear here as they arrive.">
      <DataView state={state} isEmpty={(d) => d.approvals.length === 0} empty={<Empty title="Nothing is waiting for approval">When a workflow asks for a decision (a drafted review reply, say), it appears here.</Empty>}>
        {(d) => (
          <div className="wf-approvals">
            {d.approvals.map((a) => (
              <ApprovalCard
                key={`${a.runId}/${a.stepId}/${a.iteration}`}
                approval={a}
                workflowName={d.names.get(a.workflowId) ?? a.workflowKey}
                canDecide={can("workflows:approve")}
                onDecided={(done) => state.setData((cur) => cur && { ...cur, approvals: cur.approvals.filter((x) => x.runId !== done.runId || x.stepId !== done.stepId) })}
              />
            ))}
          </div>
        )}
      </DataView>
    </Page>
  );
}
