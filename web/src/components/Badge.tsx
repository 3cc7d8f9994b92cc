import type { ReactNode } from "react";

export type Tone = "neutral" | "info" | "success" | "warning" | "danger";

export function Badge({ tone = "neutral", children }: { tone?: Tone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

const TONES: Record<string, Tone> = {
  complete: "success", succeeded: "success", delivered: "success", registered: "success", active: "success", closed: "success", ok: "success", ready: "success", resolved: "success", approved: "success",
  running: "info", queued: "info", pending: "info", validating: "info", registering: "info", waiting: "info", sleeping: "info", half_open: "warning", retrying: "warning",
  paused: "warning", open: "danger", errored: "danger", failed: "danger", rejected: "danger", timed_out: "danger", registration_failed: "danger", disabled: "neutral",
  cancelled: "neutral", terminated: "neutral", revoked: "neutral",
};

/** A status word in the colour users learn once: green done, blue in progress, amber attention, red failed. */
export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={TONES[status] ?? "neutral"}>{status.replace(/_/g, " ")}</Badge>;
}
