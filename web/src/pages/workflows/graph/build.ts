/**
 * The step tree as a directed graph, following how the engine walks it: each step leads
 * to the next of its list; the last step of a nested list leads to what follows its owner;
 * a branch fans out to each case (labelled with its condition), to `else` or, without one,
 * straight on ("otherwise"); a parallel step fans out to its branches, which meet again at
 * a join node. Start and end close the graph.
 */
import { conditionText, type StepSpec } from "./steps";

export type GraphNode = { id: string; kind: "start" | "end" | "join" | "step"; label: string; step?: StepSpec };
export type GraphEdge = { from: string; to: string; label?: string; title?: string };
export type Graph = { nodes: GraphNode[]; edges: GraphEdge[] };

// Step ids are [a-z0-9_], so these can never collide with one.
export const START = "^start";
export const END = "$end";
const joinOf = (stepId: string) => `${stepId}:join`;

export function buildGraph(steps: StepSpec[]): Graph {
  const nodes: GraphNode[] = [{ id: START, kind: "start", label: "Start" }];
  const edges: GraphEdge[] = [];

  /** Places a list whose end leads to `next`; returns the node the list starts at. */
  const sequence = (list: StepSpec[], next: string): string => {
    let following = next;
    for (let i = list.length - 1; i >= 0; i--) following = place(list[i] as StepSpec, following);
    return following;
  };

  const place = (step: StepSpec, following: string): string => {
    nodes.push({ id: step.id, kind: "step", label: step.name ?? step.id, step });
    if (step.type === "branch") {
      (step.cases ?? []).forEach((c, i) => {
        edges.push({ from: step.id, to: sequence(c.steps, following), label: conditionText(c.when, true), title: `Case ${i + 1}: ${conditionText(c.when)}` });
      });
      if (step.else) edges.push({ from: step.id, to: sequence(step.else, following), label: "else", title: "Else: no case matched" });
      else edges.push({ from: step.id, to: following, label: "otherwise", title: "No case matched: carry on" });
    } else if (step.type === "parallel") {
      const join = joinOf(step.id);
      nodes.push({ id: join, kind: "join", label: "all done" });
      for (const b of step.branches ?? []) edges.push({ from: step.id, to: sequence(b.steps, join), label: b.name, title: `Branch ${b.name}` });
      edges.push({ from: join, to: following });
    } else {
      edges.push({ from: step.id, to: following });
    }
    return step.id;
  };

  const first = sequence(steps, END);
  nodes.push({ id: END, kind: "end", label: "End" });
  edges.unshift({ from: START, to: first });
  return { nodes, edges };
}
