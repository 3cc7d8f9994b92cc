/**
 * From raw phase results to the derived figures, the pass/miss checks, and the Markdown
 * tables of bench/results/latest.md.
 */
import type { CpuReport } from "./cpu-profile.ts";
import type { Profile } from "./profile.ts";
import type { Check, Derived, HttpPhase, MemoryResult, Results, StreamPhase, TargetId, TargetResult } from "./results.ts";

const AT = 10;

function target(ts: TargetResult[], id: TargetId): TargetResult | undefined {
  return ts.find((t) => t.id === id && t.error === null);
}
function httpAt(ts: TargetResult[], id: TargetId, c: number): HttpPhase | undefined {
  return target(ts, id)?.http.find((p) => p.connections === c);
}
function streamAt(ts: TargetResult[], id: TargetId, c: number): StreamPhase | undefined {
  return target(ts, id)?.stream.find((p) => p.concurrency === c);
}
function peakRps(ts: TargetResult[], id: TargetId): number | null {
  const t = target(ts, id);
  return t && t.http.length > 0 ? Math.max(...t.http.map((p) => p.rps)) : null;
}
function diff(a: number | null | undefined, b: number | null | undefined): number | null {
  return a === null || a === undefined || b === null || b === undefined ? null : Math.round((a - b) * 1000) / 1000;
}
function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  return a === null || a === undefined || !b ? null : Math.round((a / b) * 100) / 100;
}

/** Added latency, throughput ratios and TTFT added, Auterity against the pass-through and Portkey. */
export function derive(ts: TargetResult[]): Derived {
  const cs = [...new Set(ts.flatMap((t) => t.http.map((p) => p.connections)))].sort((a, b) => a - b);
  const byConcurrency = Object.fromEntries(
    cs.map((c) => [
      String(c),
      { overPortkey: ratio(httpAt(ts, "auterity", c)?.rps, httpAt(ts, "portkey", c)?.rps), overPassthrough: ratio(httpAt(ts, "auterity", c)?.rps, httpAt(ts, "passthrough", c)?.rps) },
    ]),
  );
  const cpuAt = (id: TargetId) => httpAt(ts, id, AT)?.serverCpuUsPerCall ?? null;
  return {
    cpu: {
      concurrency: AT,
      passthroughUs: cpuAt("passthrough"),
      auterityUs: cpuAt("auterity"),
      portkeyUs: cpuAt("portkey"),
      addedUs: diff(cpuAt("auterity"), cpuAt("passthrough")),
      auterityOverPortkey: ratio(cpuAt("portkey"), cpuAt("auterity")),
      auterityOverPassthrough: ratio(cpuAt("passthrough"), cpuAt("auterity")),
    },
    addedLatencyMs: {
      p50: diff(httpAt(ts, "auterity", AT)?.latencyMs.p50, httpAt(ts, "passthrough", AT)?.latencyMs.p50),
      p99: diff(httpAt(ts, "auterity", AT)?.latencyMs.p99, httpAt(ts, "passthrough", AT)?.latencyMs.p99),
      concurrency: AT,
    },
    throughput: {
      auterityOverPortkey: ratio(peakRps(ts, "auterity"), peakRps(ts, "portkey")),
      auterityOverPassthrough: ratio(peakRps(ts, "auterity"), peakRps(ts, "passthrough")),
      basis: "peak non-streamed req/s of each target over the concurrencies measured",
      byConcurrency,
    },
    ttftAddedMs: {
      p50: diff(streamAt(ts, "auterity", AT)?.ttftMs.p50, streamAt(ts, "passthrough", AT)?.ttftMs.p50),
      p99: diff(streamAt(ts, "auterity", AT)?.ttftMs.p99, streamAt(ts, "passthrough", AT)?.ttftMs.p99),
      concurrency: AT,
    },
  };
}

type Verdict = Omit<Check, "busiestOtherCpuPct">;

