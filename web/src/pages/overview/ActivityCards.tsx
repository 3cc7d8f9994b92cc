/** Overview cards about the dealership's activity: AI spend and calls, runs, approvals, leads. */
import type { ApiState } from "../../api/use-api";
import { Link } from "../../app/router";
import { StatusBadge } from "../../components/Badge";
import { DataView } from "../../components/States";
import { num, percent, relative, usd } from "../../lib/format";
import type { LeadsToday, RunsByStatus, RunStatus, UsageToday } from "./overview-data";
import type { Schemas } from "../../api/client";
import { BigNumber, CardHint, OverviewCard } from "./OverviewCard";

export function SpendCard({ state }: { state: ApiState<UsageToday> }) {
  return (
    <OverviewCard title="AI spend today" to="/usage" footer={state.data?.yesterday ? `Yesterday: ${usd(state.data.yesterday.costNanoUsd)} over ${num(state.data.yesterday.calls)} calls` : null}>
      <DataView state={state}>
        {({ today }) =>
          today && today.calls > 0 ? (
            <>
              <BigNumber value={usd(today.costNanoUsd)} label="spent today" />
              <dl className="overview-facts">
                <div><dt>Gateway calls</dt><dd>{num(today.calls)}</dd></div>
                <div><dt>Errors</dt><dd>{num(today.errors)} ({percent(today.errors / today.calls, 1)})</dd></div>
                <div><dt>Avg latency</dt><dd>{num(today.avgLatencyMs)} ms</dd></div>
              </dl>
            </>
          ) : (
            <>
              <BigNumber value={usd(0)} label="spent today" />
              <CardHint>No AI calls yet today. Create an API key under <Link to="/settings/keys">API keys</Link> and point your OpenAI or Anthropic SDK at this server's <code>/v1</code>.</CardHint>
            </>
          )
        }
      </DataView>
    </OverviewCard>
  );
}

const RUN_ORDER: RunStatus[] = ["running", "queued", "waiting", "paused", "complete", "errored", "terminated"];

export function RunsCard({ state }: { state: ApiState<RunsByStatus> }) {
  return (
    <OverviewCard title="Workflow runs, last 24 h" to="/workflows">
      <DataView state={state}>
        {(runs) =>
          runs.total === 0 ? (
            <>
              <BigNumber value="0" label="runs" />
              <CardHint>No runs in the last 24 hours. Install a dealership template on <Link to="/workflows">Workflows</Link>, or send a lead to <code>/hooks/leads/adf</code> to start speed-to-lead.</CardHint>
            </>
          ) : (
            <>
              <BigNumber value={`${num(runs.total)}${runs.capped ? "+" : ""}`} label={runs.total === 1 ? "run" : "runs"} />
              <ul className="status-counts" aria-label="Runs by status">
                {RUN_ORDER.filter((s) => runs.counts[s]).map((s) => (
                  <li key={s}><StatusBadge status={s} /> <strong>{num(runs.counts[s])}</strong></li>
                ))}
              </ul>
            </>
          )
        }
      </DataView>
    </OverviewCard>
  );
}

export function ApprovalsCard({ state }: { state: ApiState<Schemas["PendingApproval"][]> }) {
  return (
    <OverviewCard title="Approvals waiting" to="/approvals">
      <DataView state={state}>
        {(approvals) =>
          approvals.length === 0 ? (
            <>
              <BigNumber value="0" label="waiting" />
              <CardHint>Nothing waits for a person. Workflows with an approval step (for example review responses) queue their drafts here.</CardHint>
            </>
          ) : (
            <>
              <BigNumber value={num(approvals.length)} label="waiting" />
              <CardHint>Oldest: {approvals[0]?.workflowKey} step {approvals[0]?.stepId}, {relative(approvals[0]?.since)}.</CardHint>
            </>
          )
        }
      </DataView>
    </OverviewCard>
  );
}

export function LeadsCard({ state }: { state: ApiState<LeadsToday> }) {
  return (
    <OverviewCard title="Leads today" to="/leads">
      <DataView state={state}>
        {(leads) =>
          leads.count === 0 ? (
            <>
              <BigNumber value="0" label="leads" />
              <CardHint>No leads yet today. Have your lead providers post ADF XML to <code>/hooks/leads/adf</code> with an API key that has the leads scope.</CardHint>
            </>
          ) : (
            <>
              <BigNumber value={`${num(leads.count)}${leads.more ? "+" : ""}`} label={leads.count === 1 && !leads.more ? "lead" : "leads"} />
              <dl className="overview-facts">
                <div><dt>Not contacted</dt><dd>{num(leads.uncontacted)}</dd></div>
                <div><dt>Latest</dt><dd>{leads.latest?.customer.name ?? "—"}, {relative(leads.latest?.createdAt)}</dd></div>
              </dl>
            </>
          )
        }
      </DataView>
    </OverviewCard>
  );
}
