/**
 * Workflows: every workflow of the dealership with its triggers, version, state, last run
 * and the last day's runs (kept current by live run updates); install a template or write
 * a new definition.
 */
import { useState } from "react";
import { useLive } from "../../api/live";
import { useApi } from "../../api/use-api";
import { useMe } from "../../app/me";
import { Link, navigate } from "../../app/router";
import type { PageProps } from "../../app/routes";
import { Badge, StatusBadge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { Page, Panel, Stats } from "../../components/Page";
import { DataView, Empty, ErrorState } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { num, relative } from "../../lib/format";
import { DefinitionEditor } from "./edit/DefinitionEditor";
import { loadDayRuns, loadWorkflows, rowsOf, type WorkflowRow } from "./overview";
import { TemplatesDialog } from "./TemplatesDialog";
import { useDebounced } from "./use-debounced";

const COLUMNS: Column<WorkflowRow>[] = [
  {
    header: "Workflow",
    render: (w) => (
      <div className="wf-name-cell">
        <Link to={`/workflows/${w.id}`}>{w.name}</Link>
        <div className="muted small"><code>{w.key}</code>{w.template ? ` · from template ${w.template}` : ""}</div>
      </div>
    ),
  },
  {
    header: "Triggers",
    render: (w) => (
      <div className="row">
        {w.triggers.map((t) => (
          <Badge key={t} tone="info">{t}</Badge>
        ))}
      </div>
    ),
  },
  { header: "Version", render: (w) => `v${w.latestVersion}` },
  { header: "State", render: (w) => (w.enabled ? <Badge tone="success">enabled</Badge> : <StatusBadge status="disabled" />) },
  {
    header: "Last run",
    render: (w) =>
      w.lastRun ? (
        <Link to={`/runs/${w.lastRun.id}`} className="row wf-plain-link" aria-label={`Last run of ${w.name}: ${w.lastRun.status}`}>
          <StatusBadge status={w.lastRun.status} />
          <span className="muted small">{relative(w.lastRun.createdAt)}</span>
        </Link>
      ) : (
        <span className="muted">never</span>
      ),
  },
  { header: "Runs (24 h)", align: "right", render: (w) => (w.failedLastDay ? <>{num(w.runsLastDay)} <span className="wf-failed-count">({w.failedLastDay} failed)</span></> : num(w.runsLastDay)) },
];

export default function WorkflowsPage(_props: PageProps) {
  const { can } = useMe();
  const workflows = useApi(loadWorkflows, []);
  const day = useApi(loadDayRuns, []);
  const [templatesOpen, setTemplatesOpen] = useState(false);
  const [creating, setCreating] = useState(false);
  const refresh = useDebounced(() => void day.reload(), 1000);
  useLive(["runs"], (msg) => {
    if (msg.type === "run.updated") refresh();
  });
  const writable = can("workflows:write");

  return (
    <Page
      title="Workflows"
      description="Automations that answer leads, remind customers and reply to reviews. Open one to see its steps and runs."
      actions={
        writable ? (
          <>
            <Button variant="secondary" onClick={() => setTemplatesOpen(true)}>Install template</Button>
            <Button onClick={() => setCreating(true)} disabled={creating}>New workflow</Button>
          </>
        ) : null
      }
    >
      {creating ? <DefinitionEditor target={{ kind: "create" }} onCancel={() => setCreating(false)} onSaved={(wf) => navigate(`/workflows/${wf.id}`)} /> : null}
      <DataView state={workflows}>
        {(list) => {
          const rows = rowsOf(list, day.data);
          const runs = day.data?.runs ?? [];
          const dayValue = (n: number) => (day.data ? num(n) : "…");
          return (
            <>
              <Stats
                items={[
                  { label: "Workflows", value: num(list.length), hint: `${list.filter((w) => w.enabled).length} enabled` },
                  { label: "Runs (24 h)", value: `${dayValue(runs.length)}${day.data?.capped ? "+" : ""}` },
                  { label: "Failed (24 h)", value: dayValue(runs.filter((r) => r.status === "errored").length) },
                  { label: "In progress", value: dayValue(runs.filter((r) => ["queued", "running", "waiting", "paused"].includes(r.status)).length) },
                ]}
              />
              {day.error ? <ErrorState error={day.error} onRetry={() => void day.reload()} /> : null}
              <Panel title="All workflows">
                {rows.length ? (
                  <Table rows={rows} columns={COLUMNS} rowKey={(w) => w.id} caption="Workflows" />
                ) : (
                  <Empty title="No workflows yet">Install a template (speed to lead, service reminders, review responses) or write your own.</Empty>
                )}
              </Panel>
            </>
          );
        }}
      </DataView>
      <TemplatesDialog open={templatesOpen} onClose={() => setTemplatesOpen(false)} onInstalled={(wf) => navigate(`/workflows/${wf.id}`)} />
    </Page>
  );
}
