/**
 * The routing YAML editor: a monospace textarea with a line-number gutter. Lines with a
 * problem are marked in the gutter, and the list of problems under it jumps to each one.
 */
import { type KeyboardEvent, useId, useRef } from "react";
import { offsetOfLine, type RoutingProblem } from "./routing-problems";

function ProblemList({ id, problems, tone, onJump }: { id: string; problems: RoutingProblem[]; tone: "error" | "warning"; onJump: (p: RoutingProblem) => void }) {
  if (!problems.length) return null;
  return (
    <div id={id} className={`routing-problems routing-problems-${tone}`} role={tone === "error" ? "alert" : "status"}>
      <strong>{tone === "error" ? `${problems.length} problem${problems.length === 1 ? "" : "s"}: nothing was saved` : `${problems.length} warning${problems.length === 1 ? "" : "s"}`}</strong>
      <ul>
        {problems.map((p, i) => (
          <li key={`${p.line}:${p.column}:${p.path}:${i}`}>
            <button type="button" className="gw-link" onClick={() => onJump(p)}>Line {p.line}, column {p.column}</button>
            {p.path ? <code className="small"> {p.path}</code> : null}: {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function RoutingEditor({ value, onChange, errors, warnings, onSave, readOnly }: {
  value: string;
  readOnly?: boolean;
  onChange: (v: string) => void;
  errors: RoutingProblem[];
  warnings: RoutingProblem[];
  /** Ctrl/Cmd+S or Ctrl/Cmd+Enter. */
  onSave: () => void;
}) {
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const count = Math.max(1, value.split("\n").length);
  const errorLines = new Set(errors.map((p) => p.line));
  const warningLines = new Set(warnings.map((p) => p.line));

  const jump = (p: RoutingProblem) => {
    const el = area.current;
    if (!el) return;
    const start = offsetOfLine(value, p.line);
    const end = value.indexOf("\n", start);
    el.focus();
    el.setSelectionRange(start + Math.max(0, p.column - 1), end < 0 ? value.length : end);
    // Bring the line into view: line height is fixed by the stylesheet.
    const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 20;
    el.scrollTop = Math.max(0, (p.line - 3) * lineHeight);
  };
  const keys = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if ((e.ctrlKey || e.metaKey) && (e.key === "s" || e.key === "Enter")) {
      e.preventDefault();
      onSave();
    }
  };
  const described = [errors.length ? `${id}-errors` : "", warnings.length ? `${id}-warnings` : "", `${id}-hint`].filter(Boolean).join(" ");

  return (
    <div className={`field routing-editor-field ${errors.length ? "field-invalid" : ""}`}>
      <label htmlFor={id}>Rules (YAML)</label>
      <div className="gw-code-editor">
        <div className="gw-gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: count }, (_, i) => i + 1).map((n) => (
            <span key={n} className={errorLines.has(n) ? "gw-line gw-line-error" : warningLines.has(n) ? "gw-line gw-line-warning" : "gw-line"} title={errorLines.has(n) ? "Problem on this line" : undefined}>
              {n}
            </span>
          ))}
        </div>
        <textarea
          id={id}
          ref={area}
          className="gw-code"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
          onKeyDown={keys}
          readOnly={readOnly}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          wrap="off"
          aria-invalid={errors.length ? true : undefined}
          aria-describedby={described}
          rows={22}
        />
      </div>
      <div id={`${id}-hint`} className="field-hint">First matching rule wins. Ctrl+S saves. See the routing guide for every match key and strategy.</div>
      <ProblemList id={`${id}-errors`} problems={errors} tone="error" onJump={jump} />
      <ProblemList id={`${id}-warnings`} problems={warnings} tone="warning" onJump={jump} />
    </div>
  );
}
