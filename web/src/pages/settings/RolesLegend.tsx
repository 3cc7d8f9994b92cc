/** What each role may do, as a table of areas by roles. */
import { Panel } from "../../components/Page";
import { Loading } from "../../components/States";
import { accessTable, ROLES, useRoles } from "./roles";

const WORDS = { manage: "Manage", view: "View", none: "—" } as const;

export function RolesLegend() {
  const roles = useRoles();
  const rows = roles ? accessTable(roles) : null;
  return (
    <Panel title="Roles">
      <dl className="roles-summary">
        {ROLES.map((r) => (
          <div key={r.id}>
            <dt>{r.label}</dt>
            <dd className="muted">{r.summary}</dd>
          </div>
        ))}
      </dl>
      {rows ? <div className="table-wrap">
        <table className="table roles-table">
          <caption className="sr-only">What each role may do</caption>
          <thead>
            <tr>
              <th scope="col">Area</th>
              {ROLES.map((r) => <th key={r.id} scope="col">{r.label}</th>)}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.area}>
                <th scope="row">{row.area}</th>
                {ROLES.map((r) => {
                  const a = row.access[r.id];
                  return (
                    <td key={r.id} className={`access access-${a.level}`}>
                      {WORDS[a.level]}
                      {a.scoped ? <span className="muted small"> (own rooftop)</span> : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div> : <Loading />}
      <p className="muted small">API keys with the <code>admin</code> scope act as an admin; a <code>workflows</code> key may only drive workflows.</p>
    </Panel>
  );
}
