/** Audit entries, newest first; a row opens to show what changed. */
import { Fragment, useState } from "react";
import type { Schemas } from "../../api/client";
import { Badge } from "../../components/Badge";
import { dateTime, relative } from "../../lib/format";
import { AuditDiff } from "./AuditDiff";

type Entry = Schemas["AuditEntry"];

const ACTOR_TONE = { user: "neutral", api_key: "info", system: "warning" } as const;

export function AuditTable({ entries, actorName }: { entries: Entry[]; actorName: (e: Entry) => string }) {
  const [open, setOpen] = useState<Set<string>>(new Set());
  const toggle = (id: string) => setOpen((s) => {
    const next = new Set(s);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });
  return (
    <div className="table-wrap">
      <table className="table audit-table">
        <caption className="sr-only">Audit log, newest first</caption>
        <thead>
          <tr>
            <th scope="col"><span className="sr-only">Details</span></th>
            <th scope="col">When</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Resource</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => {
            const expanded = open.has(e.id);
            return (
              <Fragment key={e.id}>
                <tr className={expanded ? "audit-row audit-row-open" : "audit-row"} onClick={() => toggle(e.id)}>
                  <td>
                    <button type="button" className="btn btn-ghost row-toggle" aria-expanded={expanded} aria-controls={`audit-${e.id}`} aria-label={`Details of ${e.action} at ${dateTime(e.createdAt)}`} onClick={(ev) => { ev.stopPropagation(); toggle(e.id); }}>
                      {expanded ? "▾" : "▸"}
                    </button>
                  </td>
                  <td><span title={dateTime(e.createdAt)}>{dateTime(e.createdAt)}</span><div className="muted small">{relative(e.createdAt)}</div></td>
                  <td><Badge tone={ACTOR_TONE[e.actorType]}>{e.actorType.replace("_", " ")}</Badge> {actorName(e)}</td>
                  <td><code>{e.action}</code></td>
                  <td>{e.resourceType.replace(/_/g, " ")} {e.resourceId ? <code className="muted small">{e.resourceId}</code> : null}</td>
                </tr>
                {expanded ? (
                  <tr id={`audit-${e.id}`} className="audit-expansion">
                    <td colSpan={5}><AuditDiff entry={e} /></td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