function atMost(name: string, value: number | null, limit: number, unit: string): Verdict {
  // Nothing can add negative latency: a negative difference is noise between two phases.
  if (value !== null && value < 0) return { name, value, unit, target: `<= ${limit} ${unit}`, pass: null, margin: "inconclusive: negative difference (noise)" };
  const pass = value === null ? null : value <= limit;
  const margin = value === null ? "not measured" : pass ? `${(limit - value).toFixed(2)} ${unit} to spare` : `${(value - limit).toFixed(2)} ${unit} over`;
  return { name, value, unit, target: `<= ${limit} ${unit}`, pass, margin };
}

function atLeast(name: string, value: number | null, floor: number, unit: string): Verdict {
  const pass = value === null ? null : value >= floor;
  const margin = value === null ? "not measured" : pass ? `${(value - floor).toFixed(2)}${unit} above` : `${(floor - value).toFixed(2)}${unit} short`;
  return { name, value, unit, target: `>= ${floor}${unit}`, pass, margin };
}

function memoryVerdict(memory: MemoryResult | null): Verdict {
  const name = "workerd RSS flat under 100 concurrent streams";
  if (!memory) return { name, value: null, unit: "MiB", target: "flat", pass: null, margin: "not measured" };
  const peak = Math.max(...memory.rounds.map((r) => r.peakMiB));
  const after = memory.rounds.map((r) => r.afterMiB);
  return { name, value: after[after.length - 1] ?? null, unit: "MiB", target: `flat (${memory.rule})`, pass: memory.flat, margin: `baseline ${memory.baselineMiB} MiB, peak ${peak} MiB, after rounds ${after.join(" / ")} MiB` };
}

/** The most CPU other processes used during the given phases. */
function busiest(phases: Array<{ foreignCpuPct: number } | undefined>): number | null {
  const known = phases.filter((p): p is { foreignCpuPct: number } => p !== undefined).map((p) => p.foreignCpuPct);
  return known.length > 0 ? Math.max(...known) : null;
}

/** The targets this gateway is held to, each with pass/miss, by how much, and how busy the machine was. */
export function checks(d: Derived, memory: MemoryResult | null, ts: TargetResult[]): Check[] {
  const c = d.addedLatencyMs.concurrency;
  const http = (...ids: TargetId[]) => busiest(ids.flatMap((id) => target(ts, id)?.http ?? []));
  const latency = busiest([httpAt(ts, "auterity", c), httpAt(ts, "passthrough", c)]);
  const ttft = busiest([streamAt(ts, "auterity", c), streamAt(ts, "passthrough", c)]);
  const rows: Array<[Verdict, number | null]> = [
    [atMost(`added latency p50 at ${c} concurrent`, d.addedLatencyMs.p50, 1, "ms"), latency],
    [atMost(`added latency p99 at ${c} concurrent`, d.addedLatencyMs.p99, 5, "ms"), latency],
    [atLeast("throughput vs Portkey", d.throughput.auterityOverPortkey, 1.5, "x"), http("auterity", "portkey")],
    [atLeast("throughput vs bare pass-through", d.throughput.auterityOverPassthrough, 0.7, "x"), http("auterity", "passthrough")],
    [atLeast(`throughput vs Portkey, implied by server CPU per call at ${d.cpu.concurrency}`, d.cpu.auterityOverPortkey, 1.5, "x"), null],
    [atLeast(`throughput vs pass-through, implied by server CPU per call at ${d.cpu.concurrency}`, d.cpu.auterityOverPassthrough, 0.7, "x"), null],
    [atMost(`streaming TTFT added p50 at ${d.ttftAddedMs.concurrency} concurrent`, d.ttftAddedMs.p50, 2, "ms"), ttft],
    [memoryVerdict(memory), null],
  ];
  return rows.map(([v, busy]) => ({ ...v, busiestOtherCpuPct: busy }));
}

const f = (n: number | null | undefined, digits = 2): string => (n === null || n === undefined || Number.isNaN(n) ? "-" : n.toFixed(digits));

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

