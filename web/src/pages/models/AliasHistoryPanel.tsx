/** Every move of the champion and challenger aliases, newest first. */
import { Badge } from "../../components/Badge";
import { Panel } from "../../components/Page";
import { Empty } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { dateTime } from "../../lib/format";
import { versionLabel } from "./labels";
import type { AliasMove, ModelDetail } from "./types";

export function AliasHistoryPanel({ model }: { model: ModelDetail }) {
  const columns: Column<AliasMove>[] = [
    { header: "When", render: (h) => dateTime(h.createdAt) },
    { header: "Alias", render: (h) => <Badge tone={h.alias === "champion" ? "success" : "info"}>{h.alias}</Badge> },
    { header: "Action", render: (h) => <span>{h.action}{h.forced ? <> <Badge tone="warning">forced</Badge></> : null}</span> },
    { header: "From", render: (h) => versionLabel(model.versions, h.previousVersionId) },
    { header: "To", render: (h) => <strong>{versionLabel(model.versions, h.versionId)}</strong> },
    { header: "By", render: (h) => <span className="small">{h.actor ?? "system"}</span> },
  ];
  return (
    <Panel title="Alias history">
      {model.aliasHistory.length === 0 ? (
        <Empty title="No promotions yet" />
      ) : (
        <Table rows={model.aliasHistory} columns={columns} rowKey={(h) => `${h.createdAt}-${h.alias}-${h.versionId}-${h.action}`} caption="Alias history" />
      )}
    </Panel>
  );
}

/** The version a rollback would move the champion back to, as the API decides it. */
export function rollbackTarget(model: ModelDetail): string | null {
  const current = model.aliases.champion;
  if (!current) return null;
  const move = model.aliasHistory.find((h) => h.alias === "champion" && h.action === "promote" && h.versionId === current);
  return move?.previousVersionId ?? null;
}
