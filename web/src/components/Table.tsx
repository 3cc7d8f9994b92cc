/** A data table: semantic <table>, scrolls sideways on narrow screens, optional clickable rows. */
import type { ReactNode } from "react";

export type Column<T> = { header: ReactNode; render: (row: T) => ReactNode; align?: "left" | "right"; className?: string };

export function Table<T>({ rows, columns, rowKey, caption, onRowClick }: { rows: T[]; columns: Column<T>[]; rowKey: (row: T) => string; caption?: string; onRowClick?: (row: T) => void }) {
  return (
    <div className="table-wrap">
      <table className={onRowClick ? "table table-clickable" : "table"}>
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" className={c.align === "right" ? "num" : undefined}>{c.header}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={rowKey(row)}
              onClick={onRowClick ? () => onRowClick(row) : undefined}
              onKeyDown={onRowClick ? (e) => (e.key === "Enter" ? onRowClick(row) : undefined) : undefined}
              tabIndex={onRowClick ? 0 : undefined}
            >
              {columns.map((c, i) => (
                <td key={i} className={[c.align === "right" ? "num" : "", c.className ?? ""].join(" ").trim() || undefined}>{c.render(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
