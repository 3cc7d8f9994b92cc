/**
 * Small SVG charts with no chart library: a multi-series line chart over time and a
 * horizontal bar chart. Each has a text alternative (a table for screen readers).
 */
import { useId } from "react";

export type Point = { x: number; y: number };
export type Series = { name: string; points: Point[] };

const COLORS = ["#1d4ed8", "#d97706", "#059669", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#65a30d"];
export const seriesColor = (i: number) => COLORS[i % COLORS.length] as string;

function ticks(max: number, count = 4): number[] {
  if (max <= 0) return [0];
  const step = max / count;
  return Array.from({ length: count + 1 }, (_, i) => i * step);
}

export function LineChart({ series, height = 220, format = (v: number) => String(Math.round(v)), xFormat = (x: number) => new Date(x).toLocaleDateString("en-US", { month: "short", day: "numeric" }), label }: {
  series: Series[];
  height?: number;
  format?: (v: number) => string;
  xFormat?: (x: number) => string;
  label: string;
}) {
  const titleId = useId();
  const width = 640;
  const pad = { l: 64, r: 12, t: 12, b: 28 };
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = series.flatMap((s) => s.points.map((p) => p.y));
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const maxY = Math.max(0, ...ys) * 1.1 || 1;
  const sx = (x: number) => pad.l + (maxX === minX ? 0.5 : (x - minX) / (maxX - minX)) * (width - pad.l - pad.r);
  const sy = (y: number) => pad.t + (1 - y / maxY) * (height - pad.t - pad.b);
  const xTicks = xs.length ? [minX, minX + (maxX - minX) / 2, maxX] : [];
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={titleId} preserveAspectRatio="none">
        <title id={titleId}>{label}</title>
        {ticks(maxY).map((t) => (
          <g key={t}>
            <line x1={pad.l} x2={width - pad.r} y1={sy(t)} y2={sy(t)} className="chart-grid" />
            <text x={pad.l - 6} y={sy(t) + 4} textAnchor="end" className="chart-label">{format(t)}</text>
          </g>
        ))}
        {xTicks.map((x, i) => (
          <text key={i} x={sx(x)} y={height - 8} textAnchor={i === 0 ? "start" : i === 2 ? "end" : "middle"} className="chart-label">{xFormat(x)}</text>
        ))}
        {series.map((s, i) => (
          <polyline key={s.name} fill="none" stroke={seriesColor(i)} strokeWidth={2} points={s.points.map((p) => `${sx(p.x)},${sy(p.y)}`).join(" ")} />
        ))}
      </svg>
      <figcaption className="legend">
        {series.map((s, i) => (
          <span key={s.name}><i style={{ background: seriesColor(i) }} />{s.name}</span>
        ))}
      </figcaption>
      <table className="sr-only">
        <caption>{label}</caption>
        <tbody>
          {series.map((s) => (
            <tr key={s.name}><th scope="row">{s.name}</th><td>{s.points.map((p) => `${xFormat(p.x)}: ${format(p.y)}`).join(", ")}</td></tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

export function BarChart({ bars, format = (v: number) => String(v), label }: { bars: { label: string; value: number }[]; format?: (v: number) => string; label: string }) {
  const max = Math.max(0, ...bars.map((b) => b.value)) || 1;
  return (
    <figure className="bars" aria-label={label}>
      {bars.map((b, i) => (
        <div key={b.label} className="bar-row">
          <span className="bar-label" title={b.label}>{b.label}</span>
          <span className="bar-track"><span className="bar-fill" style={{ width: `${(b.value / max) * 100}%`, background: seriesColor(i) }} /></span>
          <span className="bar-value">{format(b.value)}</span>
        </div>
      ))}
    </figure>
  );
}
