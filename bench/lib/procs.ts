/**
 * Child processes of the benchmark. Each runs in its own process group, so stopping it
 * also stops what it spawned (npx -> wrangler -> workerd, Miniflare host -> workerd).
 * Every group is remembered and stopped when the run ends, however it ends.
 */
import { type ChildProcess, spawn, type SpawnOptions } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";

const live = new Set<ChildProcess>();

/** Where a child's output goes: a log file, so a failing target can be diagnosed afterwards. */
export type Started = { child: ChildProcess; pgid: number; log: string };

/** Starts `cmd` as the leader of a new process group; output is appended to `logPath`. */
export function startGroup(cmd: string, args: string[], logPath: string, opts: SpawnOptions = {}): Started {
  const log: WriteStream = createWriteStream(logPath, { flags: "a" });
  const stdio: SpawnOptions["stdio"] = opts.stdio ?? ["ignore", "pipe", "pipe"];
  const child = spawn(cmd, args, { ...opts, stdio, detached: true });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  child.once("exit", () => {
    live.delete(child);
    log.end();
  });
  if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
  live.add(child);
  return { child, pgid: child.pid, log: logPath };
}

function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Stops a group: SIGTERM, then SIGKILL after `graceMs` (and once more for stragglers such as workerd). */
export async function stopGroup(child: ChildProcess, graceMs = 3000): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) return;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    if (signalGroup(pgid, "SIGTERM")) {
      await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
    }
  }
  signalGroup(pgid, "SIGKILL");
  live.delete(child);
}

/** Stops every group still running; used on the way out, whatever the reason. */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((c) => stopGroup(c, 1500)));
}

/** Synchronous last resort for process exit: nothing may be awaited there. */
function killAllNow(): void {
  for (const c of live) if (c.pid !== undefined) signalGroup(c.pid, "SIGKILL");
  live.clear();
}

/** Installs the handlers that stop every child on Ctrl-C, SIGTERM, a crash or a normal exit. */
export function stopChildrenOnExit(): void {
  process.once("exit", killAllNow);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(sig, () => {
      void stopAll().finally(() => process.exit(130));
    });
  }
}

/** Runs a command to completion (its own group too, so a timeout can stop it all); resolves to stdout. */
export function runToCompletion(cmd: string, args: string[], logPath: string, opts: SpawnOptions & { timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const { child } = startGroup(cmd, args, logPath, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      void stopGroup(child, 500);
      reject(new Error(`${cmd} ${args.join(" ")} did not finish within ${opts.timeoutMs} ms (log: ${logPath})`));
    }, opts.timeoutMs ?? 120_000);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(" ")} exited ${code} (log: ${logPath})`));
    });
  });
}
