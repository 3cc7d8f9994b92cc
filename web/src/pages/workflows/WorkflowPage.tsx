/**
 * One workflow: its definition drawn as a graph (any version; click a step for its
 * configuration), its runs (live), and the actions: start a run, edit the definition
 * (a new version), enable or disable, rerun failed runs.
 */
import { useMemo, useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { useMe } from "../../app/me";
import { Link } from "../../app/router";
import type { PageProps } from "../../app/routes";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { SelectField } from "../../components/Field";
import { Page, Panel, Stats } from "../../components/Page";
import { DataView } from "../../components/States";
import { date, dateTime } from "../../lib/format";
import { triggersOf } from "./definition-info";
import { DefinitionEditor } from "./edit/DefinitionEditor";
import { EnableToggle } from "./EnableToggle";
import { flattenSteps, stepsOf } from "./graph/steps";
import { WorkflowGraph } from "./graph/WorkflowGraph";
import { StartRunDialog } from "./StartRunDialog";
import { StepConfig } from "./StepConfig";
import { WorkflowRuns } from "./WorkflowRuns";

type Detail = Schemas["Workflow"] & { definition?: unknown };
type Version = Schemas["WorkflowVersion"];

function GraphPanel({ workflow, versions }: { workflow: Detail; versions: Version[] }) {
  const [version, setVersion] = useState(workflow.latestVersion);
  const [selected, setSelected] = useState<string | null>(null);
  const shown = versions.find((v) => v.version === version);
  const definition = shown ? shown.definition : workflow.definition;
  const steps = useMemo(() => flattenSteps(stepsOf(definition)), [definition]);
  const picker = (
    <SelectField
      label="Version"
      value={String(version)}
      onChange={(e) => setVersion(Number(e.target.value))}
      options={versions.map((v) => ({ value: String(v.version), label: `v${v.version}${v.version === workflow.latestVersion ? " (latest)" : ""} · ${date(v.createdAt)}` }))}
    />
  );
  return (
    <div className="wf-graph-layout">
      <Panel title={`Steps (${steps.length})`} actions={versions.length ? picker : null} className="wf-graph-panel">
        <WorkflowGraph definition={definition} selected={selected} onSelect={setSelected} label={`Steps of ${workflow.name}, version ${version}`} />
      </Panel>
      <Panel title="Step" className="wf-side-panel">
        <StepConfig step={steps.find((s) => s.id === selected) ?? null} />
      </Panel>
    </div>
  );
}

export default function WorkflowPage({ params }: PageProps) {
  const id = params.id ?? "";
  const { can } = useMe();
  const workflow = useApi(() => unwrap(api.GET("/workflows/{id}", { params: { path: { id } } })), [id]);
  const versions = useApi(() => unwrap(api.GET("/workflows/{id}/versions", { params: { path: { id } } })).then((r) => r.data), [id, workflow.data?.latestVersion]);
  const [editing, setEditing] = useState(false);
  const [starting, setStarting] = useState(false);
  const writable = can("workflows:write");
  const wf = workflow.data;

  const actions =
    wf && writable ? (
      <>
        <Button onClick={() => setStarting(true)} disabled={!wf.enabled} title={wf.enabled ? undefined : "Enable the workflow to start runs"}>Start run</Button>
        <Button variant="secondary" onClick={() => setEditing(true)} disabled={editing}>Edit definition</Button>
        <EnableToggle workflow={wf} onChanged={(next) => workflow.setData((cur) => cur && { ...cur, ...next })} />
      </>
    ) : null;

  return (
    <Page title={wf?.name ?? "Workflow"} description={wf ? <>{wf.description || "No description."} <Link to="/workflows">All workflows</Link></> : undefined} actions={actions}>
      <DataView state={workflow}>
        {(w) => (
          <>
            <Stats
              items={[
                { label: "Key", value: <code className="wf-stat-code">{w.key}</code>, hint: w.template ? `from template ${w.template}` : "written here" },
                { label: "Version", value: `v${w.latestVersion}`, hint: `saved ${dateTime(w.updatedAt)}` },
                { label: "State", value: w.enabled ? <Badge tone="success">enabled</Badge> : <Badge>disabled</Badge> },
                { label: "Triggers", value: <span className="wf-stat-triggers">{triggersOf(w.definition).join(", ")}</span> },
              ]}
            />
            {editing ? (
              <DefinitionEditor
                target={{ kind: "edit", workflow: w, definition: w.definition }}
                onCancel={() => setEditing(false)}
                onSaved={() => {
                  setEditing(false);
                  void workflow.reload();
                }}
              />
            ) : (
              <DataView state={versions}>{(list) => <GraphPanel key={w.latestVersion} workflow={w} versions={list} />}</DataView>
            )}
            <WorkflowRuns workflow={w} canWrite={writable} />
            <StartRunDialog open={starting} onClose={() => setStarting(false)} workflow={w} definition={w.definition} versions={(versions.data ?? []).map((v) => v.version)} />
          </>
        )}
      </DataView>
    </Page>
  );
}
