/**
 * A small layered layout (after Sugiyama): rank each node by its longest path from the
 * start, break edges that span ranks into chains of invisible points, order each rank by
 * the mean position of its neighbours (a few sweeps down and up), then place nodes as close
 * to their neighbours as their order and widths allow (isotonic regression per rank).
 * Ranks run top to bottom.
 */
import { END, type Graph, type GraphEdge, type GraphNode, START } from "./build";

export type Size = { w: number; h: number };
export type PlacedNode = GraphNode & { x: number; y: number } & Size;
export type PlacedEdge = GraphEdge & { points: { x: number; y: number }[] };
export type Layout = { nodes: PlacedNode[]; edges: PlacedEdge[]; width: number; height: number };

const STEP_H = 46;
const RANK_GAP = 50;
const NODE_GAP = 28;
const MARGIN = 16;
// Wide enough that a label on an edge passing through sits clear of its neighbours' labels.
const DUMMY: Size = { w: 56, h: 0 };

type Item = { id: string; size: Size; rank: number; x: number };

export function sizeOf(node: GraphNode): Size {
  if (node.kind === "step") return { w: 172, h: STEP_H };
  if (node.kind === "join") return { w: 84, h: 22 };
  return { w: 84, h: 30 };
}

function ranks(graph: Graph): Map<string, number> {
  const incoming = new Map<string, number>(graph.nodes.map((n) => [n.id, 0]));
  for (const e of graph.edges) incoming.set(e.to, (incoming.get(e.to) ?? 0) + 1);
  const rank = new Map<string, number>(graph.nodes.map((n) => [n.id, 0]));
  const queue = graph.nodes.filter((n) => incoming.get(n.id) === 0).map((n) => n.id);
  while (queue.length) {
    const id = queue.shift() as string;
    for (const e of graph.edges) {
      if (e.from !== id) continue;
      rank.set(e.to, Math.max(rank.get(e.to) ?? 0, (rank.get(id) ?? 0) + 1));
      const left = (incoming.get(e.to) ?? 1) - 1;
      incoming.set(e.to, left);
      if (left === 0) queue.push(e.to);
    }
  }
  // The end sits alone on the last rank.
  const last = Math.max(0, ...[...rank.entries()].filter(([id]) => id !== END).map(([, r]) => r));
  if (rank.has(END)) rank.set(END, last + 1);
  return rank;
}

/** Pool-adjacent-violators: positions closest to `want` that keep order and minimum gaps. */
function settle(items: Item[], want: number[]): void {
  const offsets: number[] = [];
  let acc = 0;
  items.forEach((it, i) => {
    if (i > 0) acc += ((items[i - 1] as Item).size.w + it.size.w) / 2 + NODE_GAP;
    offsets.push(acc);
  });
  const blocks: { sum: number; count: number }[] = [];
  want.forEach((w, i) => {
    blocks.push({ sum: w - (offsets[i] as number), count: 1 });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1] as { sum: number; count: number };
      const a = blocks[blocks.length - 2] as { sum: number; count: number };
      if (a.sum / a.count <= b.sum / b.count) break;
      blocks.splice(blocks.length - 2, 2, { sum: a.sum + b.sum, count: a.count + b.count });
    }
  });
  let i = 0;
  for (const b of blocks) {
    for (let k = 0; k < b.count; k++, i++) (items[i] as Item).x = b.sum / b.count + (offsets[i] as number);
  }
}

type Adjacency = { up: Map<string, string[]>; down: Map<string, string[]> };

/** Long edges become chains through invisible points, one per rank they cross. */
function chainEdges(graph: Graph, items: Map<string, Item>, rank: Map<string, number>): { chains: string[][]; adj: Adjacency } {
  const adj: Adjacency = { up: new Map(), down: new Map() };
  const link = (a: string, b: string) => {
    adj.down.set(a, [...(adj.down.get(a) ?? []), b]);
    adj.up.set(b, [...(adj.up.get(b) ?? []), a]);
  };
  const chains = graph.edges.map((e, ei) => {
    const chain = [e.from];
    for (let r = (rank.get(e.from) ?? 0) + 1; r < (rank.get(e.to) ?? 0); r++) {
      const id = `~${ei}.${r}`;
      items.set(id, { id, size: DUMMY, rank: r, x: 0 });
      chain.push(id);
    }
    chain.push(e.to);
    for (let k = 1; k < chain.length; k++) link(chain[k - 1] as string, chain[k] as string);
    return chain;
  });
  return { chains, adj };
}

