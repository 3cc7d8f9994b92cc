/** A budget-style gauge: how much of a limit is used, coloured at 80 % and 100 %. */
import type { ReactNode } from "react";

export function Gauge({ label, value, max, display, footer }: { label: string; value: number; max: number; display?: ReactNode; footer?: ReactNode }) {
  const ratio = max > 0 ? value / max : 0;
  const tone = ratio >= 1 ? "danger" : ratio >= 0.8 ? "warning" : "ok";
  return (
    <div className={`gauge gauge-${tone}`}>
      <div className="gauge-head">
        <span className="gauge-label">{label}</span>
        <span className="gauge-value">{display ?? `${Math.round(ratio * 100)} %`}</span>
      </div>
      <div className="gauge-track" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={Math.min(value, max)} aria-valuetext={`${Math.round(ratio * 100)} percent used`}>
        <div className="gauge-fill" style={{ width: `${Math.min(100, ratio * 100)}%` }} />
      </div>
      {footer ? <div className="gauge-footer muted small">{footer}</div> : null}
    </div>
  );
}
