/** Every version of one model's price, newest first, with the one in effect marked. */
import { api, type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { Badge } from "../../components/Badge";
import { Dialog } from "../../components/Dialog";
import { DataView, Empty } from "../../components/States";
import { type Column, Table } from "../../components/Table";
import { dateTime } from "../../lib/format";
import { perMtok } from "./price-format";

type Version = Schemas["PriceVersion"];

const columns: Column<Version>[] = [
  { header: "From", render: (v) => dateTime(v.effectiveFrom) },
  { header: "Input", align: "right", render: (v) => perMtok(v.inputPerMtok) },
  { header: "Output", align: "right", render: (v) => perMtok(v.outputPerMtok) },
  { header: "Cached input", align: "right", render: (v) => perMtok(v.cachedInputPerMtok) },
  { header: "Source", render: (v) => (v.source === "tenant" ? <Badge tone="info">yours</Badge> : <Badge>platform</Badge>) },
  { header: "", render: (v) => (v.current ? <Badge tone="success">in effect</Badge> : null) },
];

export function PriceHistoryDialog({ provider, model, onClose }: { provider: string; model: string; onClose: () => void }) {
  const history = useApi(() => unwrap(api.GET("/gateway/prices/history", { params: { query: { provider, model } } })), [provider, model]);
  return (
    <Dialog open title={`Price history of ${provider}/${model}`} onClose={onClose}>
      <DataView state={history} isEmpty={(d) => d.data.length === 0} empty={<Empty title="No price versions" />}>
        {(d) => <Table caption="Price versions" rows={d.data} columns={columns} rowKey={(v) => v.id} />}
      </DataView>
    </Dialog>
  );
}
