/** A JSON value shown pretty-printed with a copy button; "—" when there is none. */
import { CodeBlock } from "../../components/CodeBlock";

export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? "null";
}

export function JsonView({ value, label }: { value: unknown; label?: string }) {
  if (value === undefined || value === null) return <p className="muted small">{label ? `${label}: ` : ""}—</p>;
  return (
    <div className="wf-json">
      {label ? <div className="small muted">{label}</div> : null}
      <CodeBlock code={prettyJson(value)} />
    </div>
  );
}