function httpTable(ts: TargetResult[]): string {
  const rows = ts.flatMap((t) =>
    t.error ? [[t.label, "-", `failed: ${t.error.split("\n")[0] ?? ""}`, "", "", "", "", ""]] : t.http.map((p) => [t.label, String(p.connections), String(p.rps), f(p.latencyMs.p50), f(p.latencyMs.p90), f(p.latencyMs.p99), String(p.serverCpuUsPerCall ?? "-"), String(p.non2xx + p.errors + p.timeouts), f(p.foreignCpuPct, 1)]),
  );
  return table(["target", "conc.", "req/s", "p50 ms", "p90 ms", "p99 ms", "server CPU µs/call", "failed", "other CPU %"], rows);
}

function streamTable(ts: TargetResult[]): string {
  const rows = ts.flatMap((t) => t.stream.map((p) => [t.label, String(p.concurrency), String(p.streamsPerSec), f(p.ttftMs.p50), f(p.ttftMs.p99), f(p.totalMs.p50), f(p.totalMs.p99), String(p.serverCpuUsPerCall ?? "-"), String(p.failed), f(p.foreignCpuPct, 1)]));
  return table(["target", "conc.", "streams/s", "TTFT p50 ms", "TTFT p99 ms", "total p50 ms", "total p99 ms", "server CPU µs/stream", "failed", "other CPU %"], rows);
}

function checksTable(cs: Check[]): string {
  const verdict = (c: Check): string => (c.pass === null ? "n/a" : c.pass ? "PASS" : "MISS");
  return table(
    ["target", "measured", "goal", "result", "margin", "other CPU % (max)"],
    cs.map((c) => [c.name, c.value === null ? "-" : `${f(c.value)} ${c.unit}`, c.target, verdict(c), c.margin, f(c.busiestOtherCpuPct, 1)]),
  );
}

function memoryTable(m: MemoryResult | null): string {
  if (!m) return "_not measured_";
  const rows = m.rounds.map((r, i) => [String(i + 1), String(r.streams), String(r.failed), f(r.meanMiB, 1), f(r.peakMiB, 1), f(r.afterMiB, 1)]);
  return `workerd pid ${m.pid}, baseline (idle, after the load phases) ${m.baselineMiB} MiB.\n\n${table(["round", "streams", "failed", "RSS mean MiB", "RSS peak MiB", "RSS after MiB"], rows)}`;
}

function profileTables(p: Profile | null): string {
  if (!p) return "_not measured_";
  const routes = table(["route", "path", "req/s", "p50 ms", "p99 ms", "workerd CPU µs/call"], p.rows.map((r) => [r.step, `\`${r.path}\``, String(r.rps), f(r.p50Ms), f(r.p99Ms), String(r.cpuUsPerCall ?? "-")]));
  const steps = table(["step", "workerd CPU µs/call", "p50 ms"], p.steps.map((s) => [s.step, f(s.cpuUs, 0), f(s.p50Ms)]));
  return `${routes}\n\nWhat each step adds (differences between the routes above):\n\n${steps}\n\n${cpuTables(p)}`;
}

function cpuTables(p: Profile): string {
  if (!p.cpu) return "_JS CPU sampling not available_";
  const part = (what: string, r: CpuReport): string =>
    [
      `JS samples while ${what} (${r.seconds} s), by isolate. Relative only: V8 samples each isolate on workerd's shared thread, so an isolate waiting in a native call also collects samples and the sum exceeds the CPU used.`,
      "",
      table(["isolate", "ms", "%"], r.isolates.map((i) => [i.name, f(i.ms, 0), f(i.pct, 1)])),
      "",
      "In the Worker's isolate, self time by source file or package:",
      "",
      table(["file / package", "ms", "%"], r.workerFiles.map((i) => [i.name, f(i.ms, 0), f(i.pct, 1)])),
      "",
      "Top functions:",
      "",
      table(["function", "ms", "%"], r.workerFunctions.slice(0, 10).map((i) => [i.name, f(i.ms, 0), f(i.pct, 1)])),
    ].join("\n");
  return `${part("non-streamed calls run", p.cpu.chat)}\n\n${part("streamed calls run", p.cpu.stream)}`;
}

