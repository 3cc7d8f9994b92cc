/**
 * One provider's daily calls: the history as a solid line, the forecast as a dashed line
 * inside its shaded ~80 % interval, and a marker where today begins. Dates are UTC days.
 */
import { useEffect, useId, useRef, useState } from "react";
import type { Schemas } from "../../api/client";
import { seriesColor } from "../../components/Charts";
import { num } from "../../lib/format";

type ProviderVolume = Schemas["ProviderVolumeForecast"];

const H = 220;
const PAD = { l: 52, r: 12, t: 12, b: 28 };

/** The element's width in CSS pixels, followed as it changes (the chart is drawn at that size, so its labels stay 11px). */
function useWidth(fallback: number) {
  const ref = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry && entry.contentRect.width > 0) setWidth(Math.round(entry.contentRect.width));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return { ref, width: Math.max(280, width) };
}

const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`);
const label = (x: number) => new Date(x).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

export function ForecastChart({ volume, color = 0 }: { volume: ProviderVolume; color?: number }) {
  const titleId = useId();
  const { ref, width: W } = useWidth(640);
  const history = volume.history.map((p) => ({ x: dayMs(p.date), y: p.calls }));
  const forecast = volume.forecast.map((p) => ({ x: dayMs(p.date), y: p.calls, low: p.low, high: p.high }));
  const xs = [...history, ...forecast].map((p) => p.x);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const maxY = Math.max(1, ...history.map((p) => p.y), ...forecast.map((p) => p.high)) * 1.1;
  const sx = (x: number) => PAD.l + (maxX === minX ? 0.5 : (x - minX) / (maxX - minX)) * (W - PAD.l - PAD.r);
  const sy = (y: number) => PAD.t + (1 - y / maxY) * (H - PAD.t - PAD.b);
  const line = (pts: { x: number; y: number }[]) => pts.map((p) => `${sx(p.x)},${sy(p.y)}`).join(" ");
  const band = [...forecast.map((p) => `${sx(p.x)},${sy(p.high)}`), ...[...forecast].reverse().map((p) => `${sx(p.x)},${sy(p.low)}`)].join(" ");
  const lastHistory = history[history.length - 1];
  // The forecast line starts from the last real day so the two read as one series.
  const forecastLine = lastHistory ? [lastHistory, ...forecast] : forecast;
  const today = forecast[0]?.x;
  const stroke = seriesColor(color);
  const yTicks = [0, maxY / 2, maxY];

  return (
    <figure className="chart forecast-chart" ref={ref}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={titleId} preserveAspectRatio="none">
        <title id={titleId}>{`Daily calls to ${volume.provider}: history and forecast`}</title>
        {yTicks.map((t) => (
          <g key={t}>
            <line x1={PAD.l} x2={W - PAD.r} y1={sy(t)} y2={sy(t)} className="chart-grid" />
            <text x={PAD.l - 6} y={sy(t) + 4} textAnchor="end" className="chart-label">{num(t)}</text>
          </g>
        ))}
        {forecast.length > 0 ? <polygon points={band} fill={stroke} opacity={0.14} /> : null}
        {today !== undefined ? <line x1={sx(today)} x2={sx(today)} y1={PAD.t} y2={H - PAD.b} className="forecast-today" /> : null}
        <polyline fill="none" stroke={stroke} strokeWidth={2} points={line(history)} />
        <polyline fill="none" stroke={stroke} strokeWidth={2} strokeDasharray="6 4" points={line(forecastLine)} />
        {xs.length ? [minX, today ?? maxX, maxX].map((x, i) => (
          <text key={i} x={sx(x)} y={H - 8} textAnchor={i === 0 ? "start" : i === 2 ? "end" : "middle"} className="chart-label">{i === 1 && today !== undefined ? "today" : label(x)}</text>
        )) : null}
      </svg>
      <figcaption className="legend">
        <span><i style={{ background: stroke }} />History</span>
        <span><i className="legend-dashed" style={{ borderColor: stroke }} />Forecast</span>
        <span><i style={{ background: stroke, opacity: 0.25 }} />~80 % interval</span>
      </figcaption>
      <table className="sr-only">
        <caption>{`Daily calls to ${volume.provider}`}</caption>
        <tbody>
          {volume.history.map((p) => <tr key={p.date}><th scope="row">{p.date}</th><td>{p.calls} calls</td></tr>)}
          {volume.forecast.map((p) => <tr key={`f-${p.date}`}><th scope="row">{p.date} (forecast)</th><td>{num(p.calls, 1)} calls, between {num(p.low, 1)} and {num(p.high, 1)}</td></tr>)}
        </tbody>
      </table>
    </figure>
  );
}
