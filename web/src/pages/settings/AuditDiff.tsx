/** An audit entry's before/after as a field-by-field table, changed fields first and marked. */
import type { Schemas } from "../../api/client";
import { type DiffKind, diffRows } from "./audit-diff";

const ORDER: Record<DiffKind, number> = { changed: 0, added: 1, removed: 2, same: 3 };
const WORD: Record<DiffKind, string> = { changed: "changed", added: "added", removed: "removed", same: "unchanged" };

export function AuditDiff({ entry }: { entry: Schemas["AuditEntry"] }) {
  const rows = diffRows(entry.before, entry.after).sort((x, y) => ORDER[x.kind] - ORDER[y.kind]);
  return (
    <div className="audit-detail stack">
      {rows.length ? (
        <div className="table-wrap">
          <table className="table audit-diff">
            <caption className="sr-only">Changes recorded by {entry.action}</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.path} className={`diff-${r.kind}`}>
                  <th scope="row"><code>{r.path}</code> <span className="sr-only">({WORD[r.kind]})</span></th>
                  <td className="diff-before">{r.before === undefined ? <span className="muted">—</span> : <code>{r.before}</code>}</td>
                  <td className="diff-after">{r.after === undefined ? <span className="muted">—</span> : <code>{r.after}</code>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">This action recorded no before or after state.</p>
      )}
      <p className="muted small">
        Entry <code>{entry.id}</code>
        {entry.requestId ? <> · request <code>{entry.requestId}</code></> : null}
        {entry.ip ? <> · from {entry.ip}</> : null}
      </p>
    </div>
  );
}
