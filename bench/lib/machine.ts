/**
 * The machine a run happened on, and the resident memory of processes, read from /proc.
 */
import { readdirSync, readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";

export type Machine = { cores: number; cpuModel: string; memoryMiB: number; node: string; platform: string; kernel: string };

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return fallback;
  }
}

/** Cores, CPU model (from /proc/cpuinfo), memory and Node version. */
export function machine(): Machine {
  const cpuinfo = readOr("/proc/cpuinfo", "");
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? "unknown";
  return {
    cores: cpus().length,
    cpuModel: model,
    memoryMiB: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    kernel: readOr("/proc/sys/kernel/osrelease", "unknown").trim(),
  };
}

/** VmRSS of a process in MiB, or null when it is gone. */
export function rssMiB(pid: number): number | null {
  const status = readOr(`/proc/${pid}/status`, "");
  const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  return kb === undefined ? null : Math.round((Number(kb) / 1024) * 10) / 10;
}

type ProcInfo = { pid: number; ppid: number; comm: string };

function procInfo(pid: number): ProcInfo | null {
  const stat = readOr(`/proc/${pid}/stat`, "");
  // comm is in parentheses and may itself contain spaces or parentheses.
  const close = stat.lastIndexOf(")");
  if (close < 0) return null;
  const comm = stat.slice(stat.indexOf("(") + 1, close);
  const ppid = Number(stat.slice(close + 2).split(" ")[1]);
  return { pid, ppid, comm };
}

/** Descendants of `root` whose command name is `comm` (e.g. the workerd a Miniflare host started). */
export function descendantsNamed(root: number, comm: string): number[] {
  const all = readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map((d) => procInfo(Number(d)))
    .filter((p): p is ProcInfo => p !== null);
  const children = new Map<number, ProcInfo[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const found: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    for (const c of children.get(pid) ?? []) {
      if (c.comm === comm) found.push(c.pid);
      stack.push(c.pid);
    }
  }
  return found;
}

function ticksOf(pid: number | "self"): number {
  const stat = readOr(`/proc/${pid}/stat`, "");
  const close = stat.lastIndexOf(")");
  if (close < 0) return 0;
  // After "(comm)": state ppid ... utime(14) stime(15) cutime(16) cstime(17), 1-based from pid.
  const f = stat.slice(close + 2).split(" ");
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(f[i] ?? 0), 0);
}

function machineTicks(): { busy: number; total: number } {
  const line = readOr("/proc/stat", "").split("\n")[0] ?? "";
  const [, user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
  return { busy, total: busy + (idle ?? 0) + (iowait ?? 0) };
}

function treeTicks(root: number): number {
  const pids = readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map((d) => procInfo(Number(d)))
    .filter((p): p is ProcInfo => p !== null);
  const children = new Map<number, number[]>();
  for (const p of pids) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  let sum = ticksOf(root);
  const stack = [...(children.get(root) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    sum += ticksOf(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return sum;
}

export type CpuSnapshot = { busy: number; total: number; ours: number; server: number };

/**
 * CPU ticks of the whole machine, of this process tree (children that exited included), and
 * of the process tree of the server under test (rooted at `serverPid`).
 */
export function cpuSnapshot(serverPid: number | null): CpuSnapshot {
  return { ...machineTicks(), ours: treeTicks(process.pid), server: serverPid === null ? 0 : treeTicks(serverPid) };
}

/** Kernel clock ticks per second (USER_HZ); 100 on every Linux this runs on. */
const TICKS_PER_SEC = 100;

/** CPU the server under test used between two snapshots, in milliseconds. */
export function serverCpuMs(a: CpuSnapshot, b: CpuSnapshot): number {
  return ((b.server - a.server) * 1000) / TICKS_PER_SEC;
}

/**
 * Share of the machine's CPU (all cores, percent) used between two snapshots by processes
 * outside this run: other work on the machine that competed with the measurement.
 */
export function foreignCpuPct(a: CpuSnapshot, b: CpuSnapshot): number {
  const total = b.total - a.total;
  if (total <= 0) return 0;
  const foreign = Math.max(0, b.busy - a.busy - (b.ours - a.ours));
  return Math.round((foreign / total) * 1000) / 10;
}
