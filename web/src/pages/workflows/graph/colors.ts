/** Colours of the workflow graph: a hue per kind of step, and one per step-run status. */

export type Swatch = { fill: string; stroke: string; text: string };

const FAMILIES: Record<string, { label: string; swatch: Swatch; types: string[] }> = {
  ai: { label: "AI", swatch: { fill: "#f3e8ff", stroke: "#9333ea", text: "#581c87" }, types: ["ai"] },
  dealership: { label: "Dealership", swatch: { fill: "#e3f6ee", stroke: "#059669", text: "#065f46" }, types: ["adf_parse", "sentiment", "intent", "lead_score", "quality_score", "service_due"] },
  flow: { label: "Flow", swatch: { fill: "#fdf3e1", stroke: "#d97706", text: "#78350f" }, types: ["branch", "parallel"] },
  wait: { label: "Wait", swatch: { fill: "#fff1f2", stroke: "#e11d48", text: "#881337" }, types: ["sleep", "wait_for_event", "approval"] },
  io: { label: "Outbound", swatch: { fill: "#e0f2fe", stroke: "#0284c7", text: "#0c4a6e" }, types: ["http", "emit", "subworkflow"] },
  data: { label: "Data", swatch: { fill: "#f1f5f9", stroke: "#64748b", text: "#1e293b" }, types: ["transform"] },
};

const BY_TYPE = new Map<string, Swatch>(Object.values(FAMILIES).flatMap((f) => f.types.map((t) => [t, f.swatch] as const)));

export function typeSwatch(type: string): Swatch {
  return BY_TYPE.get(type) ?? (FAMILIES.data as { swatch: Swatch }).swatch;
}

export const TYPE_LEGEND = Object.values(FAMILIES).map((f) => ({ label: f.label, swatch: f.swatch }));

/** "none": the run never reached the step (a branch not taken, or not yet). */
export type NodeStatus = "pending" | "running" | "waiting" | "succeeded" | "failed" | "skipped" | "cancelled" | "none";

const STATUS: Record<NodeStatus, Swatch> = {
  succeeded: { fill: "#e3f6ee", stroke: "#047857", text: "#065f46" },
  running: { fill: "#e8efff", stroke: "#1d4ed8", text: "#1e3a8a" },
  waiting: { fill: "#fdf3e1", stroke: "#b45309", text: "#78350f" },
  pending: { fill: "#f8fafc", stroke: "#94a3b8", text: "#334155" },
  failed: { fill: "#fdecec", stroke: "#b91c1c", text: "#7f1d1d" },
  skipped: { fill: "#f8fafc", stroke: "#cbd5e1", text: "#64748b" },
  cancelled: { fill: "#f1f5f9", stroke: "#64748b", text: "#475569" },
  none: { fill: "#ffffff", stroke: "#cbd5e1", text: "#94a3b8" },
};

export function statusSwatch(status: NodeStatus): Swatch {
  return STATUS[status];
}

export const STATUS_LEGEND = (Object.keys(STATUS) as NodeStatus[]).map((s) => ({ label: s === "none" ? "not reached" : s, swatch: STATUS[s] }));
