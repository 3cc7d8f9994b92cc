/**
 * Samples the JavaScript CPU of every isolate in a workerd (through Miniflare's inspector
 * port, Chrome DevTools Protocol) while some load runs, and attributes the Worker's samples
 * to source files and packages through the bundle's source map. Answers "which code burns
 * the CPU" without any switch in product code.
 */
import { readFileSync } from "node:fs";
import { originalPositionFor, TraceMap } from "@jridgewell/trace-mapping";
import WebSocket from "ws";
import { z } from "zod";

const targetList = z.array(z.object({ id: z.string(), webSocketDebuggerUrl: z.string() }));
const callFrame = z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number(), columnNumber: z.number() });
const cpuProfile = z.object({
  nodes: z.array(z.object({ id: z.number(), callFrame, hitCount: z.number().optional() })),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()).optional(),
});
type CpuProfile = z.infer<typeof cpuProfile>;
const stopReply = z.object({ id: z.number(), result: z.object({ profile: cpuProfile }) });

export type Share = { name: string; ms: number; pct: number };
export type CpuReport = { seconds: number; isolates: Share[]; workerFiles: Share[]; workerFunctions: Share[] };

/** One DevTools session: numbered commands, each resolving with its reply. */
class Session {
  private next = 1;
  private readonly waiting = new Map<number, (reply: unknown) => void>();
  private constructor(private readonly ws: WebSocket) {
    ws.on("message", (data: Buffer) => {
      const reply: unknown = JSON.parse(data.toString());
      const id = z.object({ id: z.number() }).safeParse(reply);
      if (id.success) this.waiting.get(id.data.id)?.(reply);
    });
  }

  static open(url: string): Promise<Session> {
    const ws = new WebSocket(url, { maxPayload: 512 * 1024 * 1024 });
    return new Promise((resolve, reject) => {
      ws.once("open", () => resolve(new Session(ws)));
      ws.once("error", reject);
    });
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

const round = (n: number): number => Math.round(n * 10) / 10;

function shares(totals: Map<string, number>, whole: number, top: number): Share[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => ({ name, ms: round(ms), pct: whole > 0 ? round((ms / whole) * 100) : 0 }));
}

/** A bundle position's origin: a package under node_modules, or a project path. */
function originOf(source: string | null): string {
  if (!source) return "(bundle, unmapped)";
  // drizzle-orm's own source maps point one level too high, at node_modules/src/.
  if (/node_modules\/src\//.test(source)) return "drizzle-orm (package)";
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (nm?.[1]) return `${nm[1]} (package)`;
  return source.replace(/^(\.\.\/)+/, "").replace(/^.*?\/(workers|durable-objects|d1|bench)\//, "$1/");
}

const SKIP = new Set(["(idle)", "(program)", "(root)"]);

/** Self time per node: each sample counts for the profile's mean sampling interval. */
function selfTimes(p: CpuProfile): Array<{ frame: z.infer<typeof callFrame>; ms: number }> {
  const samples = p.samples ?? [];
  const perSampleMs = samples.length > 0 ? (p.endTime - p.startTime) / 1000 / samples.length : 0;
  const hits = new Map<number, number>();
  for (const s of samples) hits.set(s, (hits.get(s) ?? 0) + 1);
  return p.nodes.map((n) => ({ frame: n.callFrame, ms: (hits.get(n.id) ?? 0) * perSampleMs }));
}

function attribute(p: CpuProfile, map: TraceMap | null): { total: number; files: Map<string, number>; fns: Map<string, number> } {
  const files = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  for (const { frame, ms } of selfTimes(p)) {
    if (ms === 0 || SKIP.has(frame.functionName)) continue;
    total += ms;
    const pos = map && frame.url ? originalPositionFor(map, { line: frame.lineNumber + 1, column: frame.columnNumber }) : null;
    const file = frame.url ? originOf(pos?.source ?? null) : `(native) ${frame.functionName}`;
    files.set(file, (files.get(file) ?? 0) + ms);
    const fn = `${pos?.name ?? (frame.functionName || "(anonymous)")} — ${file}${pos?.line ? `:${pos.line}` : ""}`;
    fns.set(fn, (fns.get(fn) ?? 0) + ms);
  }
  return { total, files, fns };
}

/**
 * Profiles every isolate behind `inspectorPort` while `work` runs. The Worker's own isolate
 * (Miniflare names it core:user:<name>) is attributed through `sourceMapPath`.
 */
export async function profileWhile(inspectorPort: number, sourceMapPath: string, work: () => Promise<unknown>): Promise<CpuReport> {
  const list = targetList.parse(await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json());
  const sessions = await Promise.all(list.map(async (t) => ({ id: t.id, s: await Session.open(t.webSocketDebuggerUrl) })));
  const started = performance.now();
  try {
    for (const { s } of sessions) {
      await s.send("Profiler.enable");
      await s.send("Profiler.setSamplingInterval", { interval: 200 });
      await s.send("Profiler.start");
    }
    await work();
    const profiles = await Promise.all(sessions.map(async ({ id, s }) => ({ id, profile: stopReply.parse(await s.send("Profiler.stop")).result.profile })));
    const map = new TraceMap(readFileSync(sourceMapPath, "utf8"));
    const perIsolate = new Map<string, number>();
    let worker = { total: 0, files: new Map<string, number>(), fns: new Map<string, number>() };
    for (const { id, profile } of profiles) {
      const isWorker = id.startsWith("core:user:");
      const a = attribute(profile, isWorker ? map : null);
      perIsolate.set(id || "(unnamed)", a.total);
      if (isWorker) worker = a;
    }
    const all = [...perIsolate.values()].reduce((x, y) => x + y, 0);
    return { seconds: round((performance.now() - started) / 1000), isolates: shares(perIsolate, all, 20), workerFiles: shares(worker.files, worker.total, 15), workerFunctions: shares(worker.fns, worker.total, 15) };
  } finally {
    for (const { s } of sessions) s.close();
  }
}