/** latest.md: machine, the tables, derived figures, checks. */
export function markdown(r: Results, micro: string): string {
  const m = r.machine;
  const d = r.derived;
  const reach = r.targets.map((t) => `${t.label}: ${t.simRequests ?? "-"}`).join("; ");
  return `# Gateway benchmark

Run ${r.startedAt}, ${Math.round(r.seconds)} s. Machine: ${m.cores} cores, ${m.cpuModel}, ${Math.round(m.memoryMiB / 1024)} GiB, Node ${m.node}, Linux ${m.kernel}.
Load average at start ${r.loadavg.start.join(" ")}, at end ${r.loadavg.end.join(" ")}. "other CPU %" is the share of the machine (all cores) used by processes outside this run during a phase; "server CPU" is the CPU the target's process tree spent per completed call (simulator excluded), the figure least disturbed by other load.
Each phase: ${String(r.config.warmupSec)} s warm-up, then ${String(r.config.durationSec)} s measured; load from a separate process; latencies in ms.

## Non-streamed chat completions

${httpTable(r.targets)}

## Streamed chat completions (paced: ${String(r.config.streamTokensPerSecond)} tokens/s, TTFT = first content token)

${streamTable(r.targets)}

## Derived (Auterity vs the bare pass-through and Portkey)

- Added latency at ${d.addedLatencyMs.concurrency} concurrent: p50 ${f(d.addedLatencyMs.p50)} ms, p99 ${f(d.addedLatencyMs.p99)} ms.
- Throughput (${d.throughput.basis}): ${f(d.throughput.auterityOverPortkey)}x Portkey, ${f(d.throughput.auterityOverPassthrough)}x the pass-through.
  By concurrency: ${Object.entries(d.throughput.byConcurrency).map(([c, v]) => `c=${c}: ${f(v.overPortkey)}x Portkey, ${f(v.overPassthrough)}x pass-through`).join("; ")}.
- Server CPU per call at ${d.cpu.concurrency} concurrent: pass-through ${f(d.cpu.passthroughUs, 0)} µs, Auterity ${f(d.cpu.auterityUs, 0)} µs (+${f(d.cpu.addedUs, 0)} µs), Portkey ${f(d.cpu.portkeyUs, 0)} µs. Where CPU is the limit, that is ${f(d.cpu.auterityOverPortkey)}x Portkey's throughput and ${f(d.cpu.auterityOverPassthrough)}x the pass-through's, whatever else the machine was doing.
- Streaming TTFT added at ${d.ttftAddedMs.concurrency} concurrent: p50 ${f(d.ttftAddedMs.p50)} ms, p99 ${f(d.ttftAddedMs.p99)} ms.
- Requests the simulator received per target (each target really reached it): ${reach}.
- Usage logging: ${r.usage ? `${r.usage.rowsWritten} usage rows written to D1 by the queue consumer for ${r.usage.simRequests ?? "-"} upstream calls` : "not measured"}.

## Targets

${checksTable(r.checks)}

Latency and throughput verdicts compare phases run at different moments; where other processes took a large share of the CPU meanwhile (last column), they are rough. The two rows implied by server CPU per call are the steadier reading.

## Memory (workerd VmRSS under 100 concurrent streams)

${memoryTable(r.memory)}

## Where the time goes: profile in workerd (${r.profile?.concurrency ?? "-"} concurrent, CPU charged after the queue consumer settles)

${profileTables(r.profile)}

## Micro-benchmarks of single steps (in Node: same V8, but Node's fetch, streams and WebCrypto are slower than workerd's)

${micro}
`;
}
