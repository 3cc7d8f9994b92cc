/** The problems of an invalid definition: each names its line, step and path; a click selects the line. */
import type { DefinitionProblem } from "../api-errors";

export function ProblemList({ problems, onPick }: { problems: DefinitionProblem[]; onPick: (line: number) => void }) {
  if (!problems.length) return null;
  return (
    <div className="wf-problems" role="alert">
      <strong>{problems.length === 1 ? "1 problem" : `${problems.length} problems`} in the definition</strong>
      <ul>
        {problems.map((p, i) => (
          <li key={`${p.path}-${i}`}>
            {p.line ? (
              <button type="button" className="btn btn-ghost wf-problem-line" onClick={() => onPick(p.line as number)}>
                Line {p.line}
                {p.column ? `:${p.column}` : ""}
              </button>
            ) : null}
            {p.stepId ? <code className="wf-problem-step">{p.stepId}</code> : null}
            <code className="muted">{p.path}</code>
            <span>{p.message}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
