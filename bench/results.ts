/**
 * The shape of bench/results/latest.json.
 */
import type { HttpLoadResult, StreamLoadResult } from "./load/protocol.ts";
import type { Machine } from "./lib/machine.ts";
import type { Profile } from "./profile.ts";

export type TargetId = "sim" | "passthrough" | "auterity" | "portkey" | "wranglerDev";

/**
 * Load results carry how much of the machine other processes used meanwhile, and the CPU
 * the server's process tree spent per completed call (warm-up calls included in both).
 */
export type Charged = { foreignCpuPct: number; serverCpuUsPerCall: number | null };
export type HttpPhase = HttpLoadResult & Charged;
export type StreamPhase = StreamLoadResult & Charged;

export type TargetResult = {
  id: TargetId;
  label: string;
  http: HttpPhase[];
  stream: StreamPhase[];
  /** Requests the simulator received while this target was measured (proves the target reached it). */
  simRequests: number | null;
  error: string | null;
};

export type MemorySample = { atMs: number; rssMiB: number };
export type MemoryRound = { streams: number; failed: number; peakMiB: number; meanMiB: number; afterMiB: number };
export type MemoryResult = {
  pid: number;
  baselineMiB: number;
  rounds: MemoryRound[];
  samples: MemorySample[];
  flat: boolean;
  rule: string;
};

export type UsageCheck = { rowsWritten: number; simRequests: number | null };

/**
 * One target and how the run fared against it. `busiestOtherCpuPct` is the most CPU other
 * processes took during the phases it compares: above ~20 %, read latency verdicts as rough.
 */
export type Check = { name: string; value: number | null; unit: string; target: string; pass: boolean | null; margin: string; busiestOtherCpuPct: number | null };

export type Derived = {
  addedLatencyMs: { p50: number | null; p99: number | null; concurrency: number };
  throughput: { auterityOverPortkey: number | null; auterityOverPassthrough: number | null; basis: string; byConcurrency: Record<string, { overPortkey: number | null; overPassthrough: number | null }> };
  ttftAddedMs: { p50: number | null; p99: number | null; concurrency: number };
  /**
   * Server CPU per non-streamed call at the same concurrency: the figure other load on the
   * machine disturbs least, and the throughput ratios it implies when CPU is the limit.
   */
  cpu: { concurrency: number; passthroughUs: number | null; auterityUs: number | null; portkeyUs: number | null; addedUs: number | null; auterityOverPortkey: number | null; auterityOverPassthrough: number | null };
};

export type MicroResult = { name: string; nsPerOp: number; opsPerSec: number; note: string };

export type Results = {
  startedAt: string;
  seconds: number;
  machine: Machine;
  loadavg: { start: number[]; end: number[] };
  config: Record<string, unknown>;
  targets: TargetResult[];
  memory: MemoryResult | null;
  usage: UsageCheck | null;
  /** Cost of each step of the call path in workerd (bench/probe-worker.ts). */
  profile: Profile | null;
  derived: Derived;
  checks: Check[];
  micro: MicroResult[] | null;
  logs: string;
};
