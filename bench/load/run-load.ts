/**
 * Runs one load phase in a separate process (so the load generator never shares an event
 * loop with anything it measures) and parses what it prints. The load scripts are bundled
 * once per run to plain JavaScript, so each phase starts in a fraction of a second.
 */
import { join } from "node:path";
import { build } from "esbuild";
import type { z } from "zod";
import { runToCompletion } from "../lib/procs.ts";
import { httpLoadResult, streamLoadResult, type HttpLoadResult, type HttpLoadSpec, type StreamLoadResult, type StreamLoadSpec } from "./protocol.ts";

let built: Promise<string> | null = null;

/** Bundles the load scripts under node_modules/.cache (packages stay external and resolve from there). */
function loadScripts(root: string): Promise<string> {
  const out = join(root, "node_modules/.cache/auterity-bench");
  built ??= build({
    entryPoints: [join(root, "bench/load/http-load.ts"), join(root, "bench/load/stream-load.ts")],
    outdir: out,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "error",
  }).then(() => out);
  return built;
}

async function runChild<T>(root: string, logPath: string, script: string, spec: unknown, schema: z.ZodType<T>, timeoutMs: number): Promise<T> {
  const dir = await loadScripts(root);
  const out = await runToCompletion(process.execPath, [join(dir, script), JSON.stringify(spec)], logPath, { cwd: root, timeoutMs });
  const last = out.trim().split("\n").pop() ?? "";
  return schema.parse(JSON.parse(last));
}

function budgetMs(spec: { warmupSec: number; durationSec: number }): number {
  return (spec.warmupSec + spec.durationSec) * 1000 + 60_000;
}

/** Non-streamed calls through autocannon. */
export function runHttpLoad(root: string, logPath: string, spec: HttpLoadSpec): Promise<HttpLoadResult> {
  return runChild(root, logPath, "http-load.mjs", spec, httpLoadResult, budgetMs(spec));
}

/** Streamed calls through the stream client. */
export function runStreamLoad(root: string, logPath: string, spec: StreamLoadSpec): Promise<StreamLoadResult> {
  return runChild(root, logPath, "stream-load.mjs", spec, streamLoadResult, budgetMs(spec));
}
