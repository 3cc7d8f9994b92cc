/**
 * A labelled progress bar (0..1) that screen readers announce as a percentage. `compact`
 * keeps the label for screen readers only (inside a table row that already names it).
 */
export function ProgressBar({ label, value, detail, compact }: { label: string; value: number; detail?: string; compact?: boolean }) {
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <div className="progress-field">
      <div className="progress-head small">
        <span className={compact ? "sr-only" : undefined}>{label}</span>
        <span className="muted">{detail ?? `${pct} %`}</span>
      </div>
      <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-valuetext={detail ?? `${pct} %`}>
        <span style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
