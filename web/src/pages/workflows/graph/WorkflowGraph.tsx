/**
 * A workflow definition drawn as a graph (SVG, laid out by layout.ts): steps as nodes
 * coloured by type — or, on a run, by each step's status — edges with arrowheads, branch
 * and parallel edges labelled. Nodes are buttons: click or Enter selects a step.
 */
import { type KeyboardEvent, useId, useMemo } from "react";
import { buildGraph } from "./build";
import { type NodeStatus, STATUS_LEGEND, type Swatch, statusSwatch, TYPE_LEGEND, typeSwatch } from "./colors";
import { layoutGraph, type PlacedEdge, type PlacedNode } from "./layout";
import { stepsOf } from "./steps";

type Props = {
  definition: unknown;
  /** Per step id; given on a run, the nodes show status instead of type. */
  statuses?: Record<string, NodeStatus>;
  selected?: string | null;
  onSelect?: (stepId: string) => void;
  label: string;
};

type Point = { x: number; y: number };

const LABEL_DROP = 36;

function pathOf(points: Point[]): string {
  const [first, ...rest] = points;
  if (!first) return "";
  let d = `M${first.x},${first.y}`;
  let prev = first;
  for (const q of rest) {
    const mid = (prev.y + q.y) / 2;
    d += ` C${prev.x},${mid} ${q.x},${mid} ${q.x},${q.y}`;
    prev = q;
  }
  return d;
}

function bezier(a: Point, b: Point, t: number): Point {
  const mid = (a.y + b.y) / 2;
  const u = 1 - t;
  return {
    x: u ** 3 * a.x + 3 * u * u * t * a.x + 3 * u * t * t * b.x + t ** 3 * b.x,
    y: u ** 3 * a.y + 3 * u * u * t * mid + 3 * u * t * t * mid + t ** 3 * b.y,
  };
}

/**
 * Where an edge's label goes: on its first curve, a fixed distance below the source, so the
 * labels of one fan-out sit on one line, spread as far apart as their targets.
 */
function labelPoint(points: Point[], drop = LABEL_DROP): Point {
  const a = points[0] as Point;
  const b = (points[1] ?? a) as Point;
  const y = Math.min(b.y, a.y + drop);
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 24; i++) {
    const t = (lo + hi) / 2;
    if (bezier(a, b, t).y < y) lo = t;
    else hi = t;
  }
  return bezier(a, b, (lo + hi) / 2);
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function EdgeLabel({ edge }: { edge: PlacedEdge }) {
  if (!edge.label) return null;
  const at = labelPoint(edge.points);
  const text = clip(edge.label, 20);
  const width = text.length * 6.1 + 10;
  return (
    <g className="wf-edge-label" transform={`translate(${at.x},${at.y})`}>
      <title>{edge.title ?? edge.label}</title>
      <rect x={-width / 2} y={-9} width={width} height={18} rx={4} />
      <text textAnchor="middle" dy="4">{text}</text>
    </g>
  );
}

function StepNode({ node, status, selected, onSelect }: { node: PlacedNode; status?: NodeStatus; selected: boolean; onSelect?: (id: string) => void }) {
  const type = node.step?.type ?? "";
  const swatch: Swatch = status ? statusSwatch(status) : typeSwatch(type);
  const select = () => onSelect?.(node.id);
  const key = (e: KeyboardEvent) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      select();
    }
  };
  const detail = status ? `${type} · ${status === "none" ? "not reached" : status}` : type;
  return (
    <g
      className={`wf-node${selected ? " wf-node-selected" : ""}${status ? ` wf-node-${status}` : ""}`}
      transform={`translate(${node.x - node.w / 2},${node.y - node.h / 2})`}
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      aria-label={`Step ${node.id}, ${detail}`}
      onClick={select}
      onKeyDown={key}
    >
      <rect width={node.w} height={node.h} rx={8} fill={swatch.fill} stroke={swatch.stroke} strokeDasharray={status === "none" || status === "skipped" ? "4 3" : undefined} />
      <rect width={5} height={node.h - 12} x={0} y={6} rx={2} fill={typeSwatch(type).stroke} />
      <text x={14} y={19} className="wf-node-title" fill={swatch.text}>{clip(node.label, 21)}</text>
      <text x={14} y={35} className="wf-node-type" fill={swatch.text}>{clip(detail, 26)}</text>
    </g>
  );
}

function MarkerNode({ node }: { node: PlacedNode }) {
  const join = node.kind === "join";
  return (
    <g className={join ? "wf-join" : "wf-terminal"} transform={`translate(${node.x - node.w / 2},${node.y - node.h / 2})`} aria-hidden="true">
      <rect width={node.w} height={node.h} rx={node.h / 2} />
      <text x={node.w / 2} y={node.h / 2 + 4} textAnchor="middle">{node.label}</text>
    </g>
  );
}

export function WorkflowGraph({ definition, statuses, selected = null, onSelect, label }: Props) {
  const layout = useMemo(() => layoutGraph(buildGraph(stepsOf(definition))), [definition]);
  const marker = `wf-arrow-${useId().replace(/[^a-zA-Z0-9]/g, "")}`;
  const legend = statuses ? STATUS_LEGEND : TYPE_LEGEND;
  return (
    // As wide as the drawing (the legend wraps under it), never wider than the page.
    <figure className="wf-graph" style={{ width: Math.max(layout.width, 360) }}>
      <div className="wf-graph-scroll">
        <svg width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`} role="group" aria-label={label}>
          <defs>
            <marker id={marker} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" className="wf-arrow" />
            </marker>
          </defs>
          {layout.edges.map((e, i) => (
            <path key={`${e.from}>${e.to}#${i}`} className="wf-edge" d={pathOf(e.points)} markerEnd={`url(#${marker})`} />
          ))}
          {layout.edges.map((e, i) => (
            <EdgeLabel key={`${e.from}>${e.to}#${i}`} edge={e} />
          ))}
          {layout.nodes.map((n) =>
            n.kind === "step" ? (
              <StepNode key={n.id} node={n} status={statuses ? (statuses[n.id] ?? "none") : undefined} selected={selected === n.id} onSelect={onSelect} />
            ) : (
              <MarkerNode key={n.id} node={n} />
            ),
          )}
        </svg>
      </div>
      <figcaption className="legend">
        {legend.map((l) => (
          <span key={l.label}><i style={{ background: l.swatch.fill, border: `1px solid ${l.swatch.stroke}` }} />{l.label}</span>
        ))}
      </figcaption>
    </figure>
  );
}
