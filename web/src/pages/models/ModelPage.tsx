/**
 * One model: its versions and their lineage, the champion / challenger aliases with the
 * canary share, eval results, promotion, rollback and the history of alias moves.
 */
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { useMe } from "../../app/me";
import { Link } from "../../app/router";
import type { PageProps } from "../../app/routes";
import { Button } from "../../components/Button";
import { Page, Stats } from "../../components/Page";
import { DataView } from "../../components/States";
import { AliasHistoryPanel, rollbackTarget } from "./AliasHistoryPanel";
import { CanaryPanel } from "./CanaryPanel";
import { EvalsPanel } from "./EvalsPanel";
import { PromoteDialog } from "./PromoteDialog";
import { RollbackDialog } from "./RollbackDialog";
import { RunEvalDialog } from "./RunEvalDialog";
import { versionLabel } from "./labels";
import type { ModelVersion } from "./types";
import { VersionsPanel } from "./VersionsPanel";

export default function ModelPage({ params }: PageProps) {
  const id = params.id ?? "";
  const { can } = useMe();
  const canWrite = can("models:write");
  const detail = useApi(() => unwrap(api.GET("/models/{id}", { params: { path: { id } } })), [id]);
  const evals = useApi(() => unwrap(api.GET("/models/{id}/evals", { params: { path: { id } } })).then((r) => r.data), [id]);
  const [promoting, setPromoting] = useState<ModelVersion | null>(null);
  const [evaluating, setEvaluating] = useState(false);
  const [rollingBack, setRollingBack] = useState(false);
  const model = detail.data;
  const reloadAll = () => {
    void detail.reload();
    void evals.reload();
  };

  return (
    <Page
      title={model ? model.name : "Model"}
      description={model ? <>Called as <code>ft:{model.key}</code> (the champion) or <code>ft:{model.key}@v{model.versions[0]?.version ?? 1}</code> (one version). <Link to="/models">All models</Link></> : <Link to="/models">All models</Link>}
      actions={
        model && canWrite ? (
          <>
            <Button variant="secondary" onClick={() => setEvaluating(true)} disabled={model.versions.length === 0}>Run eval</Button>
            <Button variant="danger" onClick={() => setRollingBack(true)} disabled={!rollbackTarget(model)} title={rollbackTarget(model) ? undefined : "The champion did not replace an earlier version"}>Roll back champion</Button>
          </>
        ) : null
      }
    >
      <DataView state={detail}>
        {(m) => (
          <>
            <Stats
              items={[
                { label: "Champion", value: versionLabel(m.versions, m.aliases.champion) },
                { label: "Challenger", value: versionLabel(m.versions, m.aliases.challenger), hint: m.aliases.challenger ? `canary ${m.canaryPercent} %` : undefined },
                { label: "Versions", value: m.versions.length },
                { label: "Base model", value: <code className="small">{m.baseModel}</code> },
              ]}
            />
            {m.description ? <p className="muted">{m.description}</p> : null}
            <VersionsPanel model={m} canWrite={canWrite} onPromote={setPromoting} />
            <div className="grid">
              <CanaryPanel key={m.updatedAt} model={m} canWrite={canWrite} onSaved={reloadAll} />
              <AliasHistoryPanel model={m} />
            </div>
            <EvalsPanel model={m} evals={evals} />
            <PromoteDialog
              model={m}
              version={promoting}
              onClose={() => setPromoting(null)}
              onDone={() => {
                setPromoting(null);
                reloadAll();
              }}
            />
            {evaluating ? (
              <RunEvalDialog
                model={m}
                open
                onClose={() => setEvaluating(false)}
                onDone={() => {
                  setEvaluating(false);
                  reloadAll();
                }}
              />
            ) : null}
            {rollingBack ? <RollbackDialog model={m} onClose={() => setRollingBack(false)} onDone={reloadAll} /> : null}
          </>
        )}
      </DataView>
    </Page>
  );
}
