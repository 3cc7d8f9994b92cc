/** Saved versions of the routing rules, newest first; each can be viewed, loaded or restored. */
import { useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { Panel } from "../../components/Page";
import { DataView, Empty, ErrorState } from "../../components/States";
import { dateTime, relative } from "../../lib/format";
import { RoutingVersionDialog } from "./RoutingVersionDialog";

type Version = Schemas["RoutingRulesVersion"];
const PAGE = 20;

export function RoutingHistory({ refresh, canEdit, who, onLoad, onRestore }: {
  refresh: number;
  canEdit: boolean;
  who: (userId: string | null) => string | null;
  onLoad: (v: Version) => void;
  onRestore: (v: Version) => Promise<void>;
}) {
  const history = useApi(() => unwrap(api.GET("/gateway/routing/history", { params: { query: { limit: PAGE } } })), [refresh]);
  const [viewing, setViewing] = useState<Version | null>(null);
  const [more, setMore] = useState<{ busy: boolean; error?: Error }>({ busy: false });
  const older = async (before: number) => {
    setMore({ busy: true });
    try {
      const page = await unwrap(api.GET("/gateway/routing/history", { params: { query: { limit: PAGE, before } } }));
      history.setData((d) => d && { data: [...d.data, ...page.data], nextBefore: page.nextBefore });
      setMore({ busy: false });
    } catch (e) {
      setMore({ busy: false, error: e as Error });
    }
  };
  return (
    <Panel title="History">
      <DataView state={history} isEmpty={(d) => d.data.length === 0} empty={<Empty title="Nothing saved yet">Each save keeps a version you can come back to.</Empty>}>
        {(d) => (
          <>
            <ol className="routing-history">
              {d.data.map((v) => (
                <li key={v.id}>
                  <div>
                    <strong>Version {v.version}</strong> {v.current ? <Badge tone="success">live</Badge> : null}
                    <div className="muted small" title={dateTime(v.createdAt)}>
                      {relative(v.createdAt)}
                      {v.createdBy ? ` · ${who(v.createdBy)}` : ""}
                    </div>
                  </div>
                  <Button variant="secondary" onClick={() => setViewing(v)} aria-label={`View version ${v.version}`}>View</Button>
                </li>
              ))}
            </ol>
            {d.nextBefore !== null ? <Button variant="ghost" busy={more.busy} onClick={() => void older(d.nextBefore as number)}>Older versions</Button> : null}
            {more.error ? <ErrorState error={more.error} /> : null}
          </>
        )}
      </DataView>
      {viewing ? (
        <RoutingVersionDialog
          version={viewing}
          savedBy={who(viewing.createdBy)}
          canEdit={canEdit}
          onClose={() => setViewing(null)}
          onLoad={() => {
            onLoad(viewing);
            setViewing(null);
          }}
          onRestore={async () => {
            await onRestore(viewing);
            setViewing(null);
          }}
        />
      ) : null}
    </Panel>
  );
}
