/**
 * Routing rules: the YAML editor (problems marked on their lines), saved versions with
 * restore, and a dry run that shows where a described request would go and why.
 */
import { useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { useMe } from "../../app/me";
import type { PageProps } from "../../app/routes";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { Page, Panel } from "../../components/Page";
import { DataView } from "../../components/States";
import { FormError, useSubmit } from "../../components/useSubmit";
import { dateTime, relative } from "../../lib/format";
import { DryRunPanel } from "./DryRunPanel";
import { RoutingEditor } from "./RoutingEditor";
import { RoutingHistory } from "./RoutingHistory";
import { EXAMPLE_RULES, problemsOf, type RoutingProblem } from "./routing-problems";
import { useUserNames } from "./user-names";

type Current = Schemas["RoutingRules"];

export default function RoutingPage(_props: PageProps) {
  const { can } = useMe();
  const canEdit = can("gateway:write");
  const current = useApi(() => unwrap(api.GET("/gateway/routing")), []);
  // null: not edited, the editor shows what is saved.
  const [draft, setDraft] = useState<string | null>(null);
  const [problems, setProblems] = useState<RoutingProblem[]>([]);
  const [historyTick, setHistoryTick] = useState(0);
  const who = useUserNames();
  const saved = current.data?.yaml ?? "";
  const text = draft ?? saved;
  const dirty = draft !== null && draft !== saved;

  const put = async (yaml: string): Promise<Current> => {
    try {
      const after = await unwrap(api.PUT("/gateway/routing", { body: { yaml, expectedVersion: current.data?.version ?? 0 } }));
      current.setData(() => after);
      setDraft(null);
      setProblems([]);
      setHistoryTick((t) => t + 1);
      return after;
    } catch (e) {
      setProblems(problemsOf(e));
      throw e;
    }
  };
  const save = useSubmit(async () => `Routing rules saved as version ${(await put(text)).version}`);

  return (
    <Page title="Routing rules" description="Decide where each gateway call goes: rules are checked from the top and the first that matches wins. Without a match, a call goes to the model it asks for.">
      <DataView state={current}>
        {(c) => (
          <div className="routing-layout">
            <Panel
              title={
                <span className="row">
                  Rules {c.version ? <Badge tone="success">version {c.version} live</Badge> : <Badge>none saved</Badge>}
                  {dirty ? <Badge tone="warning">unsaved changes</Badge> : null}
                </span>
              }
              actions={
                canEdit ? (
                  <span className="row">
                    {dirty ? <Button variant="secondary" onClick={() => { setDraft(null); setProblems([]); }}>Discard changes</Button> : null}
                    <Button busy={save.busy} disabled={!dirty} onClick={() => void save.run()}>Save rules</Button>
                  </span>
                ) : null
              }
            >
              {c.updatedAt ? (
                <p className="muted small" title={dateTime(c.updatedAt)}>
                  Saved {relative(c.updatedAt)}{c.updatedBy ? ` by ${who(c.updatedBy)}` : ""}. Changes apply to new calls within seconds.
                </p>
              ) : null}
              {!c.yaml && draft === null ? (
                <div className="banner banner-info">
                  <span>No rules yet: every call goes to the model it asks for.</span>
                  {canEdit ? <Button variant="secondary" onClick={() => setDraft(EXAMPLE_RULES)}>Start from an example</Button> : null}
                </div>
              ) : null}
              <RoutingEditor value={text} onChange={(v) => setDraft(v)} errors={problems} warnings={dirty ? [] : c.warnings} onSave={() => dirty && canEdit && void save.run()} readOnly={!canEdit} />
              {problems.length ? null : <FormError form={save} />}
            </Panel>
            <RoutingHistory
              refresh={historyTick}
              canEdit={canEdit}
              who={who}
              onLoad={(v) => {
                setDraft(v.yaml);
                setProblems([]);
              }}
              onRestore={async (v) => {
                await put(v.yaml);
              }}
            />
          </div>
        )}
      </DataView>
      <DryRunPanel draft={text} dirty={dirty} savedVersion={current.data?.version ?? 0} onDraftProblems={setProblems} />
    </Page>
  );
}