/** Depth-first order from the start (so the first case stays left), then barycenter sweeps. */
function orderLayers(items: Map<string, Item>, adj: Adjacency): string[][] {
  const layers: string[][] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    (layers[(items.get(id) as Item).rank] ??= []).push(id);
    for (const next of adj.down.get(id) ?? []) visit(next);
  };
  visit(START);
  for (const id of items.keys()) visit(id);

  const position = new Map<string, number>();
  const index = () => layers.forEach((layer) => layer.forEach((id, i) => position.set(id, i)));
  index();
  const mean = (ids: string[] | undefined) => (ids?.length ? ids.reduce((s, id) => s + (position.get(id) ?? 0), 0) / ids.length : null);
  for (let sweep = 0; sweep < 4; sweep++) {
    const downward = sweep % 2 === 0;
    for (const r of sweepOrder(layers.length, downward)) {
      const keyed = (layers[r] ?? []).map((id, i) => ({ id, key: mean(downward ? adj.up.get(id) : adj.down.get(id)) ?? i }));
      keyed.sort((a, b) => a.key - b.key);
      layers[r] = keyed.map((k) => k.id);
      index();
    }
  }
  return layers;
}

const sweepOrder = (n: number, downward: boolean) => Array.from({ length: n }, (_, i) => (downward ? i : n - 1 - i));

/** Packs each rank, then pulls nodes toward the mean x of their neighbours, down and up, ending downward so chains hang straight below their parents. */
function placeX(layers: string[][], items: Map<string, Item>, adj: Adjacency): void {
  const rows = layers.map((layer) => layer.map((id) => items.get(id) as Item));
  for (const row of rows) settle(row, row.map(() => 0));
  for (let pass = 0; pass < 7; pass++) {
    const downward = pass % 2 === 0;
    for (const r of sweepOrder(rows.length, downward)) {
      const row = rows[r] ?? [];
      const want = row.map((it) => {
        const near = (downward ? adj.up.get(it.id) : adj.down.get(it.id)) ?? [];
        return near.length ? near.reduce((s, id) => s + (items.get(id) as Item).x, 0) / near.length : it.x;
      });
      settle(row, want);
    }
  }
}

export function layoutGraph(graph: Graph): Layout {
  const rank = ranks(graph);
  const items = new Map<string, Item>(graph.nodes.map((n) => [n.id, { id: n.id, size: sizeOf(n), rank: rank.get(n.id) ?? 0, x: 0 }]));
  const { chains, adj } = chainEdges(graph, items, rank);
  placeX(orderLayers(items, adj), items, adj);

  const all = [...items.values()];
  const minX = Math.min(...all.map((it) => it.x - it.size.w / 2));
  const maxX = Math.max(...all.map((it) => it.x + it.size.w / 2));
  const rowHeight = STEP_H + RANK_GAP;
  const at = (it: Item) => ({ x: it.x - minX + MARGIN, y: MARGIN + STEP_H / 2 + it.rank * rowHeight });

  const nodes: PlacedNode[] = graph.nodes.map((n) => {
    const it = items.get(n.id) as Item;
    return { ...n, ...at(it), ...it.size };
  });
  const edges: PlacedEdge[] = graph.edges.map((e, ei) => {
    const chain = chains[ei] as string[];
    const points = chain.map((id, k) => {
      const it = items.get(id) as Item;
      const p = at(it);
      if (k === 0) return { x: p.x, y: p.y + it.size.h / 2 };
      return k === chain.length - 1 ? { x: p.x, y: p.y - it.size.h / 2 } : p;
    });
    return { ...e, points };
  });
  const lastRank = Math.max(0, ...all.map((it) => it.rank));
  return { nodes, edges, width: maxX - minX + 2 * MARGIN, height: 2 * MARGIN + STEP_H + lastRank * rowHeight };
}
